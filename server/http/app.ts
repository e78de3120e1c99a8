/**
 * The HTTP app: middleware and routes only. `createApp(deps)` is pure
 * composition (no listening, no env), so tests call `app.request()` without a
 * port and main.ts serves the same object with @hono/node-server.
 *
 * Order: request log + metrics → security headers → CORS → rate limit →
 * API key → body size → routes → UI fallback. One error handler (errors.ts).
 */
import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Context, MiddlewareHandler } from 'hono';
import { createKeyChecker } from './auth.ts';
import type { App, AppEnv, RouteContext } from './context.ts';
import { registerDocs } from './docs.ts';
import { HttpError, errorBody, toHttpError } from './errors.ts';
import { registerGradioRoutes } from './gradio.ts';
import { registerHealthRoutes } from './health.ts';
import { registerJsonRoutes } from './json.ts';
import { queueStats } from './queue-stats.ts';
import { RateLimiter } from './rate-limit.ts';
import { Runs } from './runs.ts';
import { registerStatic } from './static.ts';
import { registerStreamRoutes } from './stream.ts';
import type { AppDeps } from './types.ts';
import { httpErrorFromZod } from './validation.ts';

export interface CreatedApp {
  app: App;
  runs: Runs;
  /** Stop taking work, finish or cancel runs within the grace period, close Gradio streams. */
  shutdown(): Promise<{ cancelled: number }>;
}

/** Paths that speak Gradio's error format (`{detail}`) instead of ours. */
const isGradioPath = (path: string) => path === '/config' || path === '/config/' || path.startsWith('/gradio_api/');

/** Routes that run the model: rate limited by the configured bucket. */
const isGenerationRoute = (method: string, path: string) =>
  method === 'POST' &&
  (path.startsWith('/api/generate') ||
    path.startsWith('/gradio_api/queue/join') ||
    path.startsWith('/gradio_api/call/') ||
    path.startsWith('/gradio_api/run/'));

/** CPU-only work (the editor validates as the user types): a bucket ten times larger. */
const isCheckRoute = (method: string, path: string) => method === 'POST' && (path === '/api/validate' || path === '/api/repair');

/** Routes that need the API key when one is set. */
const needsKey = (path: string) =>
  (path.startsWith('/api/') && path !== '/api/health' && path !== '/api/ready' && path !== '/api/status') ||
  path === '/config' ||
  path === '/config/' ||
  (path.startsWith('/gradio_api/') &&
    !path.startsWith('/gradio_api/heartbeat/') &&
    !path.startsWith('/gradio_api/cancel') &&
    !path.startsWith('/gradio_api/reset'));

/**
 * Content-Security-Policy for the UI and /docs: own scripts only (no inline
 * scripts), inline styles allowed because mermaid renders SVG with inline
 * styles, data:/blob: images for SVG/PNG export, same-origin API calls.
 * frame-ancestors allows the Hugging Face Space page to embed the app.
 */
export const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'self'", 'https://huggingface.co', 'https://*.hf.space'],
};

