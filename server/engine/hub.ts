/**
 * Talking to the Hugging Face Hub (or a mirror, HF_ENDPOINT) for the
 * engine's download (hub-download.ts): the token only for the Hub's host, and,
 * when a load fails, a message that says what went wrong and what to do.
 */

export interface HubSource {
  modelId: string;
  revision: string;
  /** No trailing slash. */
  hubUrl: string;
  hfToken: string | null;
}

/** Wraps fetch so Hub requests carry the token from config (never other hosts; `hubHost`: a mirror's). */
export function fetchWithToken(base: typeof fetch, token: string, hubHost?: string): typeof fetch {
  return ((input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let host = '';
    try {
      host = new URL(url).hostname;
    } catch {
      // not a URL: a local path
    }
    if (host === 'huggingface.co' || host.endsWith('.huggingface.co') || host === 'hf.co' || (hubHost !== undefined && host === hubHost)) {
      const headers = new Headers(init?.headers);
      if (!headers.has('Authorization')) headers.set('Authorization', `Bearer ${token}`);
      return base(input, { ...init, headers });
    }
    return base(input, init);
  }) as typeof fetch;
}

/**
 * After a failed Hub load: one request for the repo's config.json tells a
 * missing repo or revision (404), a refused token (401/403) and no network
 * apart in words a person can act on (the download's own error is an HTTP
 * status or "fetch failed"). Null when the repo answers.
 */
export async function diagnoseHub(src: HubSource, fetchFn: typeof fetch): Promise<string | null> {
const { modelId, revision, hubUrl, hfToken } = src;
  const where = hubUrl === 'https://huggingface.co' ? 'the Hugging Face Hub' : hubUrl;
  let status: number;
  try {
    const res = await fetchFn(`${hubUrl}/${modelId}/resolve/${encodeURIComponent(revision)}/config.json`, { method: 'HEAD' });
    status = res.status;
  } catch (error) {
    const why = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    return `Could not reach ${where} to download ${modelId} (${why}). Without internet, set MODEL_PATH to a local model directory (see QUICK_START.md).`;
  }
  if (status === 401 || status === 403) {
    return hfToken
      ? `${where} refused HF_TOKEN for ${modelId} (HTTP ${status}): the repo does not exist, or the token cannot read it (gated repos need their terms accepted). Check MODEL_ID and the token.`
      : `${where} refused ${modelId} (HTTP ${status}): the repo does not exist, or it is private or gated. Check MODEL_ID, or set HF_TOKEN to a token that can read it.`;
  }
  if (status === 404) {
    return `${modelId}${revision === 'main' ? '' : ` at revision ${revision}`} was not found on ${where} (no config.json). Check MODEL_ID${revision === 'main' ? '' : ' and MODEL_REVISION'}.`;
  }
  return null;
}

/** Load errors in words a person can act on (local directory, no network, refused token). */
export function explainLoadError(message: string, src: HubSource & { modelPath: string | null; dtype: string }): string {
  if (/local_files_only|allowRemoteModels|file was not found locally/i.test(message) && src.modelPath) {
    return `${message} (MODEL_PATH=${src.modelPath} lacks a file the model needs; check dtype DTYPE=${src.dtype} and the onnx/ folder.)`;
  }
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|network/i.test(message) && !src.modelPath) {
    return `Could not download ${src.modelId} from the Hugging Face Hub (${message}). Without internet, set MODEL_PATH to a local model directory.`;
  }
  if (/401|403|Unauthorized|gated|denied/i.test(message) && !src.modelPath) {
    return `The Hub refused ${src.modelId} (${message}). Set HF_TOKEN to a token that can read it.`;
  }
  return message;
}
