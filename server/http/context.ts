/**
 * What every route module receives: the app's deps plus the objects createApp
 * builds once (runs registry), and the Hono env (per-request variables).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Runs } from './runs.ts';
import type { AppDeps, Logger } from './types.ts';

export interface AppVariables {
  requestId: string;
  log: Logger;
  /** Extra fields for the request log line (tokens, outcome, …), set by handlers. */
  logFields: Record<string, unknown>;
  /** Routine requests (probes, assets): logged at debug only. */
  quiet?: boolean;
  /** Gradio's /config route: its 401 has Gradio's `auth_message` form. */
  configRoute?: boolean;
}

export interface AppEnv {
  Variables: AppVariables;
}

export type App = OpenAPIHono<AppEnv>;

export interface RouteContext {
  deps: AppDeps;
  runs: Runs;
}

/** The middlewares route groups take (built once by app.ts from middleware.ts). */
export interface Guards {
  /** Routine routes (probes, assets): debug-level logs. */
  quiet: MiddlewareHandler<AppEnv>;
  /** The API key, when one is set. */
  key: MiddlewareHandler<AppEnv>;
  /** Routes that start a run: rate limit, API key, body size, JSON only (one combined middleware). */
  starts: MiddlewareHandler<AppEnv>;
  /** CPU-only checks (validate, repair): a larger rate limit, then as `starts`. */
  checks: MiddlewareHandler<AppEnv>;
}
