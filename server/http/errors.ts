/**
 * One HTTP error type and one handler. Every refusal the server makes (bad
 * input, auth, limits, busy, shutting down) is an `HttpError` carrying a
 * stable `code` from the contract's `ApiError`; the handler turns it into
 * `{ error: ApiError }` with the status from common/errors.ts. Anything else
 * is a bug: it is logged with a random error id and the client gets only that
 * id, never the message or stack.
 *
 * @example
 *   throw new HttpError('empty_description', 'Describe the process first.');
 */
import { randomUUID } from 'node:crypto';
import { isErrorCode, statusOf, type ErrorCode } from '../../common/errors.ts';
import type { ApiError } from '../../common/protocol.ts';
import type { RequestProblem } from '../../common/request.ts';

/** Default Retry-After (seconds) for codes that mean "try again later". */
const DEFAULT_RETRY_AFTER: Partial<Record<ErrorCode, number>> = {
  queue_full: 5,
  model_unavailable: 10,
  shutting_down: 10,
};

export class HttpError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterSeconds?: number;
  /** Set for `internal`: the id under which the cause was logged. */
  readonly errorId?: string;

  constructor(code: ErrorCode, message: string, opts: { retryAfterSeconds?: number; status?: number; errorId?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'HttpError';
    this.code = code;
    this.status = opts.status ?? statusOf(code);
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
  const code = isErrorCode(err.code) ? err.code : 'internal';
  return new HttpError(code, err.message, { retryAfterSeconds: err.retryAfterSeconds, errorId: err.errorId });
}

/** A request the rule book (common/request.ts) refused. */
export function fromProblem(problem: RequestProblem): HttpError {
  return new HttpError(problem.code, problem.message);
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
  if (isErrorCode(code) && code !== 'internal' && err instanceof Error) {
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
