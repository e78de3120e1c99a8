/**
 * Reading a request body, the same way on every /api route that takes one:
 * declared JSON (the `requireJson()` middleware answers 415 otherwise),
 * parsed once (400 `invalid_json`), then judged by the rule book
 * (common/request.ts) and nothing else.
 */
import type { Context } from 'hono';
import { normalizeCode, normalizeRequest, type Normalized, type ValidRequest } from '../../common/request.ts';
import type { AppEnv } from './context.ts';
import { HttpError, fromProblem } from './errors.ts';

/** `application/json`, with or without parameters (`; charset=utf-8`). */
export function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

export const NOT_JSON_MESSAGE = 'Send the body as JSON, with the header `Content-Type: application/json`.';

/** The parsed JSON body (`requireJson()` checked its type); 400 when it does not parse. */
export async function readJson(c: Context<AppEnv>): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new HttpError('invalid_json', 'The request body is not valid JSON.');
  }
}

function accept<T>(r: Normalized<T>): T {
  if (!r.ok) throw fromProblem(r.error);
  return r.request;
}

/** A generation request from the body, or the rule book's refusal as an HttpError. */
export async function readGenerateRequest(c: Context<AppEnv>, maxNewTokens: number): Promise<ValidRequest> {
  return accept(normalizeRequest(await readJson(c), { maxNewTokens }));
}

/** The `{code}` body of /api/validate and /api/repair. */
export async function readCode(c: Context<AppEnv>): Promise<string> {
  return accept(normalizeCode(await readJson(c)));
}
