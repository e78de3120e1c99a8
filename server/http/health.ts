/**
 * GET /api/health: the process is up (always 200, no auth: for liveness probes).
 * GET /api/ready: 200 once the model is loaded and warmed, else 503 with the
 * ReadyStatus (loading progress, or the load error): for orchestrator probes.
 * GET /api/status: the same ReadyStatus, always 200: for the UI and other
 * pollers, so a browser logs no failed request while the model loads.
 */
import { createRoute } from '@hono/zod-openapi';
import type { ReadyStatus } from '../../common/protocol.ts';
import type { App, Guards, RouteContext } from './context.ts';
import { HealthSchema, ReadyStatusSchema } from './schemas.ts';

const startedAt = Date.now();

const healthRoute = createRoute({
  method: 'get',
  path: '/api/health',
  tags: ['Health'],
  security: [], // never needs the API key
  summary: 'Liveness: the process is up',
  responses: { 200: { description: 'Up', content: { 'application/json': { schema: HealthSchema } } } },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/api/ready',
  tags: ['Health'],
  security: [], // never needs the API key
  summary: 'Readiness: the model is loaded and warmed',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: ReadyStatusSchema } } },
    503: { description: 'Loading (with progress), failed (with the error) or shutting down', content: { 'application/json': { schema: ReadyStatusSchema } } },
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/api/status',
  tags: ['Health'],
  security: [], // never needs the API key
  summary: 'Model status for polling: the same body as /api/ready, always 200',
  description:
    'Answers 200 in every state (`idle`, `loading` with `progress`, `warming`, `ready`, `error`), so a page that polls it ' +
    'while the model loads sees no failed requests. Probes that need a non-2xx answer until ready use `/api/ready`.',
  responses: { 200: { description: 'The model status', content: { 'application/json': { schema: ReadyStatusSchema } } } },
});

export function readyStatus({ deps, runs }: RouteContext): ReadyStatus {
  const status = deps.status();
  const q = deps.queue();
  const out: ReadyStatus = { ...status, queueDepth: q.running + q.waiting };
  if (runs.draining) return { ...out, message: 'Shutting down', state: out.state === 'ready' ? 'idle' : out.state };
  const waitingFor = out.state === 'ready' ? (deps.notReadyReason?.() ?? null) : null;
  if (waitingFor) return { ...out, state: 'warming', progress: 99, message: waitingFor };
  return out;
}

export function registerHealthRoutes(app: App, ctx: RouteContext, { quiet }: Guards): void {
  // Probes: no API key, no rate limit, debug-level logs.
  for (const route of [healthRoute, readyRoute, statusRoute]) app.use(route.path, quiet);
  app.openapi(healthRoute, (c) =>
    c.json({ ok: true as const, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), buildId: ctx.deps.config.buildId ?? null, space: ctx.deps.config.space ?? null }, 200),
  );
  app.openapi(readyRoute, (c) => {
    const status = readyStatus(ctx);
    if (status.state === 'ready' && !ctx.runs.draining) return c.json(status, 200);
    c.header('Retry-After', '5');
    c.header('Cache-Control', 'no-store');
    return c.json(status, 503);
  });
  app.openapi(statusRoute, (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(readyStatus(ctx), 200);
  });
}
