/**
 * What the deploy needs to know about the model before building: does the
 * running app need a token for it (public models need none, so the app gets
 * none), and which commit to pin. The Hub's model route answers both:
 * `GET /api/models/{id}/revision/{rev}` without credentials is 200 for a
 * public repo (with its `sha` and `gated`), 401 for a private or missing one.
 */
import { DeployError } from './errors.ts';

export interface ModelFacts {
  /** public: anyone may download; gated or private: the app needs a read token. */
  access: 'public' | 'gated' | 'private';
  /** The commit the revision resolved to, pinned at build and at run time. */
  sha?: string;
}

export async function modelFacts(hubUrl: string, modelId: string, revision = 'main', token?: string): Promise<ModelFacts> {
  const base = `${hubUrl.replace(/\/$/, '')}/api/models/${modelId}/revision/${encodeURIComponent(revision)}`;
  let res: Response;
  try {
    res = await fetch(base, { signal: AbortSignal.timeout(20_000) });
  } catch (err) {
    throw new DeployError(`Could not reach ${hubUrl} to look up ${modelId}: ${(err as Error).message}.`, ['Check the network, or pass --model-revision <commit> to skip the lookup']);
  }
  if (res.ok) {
    const info = (await res.json()) as { sha?: string; gated?: boolean | string };
    return { access: info.gated ? 'gated' : 'public', sha: info.sha };
  }
  if (res.status !== 401 && res.status !== 403 && res.status !== 404) {
    throw new DeployError(`${hubUrl} answered HTTP ${res.status} for ${modelId}.`, ['Run again in a minute']);
  }
  // Private (or missing): only a token can tell which, and resolve the commit.
  if (!token) return { access: 'private' };
  const authed = await fetch(base, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(20_000) });
  if (!authed.ok) throw new DeployError(`The model ${modelId} (revision ${revision}) was not found, or this token cannot read it (HTTP ${authed.status}).`, ['Check --model-id and --model-revision', 'Use a token that can read the model']);
  const info = (await authed.json()) as { sha?: string };
  return { access: 'private', sha: info.sha };
}
