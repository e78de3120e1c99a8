/**
 * WorkerEngine: the Engine the server uses. The model lives in a worker
 * thread (thread.ts); this side keeps a mirror of its status (so `status()`
 * stays synchronous and cheap), turns its chunk messages into each call's
 * AsyncIterable, and carries aborts both as a message and as a shared flag
 * the worker reads between prefill pieces and decode steps.
 *
 * The worker starts on first use. If it dies (a native crash, out of memory),
 * the calls in flight fail, the status says so, and the next use starts a
 * fresh one.
 */
import { Worker } from 'node:worker_threads';
import type { ReadyStatus } from '../../../common/protocol.ts';
import { silentLogger, type Logger } from '../../log.ts';
import { publicModelName, resolveOptions, type TransformersEngineOptions } from '../model-options.ts';
import { StatusBoard } from '../status.ts';
import { Channel } from '../stream.ts';
import type { Engine, EngineRequest, LoadProgressListener, TokenChunk } from '../types.ts';
import { fromWire, type FromWorker, type ToWorker, type WorkerData } from './protocol.ts';

export interface WorkerEngineDeps {
  logger?: Logger;
  /** Queue depth for `status()` (the queue lives outside the engine). */
  queueDepth?: () => number;
}

interface Call {
  channel: Channel<TokenChunk>;
  flag: Int32Array;
  /** Resolves when the worker has ended this call (end chunk, failure, or the worker gone). */
  ended: () => void;
}

const LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

export class WorkerEngine implements Engine {
  private readonly board: StatusBoard;
  private readonly log: Logger;
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly calls = new Map<number, Call>();
  private readonly replies = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();

  constructor(
    private readonly options: TransformersEngineOptions,
    deps: WorkerEngineDeps = {},
  ) {
    this.log = deps.logger ?? silentLogger();
    this.board = new StatusBoard(publicModelName(resolveOptions(options)), deps.queueDepth);
  }

  status(): ReadyStatus {
    return this.board.snapshot();
  }

  onStatus(listener: LoadProgressListener): () => void {
    return this.board.subscribe(listener);
  }

  load(): Promise<void> {
    return this.request('load');
  }

  generate(request: EngineRequest, signal?: AbortSignal): AsyncIterable<TokenChunk> {
    const id = this.nextId++;
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const abort = () => {
      if (Atomics.exchange(flag, 0, 1) === 0) this.worker?.postMessage({ type: 'abort', id } satisfies ToWorker);
    };
    let ended!: () => void;
    const settled = new Promise<void>((resolve) => (ended = resolve));
    const channel = new Channel<TokenChunk>(abort, () => settled);
    this.calls.set(id, { channel, flag, ended });
    signal?.addEventListener('abort', abort, { once: true });
    const forget = () => {
      signal?.removeEventListener('abort', abort);
      this.calls.delete(id);
      this.holdIfBusy();
    };
    // The listener and the call entry go when the stream ends, however it ends.
    const tracked: AsyncIterable<TokenChunk> = {
      async *[Symbol.asyncIterator]() {
        try {
          yield* channel;
        } finally {
          forget();
        }
      },
    };
    if (signal?.aborted) Atomics.store(flag, 0, 1);
    this.ensureWorker().postMessage({ type: 'generate', id, request, abortFlag: flag.buffer as SharedArrayBuffer } satisfies ToWorker);
    this.holdIfBusy();
    return tracked;
  }

  async dispose(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    for (const call of this.calls.values()) Atomics.store(call.flag, 0, 1);
    // The worker ends its runs as aborted and releases its sessions; a stuck one is terminated anyway.
    await Promise.race([this.request('dispose').catch(() => {}), new Promise((r) => setTimeout(r, 10_000).unref())]);
    this.worker = null;
    await w.terminate();
    this.board.update({ state: 'idle', progress: 0, message: 'Model unloaded.', device: null, dtype: null, error: undefined, retryAt: undefined });
  }

  private request(type: 'load' | 'dispose'): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.replies.set(id, { resolve, reject });
      this.ensureWorker().postMessage({ type, id } satisfies ToWorker);
      this.holdIfBusy();
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const data: WorkerData = { options: this.options, logLevel: this.log.level === 'silent' ? 'silent' : this.log.level };
    const w = new Worker(new URL('./boot.mjs', import.meta.url), { workerData: data });
    w.on('message', (m: FromWorker) => {
      this.onMessage(m);
      this.holdIfBusy();
    });
    w.on('error', (error: Error) => this.onExit(w, `the engine thread failed: ${error.message}`));
    w.on('exit', (code) => this.onExit(w, `the engine thread stopped (exit code ${code})`));
    this.worker = w;
    return w;
  }

  /**
   * An idle worker never keeps the process alive (a CLI or bench that forgot
   * dispose() still exits); one with calls in flight does (nothing else may
   * hold the event loop while a generation runs).
   */
  private holdIfBusy(): void {
    const w = this.worker;
    if (!w) return;
    if (this.calls.size + this.replies.size > 0) w.ref();
    else w.unref();
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'status':
        this.board.update({ error: undefined, retryAt: undefined, ...m.status });
        break;
      case 'chunk': {
        const call = this.calls.get(m.id);
        call?.channel.push(m.chunk);
        if (m.chunk.type === 'end') {
          call?.channel.close();
          call?.ended();
        }
        break;
      }
      case 'failed': {
        const call = this.calls.get(m.id);
        call?.channel.fail(fromWire(m.error));
        call?.ended();
        break;
      }
      case 'loaded':
      case 'disposed': {
        const reply = this.replies.get(m.id);
        this.replies.delete(m.id);
        if (m.type === 'loaded' && m.error) reply?.reject(fromWire(m.error));
        else reply?.resolve();
        break;
      }
      case 'log':
        this.relayLog(m.line);
        break;
    }
  }

  private relayLog(line: string): void {
    try {
      const { level, msg, time: _t, ...rest } = JSON.parse(line) as { level: number; msg?: string; time?: number };
      this.log[LEVELS[level] ?? 'info'](rest, msg ?? '');
    } catch {
      this.log.info(line.trim());
    }
  }

  /** The worker is gone: fail what was in flight; the next use starts a fresh one. */
  private onExit(w: Worker, why: string): void {
    if (this.worker !== w) return;
    this.worker = null;
    const error = new Error(`engine: ${why}`);
    for (const call of this.calls.values()) {
      call.channel.fail(error);
      call.ended();
    }
    for (const reply of this.replies.values()) reply.reject(error);
    this.replies.clear();
    this.log.error({ why }, 'engine thread ended');
    this.board.update({ state: 'error', progress: 0, message: 'The engine stopped; the next request restarts it.', error: why, device: null, dtype: null });
  }
}
