/**
 * TransformersEngine: the real model, through transformers.js on
 * onnxruntime-node. The only importer of `@huggingface/transformers` in the
 * project (see README "one importer per heavy library").
 *
 * - Loads tokenizer + AutoModelForCausalLM once (one shared promise; a failed
 *   load is forgotten so the next `load()`/`generate()` retries, and
 *   `status()` says why it failed).
 * - Model source: a local directory (`modelPath`, offline: no network at all)
 *   or a Hub id (`modelId`, downloaded into `cacheDir`, `hfToken` sent as a
 *   Bearer header to huggingface.co only).
 * - Device: `auto` tries CUDA when the provider libraries are installed and
 *   falls back to CPU with a log line saying why; `cuda` fails with a message
 *   that says what to do; `cpu` is CPU. dtype `auto`: q4f16 on CUDA, q4 on CPU.
 * - Progress: status `loading` with an aggregate percent over all files, a
 *   cli-progress bar on a terminal, then `warming` (a 1-token generation), then
 *   `ready`.
 * - Generation: the model's own chat template, greedy, streamed through
 *   TextStreamer (display text + token count), stopped by EOS, max_new_tokens,
 *   or the Budget (deadline + AbortSignal) checked after every token. A stopped
 *   run returns what it has with its stopReason; it never throws for a stop.
 *
 * Per-step host work is one O(1) stopping check and the streamer's decode of
 * the current line. (onnxruntime-node returns every output, the key/value cache
 * included, to host memory on CUDA; the fused path in ./fused removes that.)
 *
 * Decoders: with `fused` on or auto (the default), greedy decoding runs inside
 * the ONNX graph (./fused: a Loop of K steps per session.run, streamed per
 * chunk, budget and abort checked between chunks); transformers.js still owns
 * the tokenizer, the chat template and Hub downloads. `generate` above is the
 * reference and the fallback (`auto`: when the fused graph cannot be built,
 * loaded or warmed up).
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  StoppingCriteria,
  StoppingCriteriaList,
  TextStreamer,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import cliProgress from 'cli-progress';
import type { ReadyStatus } from '../../common/protocol.ts';
import { DEFAULT_MAX_NEW_TOKENS } from '../../common/limits.ts';
import { DEFAULT_MODEL_ID, type Config, type Device, type Dtype } from '../config.ts';

export type { ResolvedDevice } from './files.ts';
import { silentLogger, type Logger } from '../log.ts';
import { Budget, resolveStopReason } from './budget.ts';
import { cudaPrecheck, explainCudaFailure } from './cuda.ts';
import { chooseDtype, dataFilesSize, modelFilesDir, onnxFilePath, readLocalJson, type ConcreteDtype, type ResolvedDevice } from './files.ts';
import { diagnoseHub, explainLoadError, fetchWithToken } from './hub.ts';
import { ProgressAggregator } from './progress.ts';
import { StatusBoard } from './status.ts';
import type { ChatMessage, Engine, GenerateOptions, GenerationOutput, LoadProgressListener } from './types.ts';
// model.ts itself is imported lazily (engine/index.ts), so the fused modules can be plain imports.
import { generateFused, type TokenIO } from './fused/engine-adapter.ts';
import { FusedGenerator } from './fused/generate.ts';
import { ensureFusedModel } from './fused/transform.ts';

export interface TransformersEngineOptions {
  /** Hub id, used when `modelPath` is null. */
  modelId?: string;
  /** Local model directory (offline); wins over modelId. */
  modelPath?: string | null;
  revision?: string;
  /** Sent as `Authorization: Bearer` to the Hub only; never logged. */
  hfToken?: string | null;
  /** The Hub's address (default https://huggingface.co; a mirror, or a stand-in in tests). */
  hubUrl?: string;
  device?: Device;
  dtype?: Dtype;
  /** Hub download cache. */
  cacheDir?: string;
  /** Default cap on new tokens when a call gives none. */
  maxNewTokens?: number;
  logger?: Logger;
  /** Terminal progress bar on stderr (default: when stdout and stderr are TTYs). */
  progressBar?: boolean;
  /** 1-token generation after load (default true). */
  warmup?: boolean;
  /** Greedy decoding inside the ONNX graph: auto (fall back to transformers.js generate) | on (required) | off. */
  fused?: 'auto' | 'on' | 'off';
  /** Tokens per fused call, or 'auto' (≈ one chunk per 150 ms). */
  fusedChunk?: number | 'auto';
  /** How the cache travels between fused calls. */
  fusedCache?: 'carry' | 'recompute';
  /** Queue depth for `status()` (the queue lives outside the engine). */
  queueDepth?: () => number;
  /** Clock, for tests. */
  now?: () => number;
}

