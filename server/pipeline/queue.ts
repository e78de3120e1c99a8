/**
 * One generation at a time (by default) in front of the model: a bounded
 * waiting list, positions reported to each waiting job, refusal with a retry
 * hint when full, and cancellation that frees the slot at once.
 *
 * No model code here, so plain timers test it. The engine never sees the
 * queue; it lives with the pipeline, which holds the slot across the model
 * pass and its retry (`acquire` … `release`).
 *
 * Semantics:
 * - `run(job, { signal, onPosition })` resolves/rejects with the job's result.
 * - A waiting job gets `onPosition(position, waiting)` on enqueue and whenever
 *   its position changes; position 1 is next to run.
 * - A waiting job whose `signal` aborts is removed at once (rejects with the
 *   signal's reason, an AbortError by default); the others move up.
 * - A running job receives its own AbortSignal, which aborts when the caller's
 *   signal aborts (or `abortAll`); the slot is freed when the job settles, so
 *   the model is never driven by two jobs beyond `concurrency`.
 * - A full waiting list refuses new work with `QueueFullError`, whose
 *   `retryAfterSeconds` estimates when a slot frees, from recent job durations.
 * - `close()` refuses new work (`QueueClosedError`) and resolves when the jobs
 *   already accepted have finished; `abortAll()` cancels them.
 */

export interface QueueOptions {
  /** Jobs running at once (default 1: one generation on the GPU). */
  concurrency?: number;
  /** Jobs allowed to wait beyond the running ones (default 32). 0 = refuse whenever busy. */
  maxWaiting?: number;
  /** Duration assumed for the retry estimate before any job has finished (ms, default 20 000). */
  defaultJobMs?: number;
  /** How many recent durations the estimate averages (default 10). */
  historySize?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export interface EnqueueOptions {
  /** Caller went away / pressed Stop. */
  signal?: AbortSignal;
  /** Called on enqueue and whenever the position changes while waiting (1 = next). */
  onPosition?: (position: number, waiting: number) => void;
  /** Called when the job starts running, with the ms it waited. */
  onStart?: (waitedMs: number) => void;
}

/** What a running job receives. */
export interface JobContext {
  /** Aborts when the caller's signal aborts or on `abortAll`. */
  signal: AbortSignal;
  /** ms the job waited in the queue before starting. */
  waitedMs: number;
}

export type Job<T> = (ctx: JobContext) => Promise<T>;

/** A held slot (from `acquire`): the model is the holder's until `release()`. */
export interface Slot extends JobContext {
  release(): void;
}

export class QueueFullError extends Error {
  readonly code = 'queue_full';
  constructor(
    readonly retryAfterSeconds: number,
    readonly waiting: number,
  ) {
    super(`The model queue is full (${waiting} waiting); try again in about ${retryAfterSeconds} s.`);
    this.name = 'QueueFullError';
  }
}

export class QueueClosedError extends Error {
  readonly code = 'shutting_down';
  constructor() {
    super('The server is shutting down and takes no new work.');
    this.name = 'QueueClosedError';
  }
}

export interface QueueSnapshot {
  running: number;
  waiting: number;
  concurrency: number;
  maxWaiting: number;
  closed: boolean;
}

interface Entry {
  start: () => void;
  reject: (reason: unknown) => void;
  onPosition?: (position: number, waiting: number) => void;
  lastPosition: number;
  lastWaiting: number;
  detach: () => void;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

export class GenerationQueue {
  readonly concurrency: number;
  readonly maxWaiting: number;
  private readonly defaultJobMs: number;
  private readonly historySize: number;
  private readonly now: () => number;
  private readonly waitingList: Entry[] = [];
  private readonly runningControllers = new Set<AbortController>();
  private readonly durations: number[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private readonly listeners = new Set<(snapshot: QueueSnapshot) => void>();
  private closed = false;

  constructor(options: QueueOptions = {}) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
    this.maxWaiting = Math.max(0, Math.floor(options.maxWaiting ?? 32));
    this.defaultJobMs = options.defaultJobMs ?? 20_000;
    this.historySize = Math.max(1, options.historySize ?? 10);
    this.now = options.now ?? Date.now;
  }

  /** Jobs running now. */
  get running(): number {
    return this.runningControllers.size;
  }

  /** Jobs waiting (not running). */
  get waiting(): number {
    return this.waitingList.length;
  }

