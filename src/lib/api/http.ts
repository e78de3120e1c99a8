/**
 * JSON calls to our server, with the API key header and one error shape.
 * A 401 becomes `ApiKeyRequiredError` so the UI can ask for the key and retry.
 */
import type { ApiError, GenerateRequest, DiagramResult, ReadyStatus, ValidateResult } from '../../../common/protocol.ts';
import { getApiKey } from './apiKey.ts';

export class ApiKeyRequiredError extends Error {
  constructor(message = 'This server needs an API key.') {
    super(message);
    this.name = 'ApiKeyRequiredError';
  }
}

/** A non-2xx answer from our API, carrying the server's `ApiError` body. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly apiError: ApiError,
  ) {
    super(apiError.message);
    this.name = 'ApiRequestError';
  }
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the stored key (tests). */
  apiKey?: string | null;
  fetch?: typeof fetch;
  /** Origin of the server; '' = same origin. */
  baseUrl?: string;
}

export function headers(apiKey: string | null | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { ...extra };
  if (apiKey) h['X-API-Key'] = apiKey;
  return h;
}

/** Turns a failed response into our error types; reads the body as ApiError when it is one. */
export async function toError(res: Response): Promise<Error> {
  if (res.status === 401) return new ApiKeyRequiredError();
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON: fall through to a generic message */
  }
  const b = body as Partial<ApiError> & { error?: Partial<ApiError> };
  const e = b && typeof b.message === 'string' ? b : b?.error && typeof b.error.message === 'string' ? b.error : null;
  const retry = Number(res.headers.get('Retry-After'));
  return new ApiRequestError(res.status, {
    code: typeof e?.code === 'string' ? e.code : `http_${res.status}`,
    message: e?.message ?? `The server answered ${res.status} ${res.statusText}.`.replace(' .', '.'),
    ...(e?.retryAfterSeconds !== undefined
      ? { retryAfterSeconds: e.retryAfterSeconds }
      : Number.isFinite(retry) && retry > 0
        ? { retryAfterSeconds: retry }
        : {}),
  });
}

/**
 * "Try again in N s." for an error that carries a wait, unless its message
 * already says so (the server's 429 and queue-full messages do): one hint, not two.
 */
export function retryHint(e: ApiError): string | null {
  const s = e.retryAfterSeconds;
  if (!s || s <= 0) return null;
  const n = Math.ceil(s);
  return new RegExp(`\\b${n}\\s*(s|secs?|seconds?)\\b`, 'i').test(e.message) ? null : `Try again in ${n} s.`;
}

async function postJson<T>(path: string, body: unknown, opts: CallOptions = {}): Promise<T> {
  const f = opts.fetch ?? fetch;
  const res = await f(`${opts.baseUrl ?? ''}${path}`, {
    method: 'POST',
    headers: headers(opts.apiKey === undefined ? getApiKey() : opts.apiKey, { 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
    signal: opts.signal,
  });
  if (!res.ok) throw await toError(res);
  return (await res.json()) as T;
}

export const generate = (req: GenerateRequest, opts?: CallOptions) => postJson<DiagramResult>('/api/generate', req, opts);
export const validateOnServer = (code: string, opts?: CallOptions) =>
  postJson<ValidateResult>('/api/validate', { code }, opts);

export async function fetchReady(opts: CallOptions = {}): Promise<ReadyStatus> {
  const f = opts.fetch ?? fetch;
  // /api/status answers 200 in every state (unlike /api/ready's 503 while loading), so polling
  // it logs no failed requests in the browser console.
  const res = await f(`${opts.baseUrl ?? ''}/api/status`, {
    headers: headers(opts.apiKey === undefined ? getApiKey() : opts.apiKey),
    signal: opts.signal,
  });
  if (res.status === 401) throw new ApiKeyRequiredError();
  const body = (await res.json().catch(() => null)) as ReadyStatus | null;
  if (body && typeof body.state === 'string') return body;
  throw await toError(res);
}
