/**
 * POST /api/generate/stream: the same run as /api/generate, as server-sent
 * events: one `event: <type>` + `data: <StreamEvent JSON>` frame per event, in
 * the order describe() yields them, ending after `done` or `error`.
 *
 * The first event is awaited before answering, so refusals that happen at
 * admission (queue full, shutting down) still get their HTTP status instead
 * of a 200 stream carrying an error. The body is a pull-based ReadableStream:
 * when the client disconnects, the runtime cancels it, which aborts the run
 * and frees the queue at once. While nothing happens for `heartbeatMs` (a long
 * wait in the queue, a slow prefill), a `: keep-alive` comment goes out, so
 * proxies with an idle timeout (Spaces, Cloud Run, nginx) keep the
 * connection; SSE clients ignore comments.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { StreamEvent } from '../../common/protocol.ts';
import type { App, RouteContext } from './context.ts';
import { fromApiError, toHttpError } from './errors.ts';
import { GenerateRequestSchema, errorResponses } from './schemas.ts';
import { checkGenerate } from './validation.ts';

const encoder = new TextEncoder();
const KEEP_ALIVE = encoder.encode(': keep-alive\n\n');

/** One SSE frame. JSON.stringify never emits raw newlines, so one data line suffices. */
export function sseFrame(ev: StreamEvent): Uint8Array {
  return encoder.encode(`event: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`);
}

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
} as const;

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
    ...errorResponses(400, 401, 413, 429, 500, 503),
  },
});

export function registerStreamRoutes(app: App, { deps, runs }: RouteContext): void {
  app.openapi(streamRoute, async (c) => {
    const req = checkGenerate(c.req.valid('json'), deps.pipeline.maxNewTokens);
    runs.assertAccepting();
    const log = c.get('log');
    c.set('logFields', { ...c.get('logFields'), descriptionChars: req.description.length, stream: true });

    const ac = new AbortController();
    const onClientGone = () => ac.abort(new Error('client disconnected'));
    c.req.raw.signal.addEventListener('abort', onClientGone, { once: true });
    const iterator = runs.run(req, { signal: ac.signal, transport: 'sse', log });

    // Admission: the first event (or a throw) decides between an error status and a stream.
    let first: IteratorResult<StreamEvent>;
    try {
      first = await iterator.next();
    } catch (err) {
      throw toHttpError(err, log);
    }
    if (!first.done && first.value.type === 'error') {
      await iterator.return(undefined);
      throw fromApiError(first.value.error);
    }

    let pending: StreamEvent | null = first.done ? null : first.value;
    /** The event being awaited; it survives a keep-alive, so no event is ever lost. */
    let nextEvent: Promise<IteratorResult<StreamEvent>> | null = null;
    let finished = first.done === true;
    /** The client left: the controller is closed, nothing may be written any more. */
    let cancelled = false;
    const finish = () => {
      finished = true;
      c.req.raw.signal.removeEventListener('abort', onClientGone);
    };
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          if (!pending && !finished) {
            nextEvent ??= iterator.next();
            let timer: ReturnType<typeof setTimeout> | undefined;
            const idle = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), deps.config.heartbeatMs)));
            const next = await Promise.race([nextEvent, idle]).finally(() => clearTimeout(timer));
            if (cancelled) return; // the client left while we waited for the event
            if (next === null) {
              controller.enqueue(KEEP_ALIVE);
              return;
            }
            nextEvent = null;
            if (next.done) finish();
            else pending = next.value;
          }
          if (!pending) {
            controller.close();
            return;
          }
          const ev = pending;
          pending = null;
          controller.enqueue(sseFrame(ev));
          if (ev.type === 'done' || ev.type === 'error') {
            finish();
            controller.close();
            // Let the run's bookkeeping (metrics, log line, queue slot) finish now.
            await iterator.return(undefined);
          }
        } catch (err) {
          if (cancelled) return;
          // A mid-stream failure becomes an `error` event before the stream closes.
          const httpErr = toHttpError(err, log);
          controller.enqueue(sseFrame({ type: 'error', error: httpErr.toApiError() }));
          finish();
          controller.close();
        }
      },
      async cancel() {
        // Client went away: abort the run (frees its queue slot), then unwind the generator.
        cancelled = true;
        ac.abort(new Error('client disconnected'));
        finish();
        await iterator.return(undefined).catch(() => undefined);
      },
    });
    return new Response(body, { status: 200, headers: SSE_HEADERS }) as never;
  });
}
