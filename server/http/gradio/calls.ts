/**
 * The curl ("call") API's jobs (../../shared/specs/gradio-protocol.md §6):
 * `POST call/generate` starts one and returns its id; `GET
 * call/generate/:id` reads it. Each job keeps its latest partial frame and
 * its final one, so a reader that arrives late still gets the result (kept
 * `RESULT_TTL_MS`). As for queue streams, a job nobody reads within
 * `attachMs` of its start is cancelled, and one job has one reader.
 */
import { callFrame, type GradioAction } from './frames.ts';
import type { Frame, SseOut } from '../sse.ts';

/** Finished results are kept this long for their GET. */
const RESULT_TTL_MS = 10 * 60_000;

export class CallJob {
  readonly ac = new AbortController();
  finished = false;
  #latest: Frame | null = null;
  #final: Frame | null = null;
  #out: SseOut | null = null;
  #finishedAt = 0;

  constructor(readonly eventId: string) {}

  get attached(): boolean {
    return this.#out !== null;
  }

  get expired(): boolean {
    return this.finished && !this.#out && Date.now() - this.#finishedAt > RESULT_TTL_MS;
  }

  emit(a: GradioAction): void {
    const f = callFrame(a);
    if (!f || this.#final) return; // (drive() marks `finished` before it emits the last action)
    const frame = { event: f.event, data: JSON.stringify(f.data) };
    if (a.kind === 'completed' || a.kind === 'failed') {
      this.finished = true;
      this.#finishedAt = Date.now();
      this.#final = frame;
    } else {
      this.#latest = frame;
    }
    if (this.#out) {
      void this.#out.send(frame);
      if (this.finished) this.#end();
    }
  }

  /** A reader: the latest partial frame (or the final one) first. False when another reader holds it. */
  attach(out: SseOut): boolean {
    if (this.#out) return false;
    if (this.#final) {
      void out.send(this.#final);
      out.close();
      return true;
    }
    this.#out = out;
    if (this.#latest) void out.send(this.#latest);
    return true;
  }

  /** The reader left before the result: free the model. */
  left(out: SseOut): void {
    if (this.#out !== out) return;
    this.#out = null;
    if (!this.finished) this.ac.abort(new Error('client disconnected'));
  }

  #end(): void {
    const out = this.#out;
    this.#out = null;
    out?.close();
  }

  close(reason: unknown): void {
    if (!this.finished) this.ac.abort(reason);
    this.#end();
  }
}

export class Calls {
  readonly #jobs = new Map<string, CallJob>();

  constructor(private readonly attachMs: number) {}

  get size(): number {
    return this.#jobs.size;
  }

  get(eventId: string): CallJob | undefined {
    return this.#jobs.get(eventId);
  }

  create(eventId: string): CallJob {
    const job = new CallJob(eventId);
    this.#jobs.set(eventId, job);
    const deadline = setTimeout(() => {
      if (!job.attached && !job.finished) job.ac.abort(new Error(`no reader opened the result stream within ${this.attachMs} ms`));
    }, this.attachMs);
    deadline.unref?.();
    return job;
  }

  sweep(): void {
    for (const [id, job] of this.#jobs) if (job.expired) this.#jobs.delete(id);
  }

  close(reason: unknown): void {
    for (const job of this.#jobs.values()) job.close(reason);
  }
}
