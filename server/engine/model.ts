/**
 * TransformersEngine: the real model, in the thread that calls it (the
 * server runs it inside a worker thread, ./worker; tests and benches may use
 * it directly). transformers.js (this folder's decoders and loader are its
 * only importers) owns the tokenizer and the chat template (hub-download.ts
 * puts a Hub model on disk first);
 * ONNX Runtime runs the fused greedy loop, or transformers.js `generate`
 * where the loop cannot run.
 *
 * - One load at a time, shared by concurrent callers. A failed load shows
 *   `state: error` with its reason at once, and its retry policy: the next
 *   attempt waits `retryBackoffMs` (doubling per failure, at most 5 min);
 *   `status().retryAt` says when, and a load() before then fails fast with
 *   the same reason. `load()` (the server's start) also schedules that retry.
 * - generate(request, signal): the stream of TokenChunks (types.ts), under
 *   the one stopping policy (stop.ts: EOS, max tokens, budget with the
 *   prefill counted, abort), text through the one streamer (stream.ts).
 * - dispose() ends the generations in progress as aborted, waits for them,
 *   then releases the sessions (releasing under a run made it throw).
 */
import type { ReadyStatus } from '../../common/protocol.ts';
import { silentLogger, type Logger } from '../log.ts';
import { generateTransformers } from './decode-transformers.ts';
import { tokenIO } from './decoders.ts';
import type { ResolvedDevice } from './files.ts';
import { generateFused } from './fused/engine-adapter.ts';
import { loadModel } from './load.ts';
import {
  disposeDecoder,
  ModelLoadError,
  publicModelName,
  resolveOptions,
  type Decoder,
  type Loaded,
  type ResolvedOptions,
  type TransformersEngineOptions,
} from './model-options.ts';
import { neutraliseMessages } from './special-tokens.ts';
import { StatusBoard } from './status.ts';
import { StopPolicy } from './stop.ts';
import { Channel } from './stream.ts';
import type { Engine, EngineRequest, GenerationOutput, LoadProgressListener, TokenChunk } from './types.ts';

export type { ResolvedDevice } from './files.ts';
export { engineOptionsFromConfig, ModelLoadError, type Decoder, type TransformersEngineOptions } from './model-options.ts';

const MAX_BACKOFF_MS = 5 * 60_000;

export interface EngineDeps {
  logger?: Logger;
  /** Queue depth for `status()` (the queue lives outside the engine). */
  queueDepth?: () => number;
  /** Clock, for tests. */
  now?: () => number;
}

/** Per-call controls the worker adds (the shared abort flag the main thread sets). */
export interface GenerateControl {
  abortFlag?: Int32Array;
}

export class TransformersEngine implements Engine {
  readonly opts: ResolvedOptions;
  private readonly log: Logger;
  private readonly now: () => number;
  private loading: Promise<Loaded> | null = null;
  private loaded: Loaded | null = null;
  private failure: { error: Error; attempts: number; retryAt: number } | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Generations in progress: dispose() stops them (as an abort) and waits for them before releasing the sessions. */
  private readonly running = new Set<{ stop: AbortController; done: Promise<unknown> }>();
  private readonly board: StatusBoard;
  /** ms the last successful load took (download + sessions + warm-up). */
  loadMs: number | null = null;

  constructor(options: TransformersEngineOptions & EngineDeps = {}) {
    this.opts = resolveOptions(options);
    this.log = options.logger ?? silentLogger();
    this.now = options.now ?? Date.now;
    this.board = new StatusBoard(publicModelName(this.opts), options.queueDepth);
  }

  /** The local directory or the Hub id. */
  get source(): string {
    return this.opts.modelPath ?? this.opts.modelId;
  }

  /** Device, dtype and decoder once loaded. */
  get info(): { device: ResolvedDevice; dtype: string; model: string; decoder: Decoder } | null {
    const l = this.loaded;
    return l ? { device: l.device, dtype: l.dtype, model: this.source, decoder: l.fused ? 'fused' : 'transformers' } : null;
  }