  /** Running + waiting: what `/api/ready` reports as queue depth. */
  get depth(): number {
    return this.running + this.waiting;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  snapshot(): QueueSnapshot {
    return {
      running: this.running,
      waiting: this.waiting,
      concurrency: this.concurrency,
      maxWaiting: this.maxWaiting,
      closed: this.closed,
    };
  }

  /** Subscribe to depth changes (metrics). Returns unsubscribe. */
  onChange(listener: (snapshot: QueueSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Seconds until a slot is likely free for a new job: the mean of recent job
   * durations times the jobs ahead per slot. At least 1.
   */
  estimateWaitSeconds(): number {
    const mean = this.durations.length
      ? this.durations.reduce((a, b) => a + b, 0) / this.durations.length
      : this.defaultJobMs;
    const ahead = this.waiting + (this.running >= this.concurrency ? 1 : 0);
    const rounds = Math.max(1, Math.ceil(ahead / this.concurrency));
    return Math.max(1, Math.ceil((mean * rounds) / 1000));
  }

  /** Runs `job` when a slot is free; see the file comment for the rules. */
  run<T>(job: Job<T>, options: EnqueueOptions = {}): Promise<T> {
    const { signal } = options;
    if (this.closed) return Promise.reject(new QueueClosedError());
    if (signal?.aborted) return Promise.reject(abortReason(signal));

    const enqueuedAt = this.now();
    return new Promise<T>((resolve, reject) => {
      const execute = () => {
        const controller = new AbortController();
        const onCallerAbort = () => controller.abort(signal ? abortReason(signal) : undefined);
        if (signal) {
          if (signal.aborted) onCallerAbort();
          else signal.addEventListener('abort', onCallerAbort, { once: true });
        }
        this.runningControllers.add(controller);
        const waitedMs = this.now() - enqueuedAt;
        const startedAt = this.now();
        const finish = () => {
          signal?.removeEventListener('abort', onCallerAbort);
          this.runningControllers.delete(controller);
          this.record(this.now() - startedAt);
          this.pump();
        };
        let promise: Promise<T>;
        try {
          options.onStart?.(waitedMs);
          promise = Promise.resolve(job({ signal: controller.signal, waitedMs }));
        } catch (error) {
          promise = Promise.reject(error);
        }
        promise.then(
          (value) => {
            finish();
            resolve(value);
          },
          (error: unknown) => {
            finish();
            reject(error);
          },
        );
      };

      if (this.running < this.concurrency && this.waitingList.length === 0) {
        execute();
        this.emitChange();
        return;
      }
      if (this.waitingList.length >= this.maxWaiting) {
        reject(new QueueFullError(this.estimateWaitSeconds(), this.waitingList.length));
        return;
      }

      const entry: Entry = {
        start: () => {
          entry.detach();
          execute();
        },
        reject: (reason) => {
          entry.detach();
          reject(reason);
        },
        onPosition: options.onPosition,
        lastPosition: 0,
        lastWaiting: 0,
        detach: () => {},
      };
      if (signal) {
        const onAbort = () => {
          const index = this.waitingList.indexOf(entry);
          if (index >= 0) {
            this.waitingList.splice(index, 1);
            entry.reject(abortReason(signal));
            this.notifyPositions();
            this.emitChange();
          }
        };
        signal.addEventListener('abort', onAbort, { once: true });
        entry.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.waitingList.push(entry);
      this.notifyPositions();
      this.emitChange();
    });
  }

  /**
   * Waits for a slot and hands it over: for a holder that streams while it
   * works (the pipeline), where a job callback would not fit. Rejects as
   * `run` does (full, closed, aborted while waiting); once granted, the slot
   * is held until `release()` (call it in a `finally`).
   */
  acquire(options: EnqueueOptions = {}): Promise<Slot> {
    return new Promise<Slot>((resolve, reject) => {
      this.run((ctx) => new Promise<void>((release) => resolve({ ...ctx, release: () => release() })), options).catch(reject);
    });
  }

  /** Refuse new work from now on; resolves when accepted jobs have all finished. */
  close(): Promise<void> {
    this.closed = true;
    this.emitChange();
    return this.onIdle();
  }

  /** Rejects every waiting job and aborts every running one (shutdown past its grace period). */
  abortAll(reason: unknown = new DOMException('The server is shutting down', 'AbortError')): void {
    const waiting = this.waitingList.splice(0, this.waitingList.length);
    for (const entry of waiting) entry.reject(reason);
    for (const controller of this.runningControllers) controller.abort(reason);
    this.emitChange();
    this.checkIdle();
  }

  /** Resolves when nothing runs or waits. */
  onIdle(): Promise<void> {
    if (this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private record(durationMs: number): void {
    this.durations.push(durationMs);
    if (this.durations.length > this.historySize) this.durations.shift();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waitingList.length > 0) {
      const next = this.waitingList.shift()!;
      next.start();
    }
    this.notifyPositions();
    this.emitChange();
    this.checkIdle();
  }

  private notifyPositions(): void {
    const waiting = this.waitingList.length;
    this.waitingList.forEach((entry, index) => {
      const position = index + 1;
      if (entry.lastPosition === position && entry.lastWaiting === waiting) return;
      entry.lastPosition = position;
      entry.lastWaiting = waiting;
      try {
        entry.onPosition?.(position, waiting);
      } catch {
        // A listener's failure must not break the queue.
      }
    });
  }

  private emitChange(): void {
    if (this.listeners.size === 0) return;
    const snapshot = this.snapshot();
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch {
        // Metrics listeners must not break the queue.
      }
    }
  }

  private checkIdle(): void {
    if (this.depth !== 0) return;
    const waiters = this.idleWaiters.splice(0, this.idleWaiters.length);
    for (const resolve of waiters) resolve();
  }
}
