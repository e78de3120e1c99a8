/**
 * The app's middlewares, each a small factory. app.ts mounts them on route
 * groups (and the routes of a group list the ones they take), so no
 * middleware matches route names as strings.
 */
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import type { ErrorCode } from '../../common/errors.ts';
import { createKeyChecker } from './auth.ts';
import { NOT_JSON_MESSAGE, isJson } from './body.ts';
import type { AppEnv } from './context.ts';
import { HttpError } from './errors.ts';
import type { Metrics } from './metrics.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { HttpConfig, Logger } from './types.ts';

type Mw = MiddlewareHandler<AppEnv>;

/** Counts and logs a refusal once. */
export function blocked(c: Context<AppEnv>, metrics: Metrics, reason: ErrorCode | string): void {
  metrics.blocked.inc({ reason });
  c.set('logFields', { ...c.get('logFields'), blocked: reason });
}

/** Request id, one structured log line and the metrics per request. Routes marked `quiet()` log at debug. */
export function requestLog(logger: Logger, metrics: Metrics, trustProxy: number): Mw {
  return async (c, next) => {
    const requestId = randomUUID();
    const log = logger.child ? logger.child({ reqId: requestId }) : logger;
    c.set('requestId', requestId);
    c.set('log', log);
    c.set('logFields', {});
    const t0 = performance.now();
    await next();
    const ms = performance.now() - t0;
    const route = routeLabel(c);
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
      ip: clientIp(c, trustProxy),
      ...c.get('logFields'),
    };
    const status = c.res.status;
    if (status >= 500 && status !== 503) log.error(line, 'request');
    else if (c.get('quiet')) log.debug?.(line, 'request'); // probes and assets: only at debug
    else if (status >= 400) log.warn(line, 'request');
    else log.info(line, 'request');
  };
}

/**
 * A low-cardinality route label for metrics: the pattern the route was
 * registered with (never the raw path: ids and probes would explode it).
 */
function routeLabel(c: Context): string {
  const path = routePath(c, c.req.routeIndex);
  if (!path || path === '*' || path === '/*') return 'static';
  return path.length > 1 ? path.replace(/\/$/, '') : path;
}

/** Marks a route group's requests as routine (probes, assets): their log lines go to debug. */
export function quiet(): Mw {
  return async (c, next) => {
    c.set('quiet', true);
    await next();
  };
}

/**
 * Security headers. Content-Security-Policy for the UI and /docs: own scripts
 * only (no inline scripts), inline styles allowed because mermaid renders SVG
 * with inline styles, data:/blob: images for SVG/PNG export, same-origin API
 * calls. frame-ancestors allows the Hugging Face Space page to embed the app.
 */
export function securityHeaders(config: HttpConfig): Mw {
  return secureHeaders({
    contentSecurityPolicy: CSP,
    xFrameOptions: false, // frame-ancestors in the CSP decides (Spaces embeds the app)
    crossOriginResourcePolicy: config.corsOrigins.length ? 'cross-origin' : 'same-origin',
    strictTransportSecurity: 'max-age=15552000; includeSubDomains',
  });
}

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

/** CORS for the API groups: none (same-origin only) unless CORS_ORIGINS names origins; `*` allows all. */
export function corsFor(config: HttpConfig): Mw | null {
  if (!config.corsOrigins.length) return null;
  return cors({
    origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
    allowHeaders: ['Content-Type', 'Authorization', 'X-API-Key', 'X-HF-Authorization', 'x-gradio-user'],
    exposeHeaders: ['Retry-After', 'X-Request-Id'],
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    maxAge: 600,
  });
}

/** One token bucket per client IP; over it, 429 with Retry-After. */
export function rateLimit(limiter: RateLimiter | null, trustProxy: number, metrics: Metrics): Mw {
  return async (c, next) => {
    const wait = limiter ? limiter.take(clientIp(c, trustProxy)) : 0;
    if (wait > 0) {
      blocked(c, metrics, 'rate_limited');
      throw new HttpError('rate_limited', `Too many requests from this client; try again in ${wait} s.`, { retryAfterSeconds: wait });
    }
    await next();
  };
}

/** The API key, when one is set (auth.ts compares in constant time). */
export function requireKey(apiKey: string | undefined, metrics: Metrics): Mw {
  const check = createKeyChecker(apiKey);
  return async (c, next) => {
    if (check && c.req.method !== 'OPTIONS' && !check(c.req.raw.headers)) {
      blocked(c, metrics, 'unauthorized');
      throw new HttpError('unauthorized', 'API key required: send it as `X-API-Key: <key>` or `Authorization: Bearer <key>`.');
    }
    await next();
  };
}

/** Body size, checked on Content-Length and while the body streams in. */
export function limitBody(maxBytes: number, metrics: Metrics): Mw {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      blocked(c as Context<AppEnv>, metrics, 'too_large');
      throw new HttpError('too_large', `Request body is too large: at most ${maxBytes} bytes.`);
    },
  });
}

/**
 * JSON bodies only (415 otherwise) on routes that start work. An HTML form
 * or a `fetch` with `text/plain` from another site is a "simple" request the
 * browser sends without asking the server first, so without this rule any
 * page could start runs here; `application/json` needs a CORS preflight,
 * which other origins fail unless CORS_ORIGINS allows them.
 */
export function requireJson(metrics: Metrics): Mw {
  return async (c, next) => {
    if (!isJson(c.req.header('content-type'))) {
      blocked(c, metrics, 'unsupported_media_type');
      throw new HttpError('unsupported_media_type', NOT_JSON_MESSAGE);
    }
    await next();
  };
}

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
