/**
 * The HTTP app: middleware and routes only. `createApp(deps)` is pure
 * composition (no listening, no env), so tests call `app.request()` without a
 * port and main.ts serves the same object with @hono/node-server.
 *
 * Everywhere: request log + metrics → security headers. Then route groups,
 * each with the middlewares it needs (middleware.ts factories):
 * - probes (/api/health, /api/ready, /api/status): nothing else; quiet logs;
 * - generation (/api/generate[/stream]): rate limit → API key → body size → JSON only;
 * - checks (/api/validate, /api/repair): a 10× larger rate limit, the same others;
 * - Gradio (/config, /gradio_api/*): its own group and error format; runs
 *   start as generation does;
 * - docs, metrics, the built UI.
 * One error handler per format (errors.ts; Gradio's `{detail}` in its group).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { every } from 'hono/combine';
import { HTTPException } from 'hono/http-exception';
import type { Context } from 'hono';
import type { App, AppEnv, RouteContext } from './context.ts';
import { registerDocs } from './docs.ts';
import { HttpError, errorBody, toHttpError } from './errors.ts';
import { registerGradioRoutes } from './gradio/routes.ts';
import { registerHealthRoutes } from './health.ts';
import { registerJsonRoutes } from './json.ts';
import { blocked, corsFor, limitBody, quiet, rateLimit, requestLog, requireJson, requireKey, securityHeaders } from './middleware.ts';
import { RateLimiter } from './rate-limit.ts';
import { Runs } from './runs.ts';
import { registerStatic } from './static.ts';
import { registerStreamRoutes } from './stream.ts';
import type { AppDeps } from './types.ts';

export { CSP, clientIp } from './middleware.ts';

export interface CreatedApp {
  app: App;
  runs: Runs;
  /** Stop taking work, finish or cancel runs within the grace period, close Gradio streams. */
  shutdown(): Promise<{ cancelled: number }>;
}

export function createApp(deps: AppDeps): CreatedApp {
  const { config, logger, metrics } = deps;
  const runs = new Runs({ pipeline: deps.pipeline, metrics, logger, logInputs: config.logInputs });
  const ctx: RouteContext = { deps, runs };

  // The middlewares, built once.
  const limits = config.rateLimit && config.rateLimit.burst > 0 ? config.rateLimit : null;
  const generationBucket = limits ? new RateLimiter(limits) : null;
  const checkBucket = limits ? new RateLimiter({ burst: limits.burst * 10, perSecond: limits.perSecond * 10 }) : null;
  const key = requireKey(config.apiKey, metrics);
  const bounded = limitBody(config.maxBodyBytes, metrics);
  const body = [bounded, requireJson(metrics)];
  const guards = {
    quiet: quiet(),
    key,
    starts: every(rateLimit(generationBucket, config.trustProxy, metrics), key, ...body),
    checks: every(rateLimit(checkBucket, config.trustProxy, metrics), key, ...body),
  };

  const app: App = new OpenAPIHono<AppEnv>();
  app.use(requestLog(logger, metrics, config.trustProxy), securityHeaders(config));

  // The JSON API group.
  const api: App = new OpenAPIHono<AppEnv>();
  const corsMw = corsFor(config);
  if (corsMw) api.use('/api/*', corsMw);
  registerHealthRoutes(api, ctx, guards);
  registerJsonRoutes(api, ctx, guards);
  registerStreamRoutes(api, ctx, guards);
  api.all('/api/*', (c) => {
    const path = c.req.path.length > 1 ? c.req.path.replace(/\/$/, '') : c.req.path;
    const allowed = API_METHODS[path];
    if (allowed) {
      c.header('Allow', allowed);
      throw new HttpError('method_not_allowed', `${path} takes ${allowed} requests (got ${c.req.method}); see /docs.`);
    }
    throw new HttpError('not_found', 'No such API endpoint; see /docs.');
  });
  app.route('/', api);

  // The Gradio group, with Gradio's error format.
  const gradioApp: App = new OpenAPIHono<AppEnv>();
  if (corsMw) gradioApp.use('/gradio_api/*', corsMw).use('/config', corsMw);
  const gradio = registerGradioRoutes(gradioApp, ctx, { keyed: key, starts: guards.starts, bounded });
  gradioApp.all('/gradio_api/*', () => {
    throw new HttpError('not_found', 'No such route; this app serves /gradio_api/queue/join and /gradio_api/call/generate (see /gradio_api/info).');
  });
  gradioApp.onError((err, c) => {
    const e = httpError(err, c, deps);
    // Gradio clients read `detail` (a 401 on /config: `detail.auth_message`).
    const detail = e.code === 'unauthorized' && c.get('configRoute') ? { auth_message: 'API key required: pass it as X-API-Key (headers) or token' } : e.message;
    return c.json(detail === e.message ? { detail, error: e.message } : { detail }, e.status as 400, e.headers());
  });
  app.route('/', gradioApp);

  if (corsMw) app.use('/openapi.json', corsMw); // before the route: Hono runs handlers in the order they were added
  registerDocs(app, ctx, guards.quiet);
  if (config.exposeMetrics !== false) {
    app.get('/metrics', guards.quiet, async (c) => {
      const q = deps.queue();
      metrics.queueDepth.set({ state: 'running' }, q.running);
      metrics.queueDepth.set({ state: 'waiting' }, q.waiting);
      c.header('Content-Type', metrics.registry.contentType);
      return c.body(await metrics.registry.metrics());
    });
  }
  registerStatic(app, deps.staticDir ?? null, guards.quiet);

  app.notFound((c) => c.json(errorBody(new HttpError('not_found', 'Not found.')), 404));
  app.onError((err, c) => {
    const e = httpError(err, c, deps);
    return c.json(errorBody(e), e.status as 400, e.headers());
  });

  return {
    app,
    runs,
    async shutdown() {
      const res = await runs.drain(config.shutdownGraceMs);
      gradio.close();
      return res;
    },
  };
}

/** Anything thrown → HttpError: ours as they are, Hono's mapped, the rest → 500 with an id. Refusals counted once. */
function httpError(err: Error, c: Context<AppEnv>, { config, logger, metrics }: AppDeps): HttpError {
  const log = c.get('log') ?? logger;
  let e: HttpError;
  if (err instanceof HTTPException && !(err instanceof HttpError)) {
    if (err.status === 400) e = new HttpError('invalid_json', 'The request body is not valid JSON.');
    else if (err.status === 413) e = new HttpError('too_large', `Request body is too large: at most ${config.maxBodyBytes} bytes.`);
    else if (err.status === 401) e = new HttpError('unauthorized', 'Unauthorized.');
    else e = new HttpError(err.status >= 500 ? 'internal' : 'invalid_request', err.message || 'Bad request.', { status: err.status });
  } else {
    e = toHttpError(err, log);
  }
  // A run the client cancelled (499) was not refused.
  if (e.status >= 400 && e.status < 500 && e.status !== 499 && !c.get('logFields')?.blocked) blocked(c, metrics, e.code);
  if (e.errorId) c.set('logFields', { ...c.get('logFields'), errorId: e.errorId });
  return e;
}

/** The JSON API's routes and their one method, for a 405 that says which (instead of a 404). */
const API_METHODS: Record<string, string> = {
  '/api/generate': 'POST',
  '/api/generate/stream': 'POST',
  '/api/validate': 'POST',
  '/api/repair': 'POST',
  '/api/health': 'GET',
  '/api/ready': 'GET',
  '/api/status': 'GET',
};
