/**
 * Proves a deployment works the way users call it: poll `/api/ready` until
 * the model is loaded (showing its progress), then one generation through
 * the real `@gradio/client` (`Client.connect(url)` and
 * `predict("/generate", {description})`). `@gradio/client` is a
 * devDependency, imported only here and only when the smoke test runs.
 */
import { DeployError } from './errors.ts';

export const SMOKE_DESCRIPTION = 'A user logs in; if the password is wrong, they retry up to three times, then the account is locked.';

export interface ReadyOptions {
  headers?: Record<string, string>;
  timeoutMs: number;
  intervalMs: number;
  status?: (detail: string) => void;
  /** The build just deployed: keep waiting while /api/health names another one (the old revision still answering). */
  buildId?: string;
}

interface ReadyBody {
  state?: string;
  progress?: number;
  message?: string;
  error?: string;
  device?: string | null;
}

/**
 * Polls `${base}/api/ready` until it answers state "ready" and, when `buildId`
 * is given, `/api/health` names that build (a server too old to name one is
 * accepted); throws on state "error" or timeout.
 */
export async function waitReady(base: string, opts: ReadyOptions): Promise<ReadyBody> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const res = await fetch(`${base}/api/ready`, { headers: opts.headers, signal: AbortSignal.timeout(15_000) });
      const body = (await res.json().catch(() => ({}))) as ReadyBody;
      if (res.ok && body.state === 'ready') {
        const serving = opts.buildId ? await servingBuild(base, opts.headers) : undefined;
        if (serving === undefined || serving === null || serving === opts.buildId) return body;
        last = `the previous revision (build ${serving}) still answers; waiting for build ${opts.buildId}`;
        opts.status?.(last);
        if (Date.now() >= deadline) throw new DeployError(`Build ${opts.buildId} did not start serving within ${Math.round(opts.timeoutMs / 1000)} s; build ${serving} still answers`, ['Look at the build and run logs; raise --ready-timeout']);
        await new Promise((r) => setTimeout(r, opts.intervalMs));
        continue;
      }
      if (body.state === 'error') throw new DeployError(`The app is up but the model failed to load: ${body.error ?? body.message ?? 'unknown error'}`, ['Look at the run logs; check MODEL_PATH / MODEL_ID and HF_TOKEN']);
      last = body.state ? `model ${body.state} ${Math.round(body.progress ?? 0)}%${body.message ? ` (${body.message})` : ''}` : `HTTP ${res.status}`;
    } catch (err) {
      if (err instanceof DeployError) throw err;
      last = `not reachable yet (${err instanceof Error ? err.message : String(err)})`;
    }
    opts.status?.(last);
    if (Date.now() >= deadline) throw new DeployError(`The app did not become ready within ${Math.round(opts.timeoutMs / 1000)} s; last: ${last}`, ['Look at the run logs; raise --ready-timeout for a first start that downloads the model']);
    await new Promise((r) => setTimeout(r, opts.intervalMs));
  }
}

/** The build /api/health names: a string, null when the server has none, undefined when it cannot say. */
async function servingBuild(base: string, headers?: Record<string, string>): Promise<string | null | undefined> {
  try {
    const res = await fetch(`${base}/api/health`, { headers, signal: AbortSignal.timeout(15_000) });
    const body = (await res.json()) as { buildId?: unknown };
    return typeof body.buildId === 'string' ? body.buildId : body.buildId === null ? null : undefined;
  } catch {
    return undefined;
  }
}

export interface GradioSmokeOptions {
  /** HF token, for a private Space (the Hub's proxy wants it). */
  token?: string;
  /** Extra headers, e.g. X-API-Key for our own API key. */
  headers?: Record<string, string>;
  description?: string;
}

/** One `predict("/generate")` with the real client; returns the Mermaid code and the status text. */
export async function gradioSmoke(base: string, opts: GradioSmokeOptions = {}): Promise<{ code: string; status: string }> {
  let mod: typeof import('@gradio/client');
  try {
    mod = await import('@gradio/client');
  } catch {
    throw new DeployError('@gradio/client is not installed, so the smoke test cannot run.', ['npm install   (it is a devDependency)', 'or skip it: --no-smoke']);
  }
  let result: unknown;
  try {
    const client = await mod.Client.connect(base, {
      ...(opts.token ? { token: opts.token as `hf_${string}` } : {}),
      ...(opts.headers ? { headers: opts.headers } : {}),
    });
    result = await client.predict('/generate', { description: opts.description ?? SMOKE_DESCRIPTION });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new DeployError(`The smoke generation through @gradio/client failed: ${message}`, [
      ...(/api key|401|unauthori[sz]ed/i.test(message) ? ['The app has API_KEY set: export API_KEY so the smoke test can send it as X-API-Key'] : []),
      'The deployment itself is done; look at the app logs, or skip this check with --no-smoke',
    ]);
  }
  const data = (result as { data?: unknown[] }).data;
  if (!Array.isArray(data) || data.length !== 2 || typeof data[0] !== 'string') {
    throw new DeployError(`The smoke generation returned an unexpected shape: ${JSON.stringify(data).slice(0, 200)}`);
  }
  const status = describeResult(data[1]);
  if (!data[0].trim()) throw new DeployError(`The smoke generation returned no diagram; status: ${status}`);
  return { code: data[0], status };
}

/** One line from `/generate`'s second output (the app's JSON result), e.g. "valid flowchart · 2 repairs · 84 tokens in 3.1 s". */
export function describeResult(result: unknown): string {
  if (typeof result === 'string') return result;
  if (!result || typeof result !== 'object') return JSON.stringify(result) ?? String(result);
  const r = result as { valid?: unknown; diagramType?: unknown; repairs?: unknown; tokens?: unknown; budgetCut?: unknown; timings?: { totalMs?: unknown }; error?: { message?: unknown } };
  const parts = [`${r.valid === true ? 'valid' : 'INVALID'} ${typeof r.diagramType === 'string' ? r.diagramType : 'diagram'}`];
  if (Array.isArray(r.repairs) && r.repairs.length) parts.push(`${r.repairs.length} repair${r.repairs.length === 1 ? '' : 's'}`);
  if (typeof r.tokens === 'number') {
    const total = typeof r.timings?.totalMs === 'number' ? ` in ${(r.timings.totalMs / 1000).toFixed(1)} s` : '';
    parts.push(`${r.tokens} tokens${total}`);
  }
  if (r.budgetCut === true) parts.push('cut by the GPU budget');
  if (typeof r.error?.message === 'string') parts.push(r.error.message);
  return parts.join(' · ');
}
