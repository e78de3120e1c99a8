/**
 * POST /api/generate/stream: the same run as /api/generate, as server-sent
 * events: one `event: <type>` + `data: <StreamEvent JSON>` frame per event, in
 * the order the pipeline yields them, ending after `done` or `error`.
 *
 * The first event is awaited before answering, so refusals that happen at
 * admission (queue full, shutting down) still get their HTTP status instead
 * of a 200 stream carrying an error. Then events are written as the client
 * reads them (sse.ts: framing, keep-alive comments while nothing happens);
 * a client that disconnects aborts the run, which frees the queue at once.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { StreamEvent } from '../../common/protocol.ts';
import { readGenerateRequest } from './body.ts';
import type { App, Guards, RouteContext } from './context.ts';
import { fromApiError, toHttpError } from './errors.ts';
import { GenerateRequestSchema, errorResponses } from './schemas.ts';
import { KEEP_ALIVE, sseResponse } from './sse.ts';

const frame = (ev: StreamEvent) => ({ event: ev.type, data: JSON.stringify(ev) });

const streamRoute = createRoute({
  method: 'post',
  path: '/api/generate/stream',
  tags: ['Generate'],
  summary: 'Generate a Mermaid diagram, streamed as server-sent events',
  description:
    'Events, each as `event: <type>` and `data: <JSON>`: `queued` (position), `loading` (percent), `started`, ' +
    '`token` (text), `candidate` (diagram so far), `invalid`, `repairing`, then exactly one of `done` (result) or `error`. ' +
    'Closing the connection cancels the run.',
  request: { body: { content: { 'application/json': { schema: GenerateRequestSchema } }, required: true } },
  responses: {
    200: {
      description: 'text/event-stream of StreamEvent frames',
      content: { 'text/event-stream': { schema: z.string().openapi({ example: 'event: queued\ndata: {"type":"queued","position":1,"queueLength":1}\n\n' }) } },
    },
    ...errorResponses(400, 401, 413, 415, 429, 500, 503),
  },
});

export function registerStreamRoutes(app: App, { deps, runs }: RouteContext, guards: Guards): void {
  app.openAPIRegistry.registerPath(streamRoute);
  app.post(streamRoute.path, guards.starts, async (c) => {
    const req = await readGenerateRequest(c, deps.maxNewTokens);
    runs.assertAccepting();
    const log = c.get('log');
    c.set('logFields', { ...c.get('logFields'), descriptionChars: req.description.length, stream: true });

    const client = new AbortController(); // the client left (the request's own signal, or the stream's cancel)
    const iterator = runs.run(req, { signal: AbortSignal.any([c.req.raw.signal, client.signal]), transport: 'sse', log })[Symbol.asyncIterator]();

    // Admission: the first event (or a throw) decides between an error status and a stream.
    let first: IteratorResult<StreamEvent>;
    try {
      first = await iterator.next();
    } catch (err) {
      throw toHttpError(err, log);
    }
    if (!first.done && first.value.type === 'error') {
      await iterator.return?.(undefined);
      throw fromApiError(first.value.error);
    }

    const options = { heartbeatMs: deps.config.heartbeatMs, heartbeat: KEEP_ALIVE, onLeave: () => client.abort(new Error('client disconnected')) };
    return sseResponse(c, options, async (out) => {
      try {
        for (let next = first; !next.done && !out.closed; next = await iterator.next()) {
          await out.send(frame(next.value));
          if (next.value.type === 'done' || next.value.type === 'error') break;
        }
      } catch (err) {
        // A mid-stream failure becomes an `error` event before the stream closes.
        if (!out.closed) await out.send(frame({ type: 'error', error: toHttpError(err, log).toApiError() }));
      } finally {
        // Let the run's bookkeeping (metrics, log line, queue slot) finish now.
        await iterator.return?.(undefined);
        out.close();
      }
    });
  });
}
