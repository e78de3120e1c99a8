/**
 * What every route module receives: the app's deps plus the objects createApp
 * builds once (runs registry), and the Hono env (per-request variables).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Runs } from './runs.ts';
import type { AppDeps, Logger } from './types.ts';

export interface AppVariables {
  requestId: string;
  log: Logger;
  /** Extra fields for the request log line (tokens, outcome, …), set by handlers. */
  logFields: Record<string, unknown>;
  /** Route pattern for metrics labels, when a handler knows better than Hono. */
  routeLabel?: string;
}

export interface AppEnv {
  Variables: AppVariables;
}

export type App = OpenAPIHono<AppEnv>;

export interface RouteContext {
  deps: AppDeps;
  runs: Runs;
}