export function engineOptionsFromConfig(config: Config, extra: Partial<TransformersEngineOptions> = {}): TransformersEngineOptions {
  return {
    modelId: config.modelId,
    modelPath: config.modelPath,
    revision: config.modelRevision,
    hfToken: config.hfToken,
    hubUrl: config.hubUrl,
    device: config.device,
    dtype: config.dtype,
    cacheDir: config.cacheDir,
    maxNewTokens: config.maxNewTokens,
    fused: config.fused,
    fusedChunk: config.fusedChunk,
    fusedCache: config.fusedCache,
    ...extra,
  };
}

export type Decoder = 'fused' | 'transformers';

/** The decoder that runs: exactly one of `model` (transformers.js) and `fused` is set. */
interface Decoded {
  model: PreTrainedModel | null;
  fused: FusedGenerator | null;
  device: ResolvedDevice;
  dtype: ConcreteDtype;
}

interface Loaded extends Decoded {
  tokenizer: PreTrainedTokenizer;
  eosIds: Set<number>;
}

async function disposeDecoder(d: Decoded): Promise<void> {
  await d.model?.dispose();
  await d.fused?.dispose();
}

/** transformers.js StoppingCriteria over our Budget: one clock + signal check per token. */
class BudgetCriteria extends StoppingCriteria {
  constructor(private readonly budget: Budget) {
    super();
  }
  override _call(input_ids: number[][]): boolean[] {
    const stop = this.budget.shouldStop();
    return new Array(input_ids.length).fill(stop);
  }
}

const LOAD_WEIGHT = 90; // % of the bar for downloads/reads; the rest is session creation + warm-up

export class TransformersEngine implements Engine {
  private readonly opts: Required<Omit<TransformersEngineOptions, 'modelPath' | 'hfToken' | 'queueDepth' | 'logger' | 'now'>> & {
    modelPath: string | null;
    hfToken: string | null;
  };
  private readonly log: Logger;
  private readonly now: () => number;
  private loading: Promise<Loaded> | null = null;
  private loaded: Loaded | null = null;
  /** Generations in progress: dispose() stops them (as an abort) and waits for them before releasing the sessions. */
  private readonly running = new Set<{ stop: AbortController; done: Promise<unknown> }>();
  private readonly board: StatusBoard;
  /** ms the last successful load took (download + sessions + warm-up). */
  loadMs: number | null = null;