  status(): ReadyStatus {
    return this.board.snapshot();
  }

  onStatus(listener: LoadProgressListener): () => void {
    return this.board.subscribe(listener);
  }

  /** Loads once; after a failure, also schedules the next attempt (the server's start: the model comes up when it can). */
  load(): Promise<void> {
    return this.ensureLoaded(true).then(() => undefined);
  }

  async dispose(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const running = [...this.running];
    for (const r of running) r.stop.abort();
    const loading = this.loading;
    this.loading = null;
    this.failure = null;
    const loaded = this.loaded ?? (await loading?.catch(() => null)) ?? null;
    this.loaded = null;
    await Promise.allSettled(running.map((r) => r.done));
    if (loaded) await disposeDecoder(loaded);
    this.board.update({ state: 'idle', progress: 0, message: 'Model unloaded.', device: null, dtype: null, error: undefined, retryAt: undefined });
  }

  generate(request: EngineRequest, signal?: AbortSignal, control: GenerateControl = {}): AsyncIterable<TokenChunk> {
    const stop = new AbortController();
    const joined = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
    const channel = new Channel<TokenChunk>(
      () => stop.abort(),
      () => done,
    );
    const done: Promise<void> = this.decode(request, joined, control, (text, tokens) => channel.push({ type: 'text', text, tokens })).then(
      (out) => {
        channel.push({ type: 'end', ...out });
        channel.close();
      },
      (error: unknown) => channel.fail(error),
    );
    const entry = { stop, done };
    this.running.add(entry);
    void done.finally(() => this.running.delete(entry));
    return channel;
  }

  private async decode(request: EngineRequest, signal: AbortSignal, control: GenerateControl, onToken: (text: string, tokens: number) => void): Promise<GenerationOutput> {
    const callStart = this.now();
    const maxNewTokens = Math.max(1, Math.min(this.opts.maxNewTokens, Math.floor(request.maxNewTokens ?? this.opts.maxNewTokens)));
    const policy = new StopPolicy({ maxNewTokens, deadline: request.deadline, signal, abortFlag: control.abortFlag, now: this.now });
    // Waiting for a load is not generation, but the budget still runs (the request holds the model slot).
    const stopped = (promptTokens: number): GenerationOutput => ({ text: '', tokens: 0, promptTokens, stopReason: policy.finish(false, 0), firstTokenMs: null, generationMs: this.now() - callStart });
    if (policy.interrupted()) return stopped(0);
    const loaded = await this.ensureLoaded(false);
    if (policy.interrupted()) return stopped(0);
    // user text never reaches the model as control tokens (`<|im_start|>`, `</think>`, …)
    const messages = neutraliseMessages(request.messages, loaded.neutralise);
    if (loaded.fused) {
      return generateFused(loaded.fused, tokenIO(loaded.tokenizer), messages, {
        maxNewTokens,
        eosTokenIds: [...loaded.eosIds],
        deadline: request.deadline,
        signal,
        abortFlag: control.abortFlag,
        onToken,
        chunkSize: this.opts.fusedChunk,
        cacheMode: this.opts.fusedCache,
        prefillChunk: this.opts.prefillChunk,
        // CONSTRAINED on or auto: the fused loop was built with the tables
        ...(request.constraint && loaded.grammar ? { grammar: { tables: loaded.grammar.tables, spec: request.constraint } } : {}),
      });
    }
    if (!loaded.model) throw new Error('engine: no decoder loaded');
    // CONSTRAINED=on only: auto constrains the fused loop alone
    const grammar = request.constraint && loaded.grammar && this.opts.constrained === 'on' ? { tables: loaded.grammar.tables, spec: request.constraint } : undefined;
    return generateTransformers(loaded.model, loaded.tokenizer, messages, { policy, eosIds: loaded.eosIds, onToken, prefillChunk: this.opts.prefillChunk, ...(grammar ? { grammar } : {}) });
  }

