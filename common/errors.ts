/**
 * Every error code the server can answer with, and its HTTP status: the
 * contract's `ApiError.code` is one of these. One table, so a refusal has
 * one name wherever it happens (JSON, SSE, Gradio, CLI, UI) and the UI can
 * switch on a code the compiler knows. Imports nothing.
 */
export const ERROR_STATUS = {
  /** Wrong type, unknown choice, control characters, fields that only make sense together. */
  invalid_request: 400,
  invalid_json: 400,
  /** No description (and no refinement). */
  empty_description: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  /** A text field over its limit, or a body over MAX_BODY_BYTES. */
  too_large: 413,
  /** A POST that starts work without `Content-Type: application/json`. */
  unsupported_media_type: 415,
  rate_limited: 429,
  /** The client went away or pressed Stop (nginx's 499: nobody reads it). */
  cancelled: 499,
  aborted: 499,
  internal: 500,
  queue_full: 503,
  model_unavailable: 503,
  shutting_down: 503,
  timeout: 504,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_STATUS, code);
}

/** The HTTP status for a code; 500 for anything unknown. */
export function statusOf(code: string): number {
  return isErrorCode(code) ? ERROR_STATUS[code] : 500;
}