  constructor(options: TransformersEngineOptions = {}) {
    this.opts = {
      modelId: options.modelId ?? DEFAULT_MODEL_ID,
      modelPath: options.modelPath ?? null,
      revision: options.revision ?? 'main',
      hfToken: options.hfToken ?? null,
      device: options.device ?? 'auto',
      dtype: options.dtype ?? 'auto',
      cacheDir: options.cacheDir ?? path.resolve('.cache/models'),
      maxNewTokens: options.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS,
      hubUrl: (options.hubUrl ?? 'https://huggingface.co').replace(/\/+$/, ''),
      progressBar: options.progressBar ?? Boolean(process.stdout.isTTY && process.stderr.isTTY),
      warmup: options.warmup ?? true,
      fused: options.fused ?? 'auto',
      fusedChunk: options.fusedChunk ?? 'auto',
      fusedCache: options.fusedCache ?? 'carry',
    };
    this.log = options.logger ?? silentLogger();
    this.now = options.now ?? Date.now;
    this.board = new StatusBoard(this.source, options.queueDepth);
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

  load(): Promise<void> {
    return this.ensureLoaded().then(() => undefined);
  }

  /**
   * Releases the model. Generations in progress (or waiting for the load) stop
   * as if aborted and return what they have; the sessions are released only
   * after they settle (a session released under a generation made it throw
   * "Session already disposed"). A later call loads again.
   */
  async dispose(): Promise<void> {
    const running = [...this.running];
    for (const r of running) r.stop.abort();
    const loading = this.loading;
    this.loading = null;
    const loaded = this.loaded ?? (await loading?.catch(() => null)) ?? null;
    this.loaded = null;
    await Promise.allSettled(running.map((r) => r.done));
    if (loaded) await disposeDecoder(loaded);
    this.setStatus({ state: 'idle', progress: 0, message: 'Model unloaded.', device: null, dtype: null, error: undefined });
  }

  generate(messages: ChatMessage[], options: GenerateOptions = {}): Promise<GenerationOutput> {
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const done = this.decode(messages, { ...options, signal });
    const entry = { stop, done };
    this.running.add(entry);
    done.then(
      () => this.running.delete(entry),
      () => this.running.delete(entry),
    );
    return done;
  }

  private async decode(messages: ChatMessage[], options: GenerateOptions): Promise<GenerationOutput> {
    const callStart = this.now();
    const budget = new Budget({ deadline: options.deadline, signal: options.signal, now: this.now });
    try {
      // Waiting for a load is not generation: the budget still runs (the request holds the model slot).
      const early = budget.check();
      if (early) return this.emptyOutput(early, 0, callStart);
      const loaded = await this.ensureLoaded();
      const { tokenizer, model, eosIds } = loaded;
      const t0 = this.now();
      const maxNewTokens = Math.max(1, Math.floor(options.maxNewTokens ?? this.opts.maxNewTokens));
      if (loaded.fused) {
        return await generateFused(loaded.fused, tokenIO(tokenizer), messages, {
          ...options,
          maxNewTokens,
          eosTokenIds: [...eosIds],
          chunkSize: this.opts.fusedChunk,
          cacheMode: this.opts.fusedCache,
        });
      }
      if (!model) throw new Error('engine: no decoder loaded');

      const inputs = tokenizer.apply_chat_template(messages as { role: string; content: string }[], {
        add_generation_prompt: true,
        return_dict: true,
        // Qwen3-Instruct-2507's template has no thinking mode and ignores this; for hybrid
        // Qwen3 templates it is the documented way to skip the <think> block.
        enable_thinking: false,
      } as Parameters<PreTrainedTokenizer['apply_chat_template']>[1]) as unknown as {
        input_ids: Tensor;
        attention_mask: Tensor;
      };
      const promptTokens = inputs.input_ids.dims.at(-1) ?? 0;

      const stopNow = budget.check();
      if (stopNow) return this.emptyOutput(stopNow, promptTokens, t0);

      let tokens = 0;
      let firstTokenMs: number | null = null;
      const onToken = options.onToken;
      const streamer = new TextStreamer(tokenizer, {
        skip_prompt: true,
        skip_special_tokens: true,
        token_callback_function: (ids: bigint[]) => {
          tokens += ids.length;
          if (firstTokenMs === null) firstTokenMs = this.now() - t0;
        },
        callback_function: (text: string) => {
          if (onToken && text) onToken(text, tokens);
        },
      });
      const criteria = new StoppingCriteriaList();
      criteria.push(new BudgetCriteria(budget));

      const sequences = (await model.generate({
        ...inputs,
        max_new_tokens: maxNewTokens,
        do_sample: false,
        streamer,
        stopping_criteria: criteria,
      } as Parameters<PreTrainedModel['generate']>[0])) as Tensor;

      const all = sequences.tolist() as bigint[][];
      const generated = (all[0] ?? []).slice(promptTokens).map(Number);
      const last = generated.at(-1);
      const endedWithEos = last !== undefined && eosIds.has(last);
      const text = tokenizer.decode(generated, { skip_special_tokens: true });
      const stopReason = resolveStopReason({
        endedWithEos,
        budgetReason: budget.stopReason,
        tokens: generated.length,
        maxNewTokens,
      });
      return {
        text,
        tokens: generated.length,
        promptTokens,
        stopReason,
        firstTokenMs,
        generationMs: this.now() - t0,
      };
    } finally {
      budget.dispose();
    }
  }

  private emptyOutput(stopReason: 'budget' | 'aborted', promptTokens: number, t0: number): GenerationOutput {
    return { text: '', tokens: 0, promptTokens, stopReason, firstTokenMs: null, generationMs: this.now() - t0 };
  }

  private ensureLoaded(): Promise<Loaded> {
    if (this.loaded) return Promise.resolve(this.loaded);
    if (!this.loading) {
      const attempt = this.doLoad();
      this.loading = attempt;
      attempt.then(
        (loaded) => {
          if (this.loading === attempt) this.loaded = loaded;
        },
        () => {
          // Forget the failed load so the next call retries.
          if (this.loading === attempt) this.loading = null;
        },
      );
    }
    return this.loading;
  }

  private setStatus(patch: Partial<Omit<ReadyStatus, 'queueDepth'>>): void {
    this.board.update(patch);
  }

  private async doLoad(): Promise<Loaded> {
    const started = this.now();
    const source = this.source;
    const local = this.opts.modelPath;
    this.setStatus({ state: 'loading', progress: 0, message: `Loading ${source}…`, error: undefined, device: null, dtype: null });
    const bar = this.opts.progressBar
      ? new cliProgress.SingleBar(
          {
            format: 'model |{bar}| {percentage}% {stage}',
            stream: process.stderr,
            hideCursor: true,
            clearOnComplete: false,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
    bar?.start(100, 0, { stage: 'loading' });
    let shownPct = -1;
    const progress = new ProgressAggregator();
    const show = (pct: number, message: string, state: ReadyStatus['state'] = 'loading') => {
      const rounded = Math.floor(pct);
      if (rounded === shownPct && state === this.board.state) return;
      shownPct = rounded;
      bar?.update(rounded, { stage: message });
      this.setStatus({ state, progress: rounded, message });
    };
    const progress_callback = (info: { status: string; file?: string; loaded?: number; total?: number }) => {
      if (info.status === 'progress_total' || info.status === 'ready') return;
      const pct = progress.update(info);
      const { loaded, total } = progress.bytes;
      const mb = (n: number) => (n / 1e6).toFixed(0);
      show((pct * LOAD_WEIGHT) / 100, total > 5e6 ? `Loading model files (${mb(loaded)}/${mb(total)} MB)` : 'Loading model files');
    };

    try {
      if (local) {
        if (!existsSync(local)) {
          throw new Error(`MODEL_PATH=${local} does not exist. Point MODEL_PATH at a model directory (config.json, tokenizer files, onnx/model*.onnx) or unset it to download ${this.opts.modelId} from the Hub.`);
        }
        if (!existsSync(path.join(local, 'config.json'))) {
          throw new Error(`MODEL_PATH=${local} is not a model directory: config.json is missing (expected config.json, tokenizer.json, tokenizer_config.json and onnx/model*.onnx).`);
        }
      } else {
        // transformers.js keeps these in its global env; this engine is their only writer.
        env.remoteHost = `${this.opts.hubUrl}/`;
        env.remotePathTemplate = '{model}/resolve/{revision}/';
        const fetchBase = globalThis.fetch.bind(globalThis);
        env.fetch = this.opts.hfToken ? fetchWithToken(fetchBase, this.opts.hfToken, new URL(this.opts.hubUrl).hostname) : fetchBase;
      }
      const common = {
        progress_callback,
        cache_dir: this.opts.cacheDir,
        local_files_only: Boolean(local),
        revision: this.opts.revision,
      };

      // Decide the device before reading anything big, so a forced CUDA that cannot work fails at once.
      const requested = this.opts.device;
      let tryCuda = false;
      let cudaBinDir: string | undefined;
      if (requested !== 'cpu') {
        const pre = cudaPrecheck();
        if (pre.possible) {
          tryCuda = true;
          cudaBinDir = pre.binDir;
        } else if (requested === 'cuda') {
          throw new Error(`DEVICE=cuda was requested but CUDA is not available: ${pre.reason} Or set DEVICE=cpu (or auto) to run on the CPU.`);
        } else {
          this.log.info(`device auto: using CPU because ${pre.reason}`);
        }
      }

      const tokenizer = await AutoTokenizer.from_pretrained(source, common);

      // The eos ids come from the model's own files (generation_config.json, config.json) and the tokenizer.
      const eosIds = new Set<number>();
      const addEos = (v: unknown) => {
        for (const id of Array.isArray(v) ? v : [v]) if (typeof id === 'number') eosIds.add(id);
      };
      addEos((tokenizer as unknown as { eos_token_id?: unknown }).eos_token_id);

      const loadOn = (device: ResolvedDevice) => this.loadDecoder(device, common);

      let chosen: Decoded;
      if (!tryCuda) {
        chosen = await loadOn('cpu');
      } else {
        try {
          chosen = await loadOn('cuda');
          this.log.info(`device ${requested}: using CUDA (the CUDA execution provider loaded)`);
        } catch (error) {
          if (error instanceof FusedRequiredError) throw error;
          const why = await explainCudaFailure(error, { binDir: cudaBinDir });
          if (requested === 'cuda') throw new Error(`DEVICE=cuda was requested but ${why}`);
          this.log.warn(`device auto: CUDA failed, falling back to CPU. ${why}`);
          chosen = await loadOn('cpu');
        }
      }
      if (chosen.model) {
        addEos((chosen.model.generation_config as { eos_token_id?: unknown } | null)?.eos_token_id);
        addEos((chosen.model.config as { eos_token_id?: unknown }).eos_token_id);
      } else {
        // The fused decoder alone: the model's files are on disk, in the local directory or where
        // transformers.js cached the Hub download (its session was released once the fused one loaded).
        const dir = modelFilesDir(this.opts);
        for (const file of ['generation_config.json', 'config.json']) addEos(await readLocalJson(dir, file, 'eos_token_id'));
      }
      this.setStatus({ device: chosen.device, dtype: chosen.dtype });

      if (this.opts.warmup) {
        show(95, 'Warming up', 'warming');
        const w0 = this.now();
        try {
          chosen = await this.warmUpOrFallBack(chosen, tokenizer, eosIds, common);
        } catch (error) {
          // A session can start on CUDA and still fail its first run (no kernels for this GPU, out of memory).
          if (chosen.device !== 'cuda' || error instanceof FusedRequiredError) throw error;
          const why = await explainCudaFailure(error, { binDir: cudaBinDir });
          if (requested === 'cuda') throw new Error(`DEVICE=cuda was requested but the model could not run on CUDA: ${why}`);
          this.log.warn(`device auto: the model loaded on CUDA but could not run there, falling back to CPU. ${why}`);
          chosen = await this.warmUpOrFallBack(await loadOn('cpu'), tokenizer, eosIds, common);
          this.setStatus({ device: chosen.device, dtype: chosen.dtype });
        }
        this.log.debug({ ms: this.now() - w0 }, 'warm-up done');
      }
      const loaded: Loaded = { tokenizer, eosIds, ...chosen };
      const decoder = chosen.fused ? 'fused greedy loop' : 'transformers.js generate';

      this.loadMs = this.now() - started;
      bar?.update(100, { stage: `ready on ${chosen.device}` });
      bar?.stop();
      this.setStatus({
        state: 'ready',
        progress: 100,
        message: `Ready: ${source} on ${chosen.device} (${chosen.dtype}, ${decoder}).`,
        device: chosen.device,
        dtype: chosen.dtype,
      });
      this.log.info({ model: source, device: chosen.device, dtype: chosen.dtype, decoder, loadMs: this.loadMs }, 'model ready');
      return loaded;
    } catch (error) {
      bar?.stop();
      const message = error instanceof Error ? error.message : String(error);
      // Only failures that can come from fetching are diagnosed against the Hub (not, say, a forced CUDA).
      const fromFetch = /fetch|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network|not found|could not locate|undefined|\b40[134]\b|unauthori[sz]ed/i;
      const friendly = (!local && fromFetch.test(message) && (await diagnoseHub(this.opts, env.fetch as typeof fetch))) || explainLoadError(message, this.opts);
      this.setStatus({ state: 'error', progress: 0, message: 'Model failed to load.', error: friendly, device: null, dtype: null });
      this.log.error({ model: source, error: friendly }, 'model failed to load');
      throw new ModelLoadError(friendly, { cause: error });
    }
  }

  /**
   * One decoder on one device. Local directories with fused on/auto never
   * build a transformers.js session; Hub models are downloaded through
   * transformers.js (its cache, its progress events) and then handed to the
   * fused path. A device failure is thrown as it is (doLoad explains it and
   * may fall back to the CPU); a graph the fused transform cannot handle falls
   * back to transformers.js generate (`auto`) or fails the load (`on`).
   */
  private async loadDecoder(device: ResolvedDevice, common: Record<string, unknown>): Promise<Decoded> {
    const dtype = chooseDtype(this.opts.dtype, device, this.opts.modelPath);
    const mode = this.opts.fused;
    let model: PreTrainedModel | null = null;
    // Hub models are downloaded (and verified) through transformers.js; local ones are already on disk.
    if (mode === 'off' || !this.opts.modelPath) model = await this.loadTransformers(device, dtype, common);
    if (mode === 'off') return { model, fused: null, device, dtype };

    const onnxFile = onnxFilePath(this.opts, dtype);
    const cacheDir = path.join(this.opts.cacheDir, 'fused');
    const fallback = async (what: string, error: unknown): Promise<Decoded> => {
      const why = error instanceof Error ? error.message : String(error);
      if (mode === 'on') {
        await model?.dispose();
        // On CUDA the cause may be the device: doLoad explains it (and may retry on the CPU).
        if (device === 'cuda' && what === 'did not load') throw error;
        throw new FusedRequiredError(`FUSED=on, but the fused greedy loop ${what} (${why}). Set FUSED=auto (or off) to decode with transformers.js generate.`);
      }
      this.log.warn(`FUSED=auto: the fused greedy loop ${what} on ${device} (${why}); decoding with transformers.js generate.`);
      // On a broken CUDA this throws too, and doLoad explains it.
      return { model: model ?? (await this.loadTransformers(device, dtype, common)), fused: null, device, dtype };
    };

    try {
      if (!existsSync(onnxFile)) throw new Error(`the decoder file ${onnxFile} is not on disk`);
      await ensureFusedModel(onnxFile, { cacheDir });
    } catch (error) {
      return fallback('could not be built', error);
    }
    this.log.info({ model: this.source, device, dtype }, `loading model on ${device} (${dtype}) as a fused greedy loop`);
    const { size } = await stat(onnxFile).catch(() => ({ size: 0 }));
    const weights = await dataFilesSize(onnxFile);
    const gb = ((size + weights) / 1e9).toFixed(1);
    // ORT reads the weights without progress events: say what is happening meanwhile.
    this.setStatus({ message: `Loading the decoder onto ${device} (${path.basename(onnxFile)}${Number(gb) >= 0.1 ? `, ${gb} GB` : ''})` });
    try {
      const fused = await FusedGenerator.create({ modelPath: onnxFile, device, cacheDir });
      // The fused session holds the weights now; the download session is not needed.
      await model?.dispose();
      return { model: null, fused, device, dtype };
    } catch (error) {
      return fallback('did not load', error);
    }
  }

  private loadTransformers(device: ResolvedDevice, dtype: ConcreteDtype, common: Record<string, unknown>): Promise<PreTrainedModel> {
    this.log.info({ model: this.source, device, dtype }, `loading model on ${device} (${dtype}) through transformers.js`);
    return AutoModelForCausalLM.from_pretrained(this.source, { ...common, device, dtype });
  }

  /**
   * The warm-up, with the fused loop's fallback: a fused loop that cannot run
   * one token is not used (FUSED=auto: transformers.js generate takes over on
   * the same device; FUSED=on: a load error). Whatever fails is released.
   */
  private async warmUpOrFallBack(chosen: Decoded, tokenizer: PreTrainedTokenizer, eosIds: Set<number>, common: Record<string, unknown>): Promise<Decoded> {
    try {
      await this.warmUp(chosen, tokenizer, eosIds);
      return chosen;
    } catch (error) {
      await disposeDecoder(chosen);
      if (!chosen.fused) throw error;
      const why = error instanceof Error ? error.message : String(error);
      if (this.opts.fused === 'on') {
        throw new FusedRequiredError(`FUSED=on, but the fused greedy loop failed its warm-up (${why}). Set FUSED=auto (or off) to decode with transformers.js generate.`);
      }
      this.log.warn(`FUSED=auto: the fused greedy loop failed its warm-up (${why}); decoding with transformers.js generate.`);
      const fallback: Decoded = { ...chosen, fused: null, model: await this.loadTransformers(chosen.device, chosen.dtype, common) };
      try {
        await this.warmUp(fallback, tokenizer, eosIds);
        return fallback;
      } catch (second) {
        await disposeDecoder(fallback);
        throw second;
      }
    }
  }

  /** One greedy token through the chosen decoder: sessions initialised, and proof that it runs. */
  private async warmUp(decoded: Decoded, tokenizer: PreTrainedTokenizer, eosIds: Set<number>): Promise<void> {
    const messages: ChatMessage[] = [{ role: 'user', content: 'Hi' }];
    if (decoded.fused) {
      await generateFused(decoded.fused, tokenIO(tokenizer), messages, { maxNewTokens: 1, eosTokenIds: [...eosIds] });
      return;
    }
    const inputs = tokenizer.apply_chat_template(messages, {
      add_generation_prompt: true,
      return_dict: true,
    }) as unknown as { input_ids: Tensor; attention_mask: Tensor };
    await decoded.model!.generate({ ...inputs, max_new_tokens: 1, do_sample: false } as Parameters<PreTrainedModel['generate']>[0]);
  }

}

/** The chat template and the detokenizer, as the fused path needs them (ids, not tensors). */
function tokenIO(tokenizer: PreTrainedTokenizer): TokenIO {
  return {
    encodeChat: (messages) =>
      tokenizer.apply_chat_template(messages as { role: string; content: string }[], {
        add_generation_prompt: true,
        tokenize: true,
        return_tensor: false,
        return_dict: false,
        enable_thinking: false,
      } as Parameters<PreTrainedTokenizer['apply_chat_template']>[1]) as unknown as number[],
    decode: (ids) => tokenizer.decode(ids, { skip_special_tokens: true }),
  };
}

/** FUSED=on and the fused graph cannot be built: not a device problem, so no CPU fallback. */
class FusedRequiredError extends Error {}

/** A model that could not be loaded; `message` says why and what to do. */
export class ModelLoadError extends Error {
  readonly code = 'model_load_failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelLoadError';
  }
}
