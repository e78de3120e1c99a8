/**
 * Callbacks in, async iterator out: the bridge between the engine's and the
 * queue's callbacks (onToken, onPosition, onStatus) and describe()'s
 * generator.
 *
 * The producer never waits (engine callbacks are synchronous), so the buffer
 * is kept small by coalescing with the last buffered event instead: a token
 * after a token merges (text appended, latest count), and a newer
 * candidate/queued/loading event replaces an older one of its kind. A slow
 * consumer therefore sees fewer, bigger events, never a growing backlog, and
 * the order of events is preserved.
 */
import type { StreamEvent } from '../../common/protocol.ts';

const REPLACEABLE = new Set<StreamEvent['type']>(['candidate', 'queued', 'loading']);

export class EventChannel {
  private readonly buffer: StreamEvent[] = [];
  private wake: (() => void) | null = null;
  private closed = false;

  /** Events waiting for the consumer (for tests). */
  get pending(): number {
    return this.buffer.length;
  }

  push(event: StreamEvent): void {
    if (this.closed) return;
    const last = this.buffer[this.buffer.length - 1];
    if (last && last.type === 'token' && event.type === 'token') {
      this.buffer[this.buffer.length - 1] = { type: 'token', text: last.text + event.text, tokens: event.tokens };
    } else if (last && last.type === event.type && REPLACEABLE.has(event.type)) {
      this.buffer[this.buffer.length - 1] = event;
    } else {
      this.buffer.push(event);
    }
    this.notify();
  }

  /** No more events; the iterator ends once the buffer is drained. */
  close(): void {
    this.closed = true;
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<StreamEvent> {
    for (;;) {
      const next = this.buffer.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