  private ensureLoaded(scheduleRetry: boolean): Promise<Loaded> {
    if (this.loaded) return Promise.resolve(this.loaded);
    if (this.loading) return this.loading;
    const failed = this.failure;
    if (failed && this.now() < failed.retryAt) {
      if (scheduleRetry) this.scheduleRetry();
      return Promise.reject(failed.error);
    }
    const attempt = this.doLoad();
    this.loading = attempt;
    attempt.then(
      (loaded) => {
        if (this.loading !== attempt) return;
        this.loaded = loaded;
        this.failure = null;
      },
      (error: unknown) => {
        if (this.loading !== attempt) return;
        this.loading = null;
        const attempts = (this.failure?.attempts ?? 0) + 1;
        const wait = Math.min(MAX_BACKOFF_MS, this.opts.retryBackoffMs * 2 ** (attempts - 1));
        this.failure = { error: error as Error, attempts, retryAt: this.now() + wait };
        this.showFailure((error as Error).message);
        if (scheduleRetry) this.scheduleRetry();
      },
    );
    return attempt;
  }

  /** The next attempt, when its backoff ends (unref'd: it never keeps the process alive). */
  private scheduleRetry(): void {
    // no background retries without a backoff (they would spin)
    if (!this.failure || this.retryTimer || this.opts.retryBackoffMs <= 0) return;
    const delay = Math.max(0, this.failure.retryAt - this.now());
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ensureLoaded(true).catch(() => {});
    }, delay);
    this.retryTimer.unref?.();
  }

  private showFailure(reason: string): void {
    const f = this.failure;
    const retry = f ? { retryAt: new Date(f.retryAt).toISOString() } : {};
    const when = f ? ` Attempt ${f.attempts} failed; the next try is at ${retry.retryAt} (in ${Math.round((f.retryAt - this.now()) / 1000)} s, doubling after each failure).` : '';
    this.board.update({ state: 'error', progress: 0, message: `Model failed to load.${when}`, error: this.redact(reason), device: null, dtype: null, ...retry });
  }

  /** Status is public: the model folder's absolute path becomes its name (logs keep the path). */
  private redact(text: string): string {
    const p = this.opts.modelPath;
    return p ? text.split(p).join(publicModelName(this.opts)) : text;
  }

  private async doLoad(): Promise<Loaded> {
    const started = this.now();
    const name = publicModelName(this.opts);
    this.board.update({ state: 'loading', progress: 0, message: `Loading ${name}…`, error: undefined, retryAt: undefined, device: null, dtype: null });
    try {
      const loaded = await loadModel({
        opts: this.opts,
        log: this.log,
        report: (patch) => this.board.update(patch.message ? { ...patch, message: this.redact(patch.message) } : patch),
        // the status says "error" as soon as the load has failed, not after the Hub diagnosis
        onFailing: (message) => this.board.update({ state: 'error', progress: 0, message: 'Model failed to load.', error: this.redact(message), device: null, dtype: null }),
      });
      const decoder = loaded.fused ? 'fused greedy loop' : 'transformers.js generate';
      this.loadMs = this.now() - started;
      this.board.update({
        state: 'ready',
        progress: 100,
        message: `Ready: ${name} on ${loaded.device} (${loaded.dtype}, ${decoder}).`,
        device: loaded.device,
        dtype: loaded.dtype,
      });
      this.log.info({ model: this.source, device: loaded.device, dtype: loaded.dtype, decoder, loadMs: this.loadMs }, 'model ready');
      return loaded;
    } catch (error) {
      const e = error instanceof ModelLoadError ? error : new ModelLoadError(error instanceof Error ? error.message : String(error), { cause: error });
      this.log.error({ model: this.source, error: e.message }, 'model failed to load');
      // What leaves the engine (the pipeline's model_unavailable message, a retry's fast failure) names the folder, not where it is.
      e.message = this.redact(e.message);
      throw e;
    }
  }
}
