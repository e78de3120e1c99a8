/**
 * Every server-sent-events response the app writes, framed and kept alive
 * in this one place (hono's `streamSSE` does the framing): the /api stream,
 * Gradio's queue stream, its curl result stream and its heartbeat route.
 *
 * Keep-alive: after `heartbeatMs` without a write, `heartbeat` goes out (a
 * comment for /api, Gradio's own heartbeat message for Gradio), so proxies
 * with an idle timeout (Spaces, Cloud Run, nginx) keep the connection.
 *
 *   return sseResponse(c, { heartbeatMs, heartbeat: KEEP_ALIVE }, async (out) => {
 *     for await (const ev of events) await out.send({ event: ev.type, data: JSON.stringify(ev) });
 *   });
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

/** The /api stream's keep-alive: a comment, which SSE clients ignore. */
export const KEEP_ALIVE = { comment: 'keep-alive' } as const;

export type Frame = { event?: string; data: string } | { comment: string };

export interface SseOut {
  /** Writes one frame; resolves when the client has taken it (backpressure). Never throws. */
  send(frame: Frame): Promise<void>;
  /** Ends the response. */
  close(): void;
  /** True once closed by us or by the client leaving. */
  readonly closed: boolean;
}

export interface SseOptions {
  heartbeatMs: number;
  heartbeat: Frame;
  /** The client went away before we closed the stream. */
  onLeave?: () => void;
}

/**
 * One frame as text. Written here rather than with `writeSSE`, which awaits
 * before it writes: frames and the close must reach the stream in call order.
 */
export function formatFrame(frame: Frame): string {
  if ('comment' in frame) return `: ${frame.comment}\n\n`;
  const lines = frame.event ? [`event: ${frame.event}`] : [];
  for (const line of frame.data.split(/\r\n|\r|\n/)) lines.push(`data: ${line}`);
  return `${lines.join('\n')}\n\n`;
}

/**
 * An SSE response whose body `produce` writes; the response ends when
 * `produce` has resolved and `close()` was called, or the client left.
 */
export function sseResponse(c: Context, options: SseOptions, produce: (out: SseOut) => void | Promise<void>): Response {
  const res = streamSSE(c, async (stream) => {
    let closed = false;
    let lastWrite: Promise<unknown> = Promise.resolve();
    let timer: ReturnType<typeof setTimeout> | null = null;
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const finish = () => {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      end();
    };
    const beatLater = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void out.send(options.heartbeat), options.heartbeatMs);
      timer.unref?.();
    };
    const out: SseOut = {
      async send(frame) {
        if (closed) return;
        beatLater();
        // StreamingApi.write reaches the writer synchronously (so in call order) and never throws.
        lastWrite = stream.write(formatFrame(frame));
        await lastWrite;
      },
      close: finish,
      get closed() {
        return closed;
      },
    };
    stream.onAbort(() => {
      if (closed) return;
      finish();
      options.onLeave?.();
    });
    beatLater();
    await produce(out);
    await ended;
    await lastWrite;
  });
  // streamSSE sets the basics; proxies must neither buffer nor transform the stream.
  res.headers.set('Content-Type', 'text/event-stream; charset=utf-8');
  res.headers.set('Cache-Control', 'no-cache, no-transform');
  res.headers.set('X-Accel-Buffering', 'no');
  return res;
}
