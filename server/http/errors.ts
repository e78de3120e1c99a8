/**
 * One HTTP error type and one handler. Every refusal the server makes (bad
 * input, auth, limits, busy, shutting down) is an `HttpError` carrying a
 * stable `code` from the contract's `ApiError`; the handler turns it into
 * `{ error: ApiError }` with the status from `STATUS_BY_CODE`. Anything else
 * is a bug: it is logged with a random error id and the client gets only that
 * id, never the message or stack.
 *
 * @example
 *   throw new HttpError('empty_description', 'Describe the process first.');
 */
import { randomUUID } from 'node:crypto';
import type { ApiError } from '../../common/protocol.ts';

/** ApiError codes → HTTP status. The one table both JSON and SSE use. */
export const STATUS_BY_CODE: Record<string, number> = {
  invalid_request: 400,
  invalid_json: 400,
  empty_description: 400,
  description_too_long: 413,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  queue_full: 503,
  model_unavailable: 503,
  shutting_down: 503,
  aborted: 499,
  cancelled: 499,
  timeout: 504,
  internal: 500,
};

/** Default Retry-After (seconds) for codes that mean "try again later". */
const DEFAULT_RETRY_AFTER: Record<string, number> = {
  queue_full: 5,
  model_unavailable: 10,
  shutting_down: 10,
};

export function statusForCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 500;
}

export class HttpError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retryAfterSeconds?: number;
  /** Set for `internal`: the id under which the cause was logged. */
  readonly errorId?: string;

  constructor(code: string, message: string, opts: { retryAfterSeconds?: number; status?: number; errorId?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'HttpError';
    this.code = code;
    this.status = opts.status ?? statusForCode(code);
    this.retryAfterSeconds = opts.retryAfterSeconds ?? DEFAULT_RETRY_AFTER[code];
    this.errorId = opts.errorId;
  }

  toApiError(): ApiError & { errorId?: string } {
    const body: ApiError & { errorId?: string } = { code: this.code, message: this.message };
    if (this.retryAfterSeconds !== undefined) body.retryAfterSeconds = this.retryAfterSeconds;
    if (this.errorId) body.errorId = this.errorId;
    return body;
  }

  /** Headers that belong with this error (Retry-After on 429/503). */
  headers(): Record<string, string> {
    return this.retryAfterSeconds !== undefined ? { 'Retry-After': String(Math.ceil(this.retryAfterSeconds)) } : {};
  }
}

/** From an ApiError the pipeline reported as data (an `error` event). */
export function fromApiError(err: ApiError & { errorId?: string }): HttpError {
  return new HttpError(err.code, err.message, { retryAfterSeconds: err.retryAfterSeconds, errorId: err.errorId });
}

interface LoggerLike {
  error(obj: object, msg?: string): void;
}

/**
 * Anything thrown → HttpError. Errors that already carry a known `code`
 * (e.g. a queue's QueueFullError) keep their message; unknown errors become
 * `internal` with a fresh error id, logged here with the cause.
 */
export function toHttpError(err: unknown, log?: LoggerLike): HttpError {
  if (err instanceof HttpError) return err;
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined;
  if (code && code !== 'internal' && code in STATUS_BY_CODE && err instanceof Error) {
    const retry = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return new HttpError(code, err.message, { retryAfterSeconds: typeof retry === 'number' ? retry : undefined });
  }
  const errorId = randomUUID();
  log?.error({ errorId, err }, 'internal error');
  return new HttpError('internal', `Something went wrong on the server (error id ${errorId}).`, { errorId, cause: err });
}

/** The JSON body for an error response. */
export function errorBody(err: HttpError): { error: ApiError & { errorId?: string } } {
  return { error: err.toApiError() };
}
