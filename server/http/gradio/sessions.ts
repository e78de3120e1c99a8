/**
 * Gradio's queue streams (sse_v3, ../../shared/specs/gradio-protocol.md §5):
 * one `GET queue/data` stream per `session_hash`, multiplexing that
 * session's pending jobs. Frames wait in a buffer until the reader attaches.
 *
 * Two rules keep the model for clients that read:
 * - a job whose session has no reader `attachMs` after its join (a client
 *   that never opens `queue/data`) is cancelled, freeing the queue;
 * - a session has one reader: a second `GET queue/data` while the first is
 *   open is refused (it cannot take over another client's stream).
 */
import type { QueueMessages } from './frames.ts';
import type { SseOut } from '../sse.ts';

/** Wait this long after a session's last completion before close_stream (a join may be in flight). */
const CLOSE_GRACE_MS = 100;
/** Idle sessions (nothing pending, no reader) are forgotten after this long. */
const SESSION_TTL_MS = 10 * 60_000;

export interface QueueJob {
  eventId: string;
  ac: AbortController;
  finished: boolean;
  messages: QueueMessages;
}

export class Session {
  readonly pending = new Map<string, QueueJob>();
  lastActive = Date.now();
  #buffer: object[] = [];
  #out: SseOut | null = null;
  #closeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(readonly hash: string) {}

  get attached(): boolean {
    return this.#out !== null;
  }

  send(msg: object): void {
    this.lastActive = Date.now();
    if (this.#out) void this.#out.send({ data: JSON.stringify(msg) });
    else this.#buffer.push(msg);
  }

  /** The reader: gets the buffered frames, then the live ones. False when another reader holds the stream. */
  attach(out: SseOut): boolean {
    if (this.#out) return false;
    this.#out = out;
    this.lastActive = Date.now();
    for (const msg of this.#buffer.splice(0)) void out.send({ data: JSON.stringify(msg) });
    if (this.pending.size === 0) this.#closeStream();
    return true;
  }

  /** The reader left: its pending jobs are dropped and the model freed (as Gradio does). */
  left(out: SseOut): void {
    if (this.#out !== out) return;
    this.#out = null;
    this.lastActive = Date.now();
    for (const job of this.pending.values()) job.ac.abort(new Error('client disconnected'));
  }

  /** After a completion: when nothing else is pending, close the stream (after a short grace). */
  completed(eventId: string): void {
    this.pending.delete(eventId);
    if (this.pending.size > 0 || this.#closeTimer) return;
    this.#closeTimer = setTimeout(() => {
      this.#closeTimer = null;
      if (this.pending.size === 0) this.#closeStream();
    }, CLOSE_GRACE_MS);
    this.#closeTimer.unref?.();
  }

  #closeStream(): void {
    const out = this.#out;
    if (!out) return;
    this.#out = null;
    void out.send({ data: JSON.stringify({ msg: 'close_stream', event_id: null }) });
    out.close();
  }

  close(reason: unknown): void {
    if (this.#closeTimer) clearTimeout(this.#closeTimer);
    for (const job of this.pending.values()) job.ac.abort(reason);
    this.#closeStream();
  }
}

export class Sessions {
  readonly #map = new Map<string, Session>();

  /** `attachMs`: how long a joined job waits for its session's reader before it is cancelled. */
  constructor(private readonly attachMs: number) {}

  get size(): number {
    return this.#map.size;
  }

  get(hash: string): Session | undefined {
    return this.#map.get(hash);
  }

  /** Adds a joined job to its session (created on first use) and starts its reader deadline. */
  join(hash: string, job: QueueJob): Session {
    let session = this.#map.get(hash);
    if (!session) this.#map.set(hash, (session = new Session(hash)));
    session.pending.set(job.eventId, job);
    const s = session;
    const deadline = setTimeout(() => {
      if (!s.attached && !job.finished) job.ac.abort(new Error(`no reader opened queue/data within ${this.attachMs} ms`));
    }, this.attachMs);
    deadline.unref?.();
    job.ac.signal.addEventListener('abort', () => clearTimeout(deadline), { once: true });
    return session;
  }

  /** Forgets idle sessions (memory stays bounded under many clients). */
  sweep(now = Date.now()): void {
    for (const [hash, s] of this.#map) if (!s.attached && s.pending.size === 0 && now - s.lastActive > SESSION_TTL_MS) this.#map.delete(hash);
  }

  close(reason: unknown): void {
    for (const s of this.#map.values()) s.close(reason);
  }
}