export function createApp(deps: AppDeps): CreatedApp {
  const { config, logger, metrics } = deps;
  const runs = new Runs({ describe: deps.describe, pipeline: deps.pipeline, metrics, logger, logInputs: config.logInputs });
  const ctx: RouteContext = { deps, runs };
  const app: App = new OpenAPIHono<AppEnv>({
    // zod failures → one clear 400/413 (through the error handler).
    defaultHook: (result) => {
      if (!result.success) throw httpErrorFromZod(result.error);
    },
  });

  const blocked = (c: Context<AppEnv>, reason: string) => {
    metrics.blocked.inc({ reason });
    c.set('logFields', { ...c.get('logFields'), blocked: reason });
  };

  // 1. Request id, structured log line, metrics.
  app.use('*', async (c, next) => {
    const requestId = randomUUID();
    const log = logger.child ? logger.child({ reqId: requestId }) : logger;
    c.set('requestId', requestId);
    c.set('log', log);
    c.set('logFields', {});
    const t0 = performance.now();
    await next();
    const ms = performance.now() - t0;
    const route = c.get('routeLabel') ?? routeLabel(c);
    metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.requestDuration.observe({ method: c.req.method, route }, ms / 1000);
    c.res.headers.set('X-Request-Id', requestId);
    const line = {
      method: c.req.method,
      path: c.req.path,
      route,
      status: c.res.status,
      ms: Math.round(ms * 10) / 10,
      inBytes: Number(c.req.header('content-length') ?? 0),
      ip: clientIp(c, config.trustProxy),
      ...c.get('logFields'),
    };
    const status = c.res.status;
    if (status >= 500 && status !== 503) log.error(line, 'request');
    else if (isQuiet(c.req.path)) log.debug?.(line, 'request'); // probes and assets: only at debug
    else if (status >= 400) log.warn(line, 'request');
    else log.info(line, 'request');
  });

  // 2. Security headers.
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: CSP,
      xFrameOptions: false, // frame-ancestors in the CSP decides (Spaces embeds the app)
      crossOriginResourcePolicy: config.corsOrigins.length ? 'cross-origin' : 'same-origin',
      strictTransportSecurity: 'max-age=15552000; includeSubDomains',
    }),
  );

  // 3. CORS: same-origin unless CORS_ORIGINS allows more.
  if (config.corsOrigins.length) {
    const any = config.corsOrigins.includes('*');
    const corsMw = cors({
      origin: any ? '*' : config.corsOrigins,
      allowHeaders: ['Content-Type', 'Authorization', 'X-API-Key', 'X-HF-Authorization', 'x-gradio-user'],
      exposeHeaders: ['Retry-After', 'X-Request-Id'],
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      maxAge: 600,
    });
    for (const p of ['/api/*', '/gradio_api/*', '/config', '/openapi.json']) app.use(p, corsMw);
  }

  // 4. Rate limit per client IP (work-starting routes only).
  if (config.rateLimit && config.rateLimit.burst > 0) {
    const generation = new RateLimiter(config.rateLimit);
    const checks = new RateLimiter({ burst: config.rateLimit.burst * 10, perSecond: config.rateLimit.perSecond * 10 });
    app.use('*', async (c, next) => {
      const { method, path } = c.req;
      const limiter = isGenerationRoute(method, path) ? generation : isCheckRoute(method, path) ? checks : null;
      if (!limiter) return next();
      const wait = limiter.take(clientIp(c, config.trustProxy));
      if (wait > 0) {
        blocked(c, 'rate_limited');
        throw new HttpError('rate_limited', `Too many requests from this client; try again in ${wait} s.`, { retryAfterSeconds: wait });
      }
      return next();
    });
  }

  // 5. API key.
  const checkKey = createKeyChecker(config.apiKey);
  if (checkKey) {
    app.use('*', async (c, next) => {
      if (c.req.method === 'OPTIONS' || !needsKey(c.req.path)) return next();
      if (!checkKey(c.req.raw.headers)) {
        blocked(c, 'unauthorized');
        throw new HttpError('unauthorized', 'API key required: send it as `X-API-Key: <key>` or `Authorization: Bearer <key>`.');
      }
      return next();
    });
  }

  // 6. Body size (checked on Content-Length and while streaming the body).
  const limitBody = bodyLimit({
    maxSize: config.maxBodyBytes,
    onError: (c) => {
      blocked(c as Context<AppEnv>, 'too_large');
      throw new HttpError('too_large', `Request body is too large: at most ${config.maxBodyBytes} bytes.`);
    },
  });
  app.use('/api/*', limitBody);
  app.use('/gradio_api/*', limitBody);

  // 7. Routes.
  registerHealthRoutes(app, ctx);
  registerJsonRoutes(app, ctx);
  registerStreamRoutes(app, ctx);
  const gradio = registerGradioRoutes(app, ctx);
  registerDocs(app, ctx);
  if (config.exposeMetrics !== false) app.get('/metrics', async (c) => {
    const q = queueStats(deps.pipeline.queue);
    metrics.queueDepth.set({ state: 'running' }, q.running);
    metrics.queueDepth.set({ state: 'waiting' }, q.waiting);
    c.header('Content-Type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });
  app.all('/api/*', (c) => {
    const path = c.req.path.length > 1 ? c.req.path.replace(/\/$/, '') : c.req.path;
    const allowed = API_METHODS[path];
    if (allowed) {
      c.header('Allow', allowed);
      throw new HttpError('method_not_allowed', `${path} takes ${allowed} requests (got ${c.req.method}); see /docs.`);
    }
    throw new HttpError('not_found', 'No such API endpoint; see /docs.');
  });
  registerStatic(app, deps.staticDir ?? null);

  app.notFound((c) => {
    if (isGradioPath(c.req.path)) {
      const message = 'No such route; this app serves /gradio_api/queue/join and /gradio_api/call/generate (see /gradio_api/info).';
      return c.json({ detail: message, error: message }, 404);
    }
    return c.json(errorBody(new HttpError('not_found', 'Not found.')), 404);
  });

  // One error handler: HttpError → its status; Hono's own exceptions mapped; the rest → 500 with an id.
  app.onError((err, c) => {
    const log = c.get('log') ?? logger;
    let e: HttpError;
    if (err instanceof HTTPException && !(err instanceof HttpError)) {
      if (err.status === 400) e = new HttpError('invalid_json', 'The request body is not valid JSON.');
      else if (err.status === 413) e = new HttpError('too_large', `Request body is too large: at most ${config.maxBodyBytes} bytes.`);
      else if (err.status === 415) {
        e = new HttpError('unsupported_media_type', 'Send the body as JSON, with the header `Content-Type: application/json`.');
      } else if (err.status === 401) e = new HttpError('unauthorized', 'Unauthorized.');
      else e = new HttpError(err.status >= 500 ? 'internal' : 'invalid_request', err.message || 'Bad request.', { status: err.status });
    } else {
      e = toHttpError(err, log);
    }
    // Refusals are counted once; a run the client cancelled (499) was not refused.
    if (e.status >= 400 && e.status < 500 && e.status !== 499 && !c.get('logFields')?.blocked) blocked(c, e.code);
    if (e.errorId) c.set('logFields', { ...c.get('logFields'), errorId: e.errorId });
    const headers = e.headers();
    if (isGradioPath(c.req.path)) {
      // Gradio clients read `detail` (a 401 on /config: `detail.auth_message`).
      const body =
        e.code === 'unauthorized' && c.req.path.startsWith('/config')
          ? { detail: { auth_message: 'API key required: pass it as X-API-Key (headers) or token' } }
          : { detail: e.message, error: e.message };
      return c.json(body, e.status as 400, headers);
    }
    return c.json(errorBody(e), e.status as 400, headers);
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

const EXACT_ROUTES = new Set([
  '/api/generate',
  '/api/generate/stream',
  '/api/validate',
  '/api/repair',
  '/api/health',
  '/api/ready',
  '/api/status',
  '/metrics',
  '/openapi.json',
  '/docs',
  '/config',
  '/gradio_api/info',
  '/gradio_api/queue/join',
  '/gradio_api/queue/data',
  '/gradio_api/cancel',
  '/gradio_api/reset',
]);
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
const PREFIX_ROUTES = ['/gradio_api/call/', '/gradio_api/heartbeat/', '/gradio_api/run/', '/docs/assets/', '/assets/'];

/** A low-cardinality route label for metrics (never the raw path: ids and probes would explode it). */
function routeLabel(c: Context): string {
  const path = c.req.path.length > 1 ? c.req.path.replace(/\/$/, '') : c.req.path;
  if (EXACT_ROUTES.has(path)) return path;
  const prefix = PREFIX_ROUTES.find((p) => path.startsWith(p));
  if (prefix) return `${prefix}*`;
  if (path.startsWith('/api/') || path.startsWith('/gradio_api/')) return 'api_other';
  return 'static';
}

const isQuiet = (path: string) => path === '/api/health' || path === '/api/ready' || path === '/api/status' || path === '/metrics' || path.startsWith('/assets/') || path.startsWith('/docs/assets/');

/**
 * The client address: the socket's, or behind a trusted proxy X-Forwarded-For's
 * last hop: the address the proxy itself saw. Earlier hops are whatever the
 * client sent (a proxy appends, or like Cloud Run replaces the header), so
 * trusting the first one would let anyone pick a fresh rate-limit bucket per request.
 */
export function clientIp(c: Context, trustProxy: number): string {
  if (trustProxy > 0) {
    // Each trusted proxy appends the address it saw; entries before those are the client's own claims.
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    if (hops.length) return hops[Math.max(0, hops.length - trustProxy)]!;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? c.req.header('x-real-ip') ?? 'local';
}

export type { MiddlewareHandler };
