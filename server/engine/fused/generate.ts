/**
 * Greedy generation through the fused model (see transform.ts): one
 * `session.run` per chunk of up to K tokens, the key/value cache carried
 * inside the Loop between the chunk's steps.
 *
 *   const gen = await FusedGenerator.create({ modelPath: 'DIR/onnx/model.onnx', device: 'cuda' });
 *   const out = await gen.generate(promptIds, { maxNewTokens, eosTokenIds, deadline, signal, onChunk });
 *   // out: { ids, stopReason: 'eos' | 'max_tokens' | 'budget' | 'aborted', firstTokenMs, generationMs, chunks }
 *
 * Token ids in, token ids out: the caller owns the tokenizer and the chat
 * template (and decodes each chunk for streaming). The first call runs the
 * prompt through the Loop's first iteration (prefill inside the graph, so one
 * session holds the weights) and returns `firstChunk` tokens (default 1: the
 * time to first token is the prefill). Later chunks feed the last token and the
 * cache. Between chunks the deadline and the AbortSignal are checked; a chunk
 * is never longer than the remaining budget allows at the measured pace.
 *
 * Cache modes: 'carry' (default) passes the cache out and back in once per
 * chunk; 'recompute' fetches only the tokens and re-feeds the whole sequence
 * on an empty cache each chunk (no cache crosses to the host at all: where the
 * host round trip is slower than a prefill, as with onnxruntime-node + CUDA).
 */
import '../float16.ts'; // first: hides Node 24's Float16Array from ONNX Runtime (see there)
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import type { StopReason } from '../../../common/protocol.ts';
import { GRAMMAR_INPUT_REMAINING, GRAMMAR_INPUT_STATE, GRAMMAR_OUTPUT_STATE } from '../grammar/mask-graph.ts';
import { FAR, FREE_STATE, type GrammarTables } from '../grammar/tables.ts';
import { StopPolicy } from '../stop.ts';
import { ensureFusedModel, FUSED_INPUT_EOS, FUSED_INPUT_MAX_STEPS, FUSED_OUTPUT_TOKENS, type EnsureOptions, type FusedModelInfo } from './transform.ts';


export interface ChunkInfo {
  /** Tokens generated so far, this chunk included. */
  total: number;
  /** ms spent in this chunk's session.run. */
  runMs: number;
  /** Steps this chunk asked for. */
  requested: number;
}

export interface FusedGenerateOptions {
  maxNewTokens: number;
  /** Stop after any of these (the stopping token is included in `ids`). */
  eosTokenIds: number[];
  /** Generate exactly maxNewTokens, never stopping on EOS (benchmarks). */
  ignoreEos?: boolean;
  /** Steps per session.run after the first: a number, or 'auto' (≈ targetChunkMs at the measured pace). Default 'auto'. */
  chunkSize?: number | 'auto';
  /** Steps in the first call (prefill + this many tokens). Default 1. */
  firstChunk?: number;
  /** For chunkSize 'auto': aim at one chunk (one UI update) per this many ms. Default 150. */
  targetChunkMs?: number;
  /** Largest 'auto' chunk. Default 128. */
  maxChunk?: number;
  /** Absolute Date.now() ms; no run (prefill piece or chunk) starts after it, and chunks are sized to end before it. */
  deadline?: number;
  signal?: AbortSignal;
  /** The worker's shared abort flag (see stop.ts). */
  abortFlag?: Int32Array;
  /** Prompt tokens per session.run while prefilling (default 256), so a budget or an abort acts within one piece. */
  prefillChunk?: number;
  /** Called after each prefill piece with the prompt tokens read so far. */
  onPrefill?: (done: number, total: number) => void;
  /** Called after each chunk with that chunk's new ids (EOS included when it stopped). */
  onChunk?: (ids: number[], info: ChunkInfo) => void;
  cacheMode?: 'carry' | 'recompute';
  /**
   * Constrained decoding (needs a generator created with the same tables): the
   * token state to start from (after the prefill; ../grammar/constraint.ts).
   * The closing rule counts on min(max tokens left, tokens that fit before the
   * deadline at the pace measured after the prefill chunk). Prefill pieces run
   * unconstrained (FREE state); the grammar starts with the first chunk.
   */
  grammar?: { tables: GrammarTables; state: number };
}

export interface FusedGenerateResult {
  ids: number[];
  stopReason: StopReason;
  /** ms from the call to the first token (null when none came). */
  firstTokenMs: number | null;
  generationMs: number;
  chunks: number;
  /** The grammar state after the last token (when constrained). */
  grammarState?: number;
}

export interface FusedGeneratorOptions extends EnsureOptions {
  /** The plain decoder (.onnx); the fused file is derived and cached beside it. */
  modelPath: string;
  device?: 'cpu' | 'cuda';
  /** Merged into the session options (e.g. logSeverityLevel, extra.session.disable_cpu_ep_fallback). */
  sessionOptions?: ort.InferenceSession.SessionOptions;
}

/** Feeds for a grammar loop: the state per row ([batch, 1]) and the closing rule's count. */
function grammarFeeds(states: number[], remaining: number): Record<string, ort.Tensor> {
  return {
    [GRAMMAR_INPUT_STATE]: new ort.Tensor('int32', Int32Array.from(states), [states.length, 1]),
    [GRAMMAR_INPUT_REMAINING]: new ort.Tensor('int32', Int32Array.of(Math.max(0, Math.min(FAR, Math.floor(remaining)))), []),
  };
}

export interface ChunkPlan {
  /** 0 for the first call (prefill + firstChunk tokens). */
  chunkIndex: number;
  /** Tokens still allowed by maxNewTokens (> 0). */
  remaining: number;
  chunkSize: number | 'auto';
  firstChunk: number;
  /** Measured ms per token of the previous chunk (null before the first). */
  msPerToken: number | null;
  /** ms until the deadline (Infinity without one). */
  msLeft: number;
  targetChunkMs: number;
  maxChunk: number;
}

/**
 * Steps for the next session.run: the first call asks for `firstChunk`; later
 * ones for `chunkSize` (or, for 'auto', ≈ targetChunkMs at the measured pace,
 * at most maxChunk), never more than `remaining`, and never more than fit in
 * the time left at the measured pace (at least 1: the deadline check before
 * the call decides whether it runs at all).
 */
export function planChunk(p: ChunkPlan): number {
  let steps: number;
  if (p.chunkIndex === 0) steps = p.firstChunk;
  else if (p.chunkSize === 'auto') steps = Math.min(p.maxChunk, p.msPerToken ? Math.round(p.targetChunkMs / p.msPerToken) : 8);
  else steps = p.chunkSize;
  if (p.chunkIndex > 0 && p.msPerToken && Number.isFinite(p.msLeft)) steps = Math.min(steps, Math.floor(p.msLeft / p.msPerToken));
  return Math.max(1, Math.min(steps, p.remaining));
}

const AUTO_DEFAULTS = { targetChunkMs: 150, maxChunk: 128 };
/** Prompt tokens per prefill run: long enough to keep the GPU busy, short enough that a stop acts soon. */
export const PREFILL_CHUNK = 256;

export class FusedGenerator {
  private constructor(
    readonly session: ort.InferenceSession,
    readonly info: FusedModelInfo,
    readonly loadMs: number,
  ) {}

  static async create(opts: FusedGeneratorOptions): Promise<FusedGenerator> {
    const t0 = performance.now();
    const info = await ensureFusedModel(opts.modelPath, opts);
    // The fused graph (a few KB) is loaded from its bytes, with the *source model's* folder as the
    // base of its external-data locations. ONNX Runtime refuses data files outside the folder of
    // the model it loads (symlinks are resolved first), so a fused file kept in the cache folder
    // (read-only model folder) could not name the weights beside the source any other way.
    const bytes = await readFile(info.path);
    const extra = (opts.sessionOptions?.extra ?? {}) as { session?: Record<string, unknown> };
    const session = await ort.InferenceSession.create(bytes, {
      executionProviders: [opts.device ?? 'cpu'],
      graphOptimizationLevel: 'all',
      ...opts.sessionOptions,
      extra: { ...extra, session: { ...extra.session, model_external_initializers_file_folder_path: dirname(resolve(opts.modelPath)) } },
    });
    return new FusedGenerator(session, info, performance.now() - t0);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }

  private emptyCache(batch: number): Record<string, ort.Tensor> {
    const { kvHeads, headDim, kvType } = this.info;
    if (kvHeads === null || headDim === null) throw new Error('fused model: cache heads/head_dim are symbolic in this export');
    const feeds: Record<string, ort.Tensor> = {};
    for (const l of this.info.layers) {
      for (const name of [l.key, l.value]) {
        feeds[name] = new ort.Tensor(kvType, kvType === 'float16' ? new Uint16Array(0) : new Float32Array(0), [batch, kvHeads, 0, headDim]);
      }
    }
    return feeds;
  }

  private invariantFeeds(): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const inp of this.info.invariantInputs) {
      if (/^(num_)?logits_to_keep$/.test(inp.name) && inp.elemType === 7) {
        feeds[inp.name] = new ort.Tensor('int64', BigInt64Array.from([1n]), inp.rank === 0 ? [] : [1]);
      } else {
        throw new Error(`fused model: don't know what to feed decoder input ${inp.name}`);
      }
    }
    return feeds;
  }

  /** One session.run: feed `tokens` (all new to the cache) on top of `cache` (null = empty), run up to `steps` greedy steps. */
  async runChunk(
    inputIds: number[],
    pastLength: number,
    cache: Record<string, ort.Tensor> | null,
    steps: number,
    eos: number[],
    fetchCache: boolean,
    /** For a grammar loop: state and closing count (default: FREE, unconstrained). */
    grammar?: { state: number; remaining: number },
  ): Promise<{ tokens: number[]; cache: Record<string, ort.Tensor> | null; runMs: number; grammarState?: number }> {
    const s = inputIds.length;
    const total = pastLength + s;
    const feeds: Record<string, ort.Tensor> = {
      ...this.invariantFeeds(),
      ...(cache ?? this.emptyCache(1)),
      input_ids: new ort.Tensor('int64', BigInt64Array.from(inputIds, BigInt), [1, s]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      [FUSED_INPUT_MAX_STEPS]: new ort.Tensor('int64', BigInt64Array.from([BigInt(steps)]), []),
      [FUSED_INPUT_EOS]: new ort.Tensor('int64', BigInt64Array.from(eos.length ? eos : [-1], BigInt), [eos.length || 1]),
      ...(this.info.grammar ? grammarFeeds([grammar?.state ?? FREE_STATE], grammar?.remaining ?? FAR) : {}),
    };
    if (this.info.hasPositionIds) {
      feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from({ length: s }, (_, i) => BigInt(pastLength + i)), [1, s]);
    }
    const fetches = fetchCache
      ? [FUSED_OUTPUT_TOKENS, ...this.info.layers.flatMap((l) => [l.presentKey, l.presentValue])]
      : [FUSED_OUTPUT_TOKENS];
    if (this.info.grammar) fetches.push(GRAMMAR_OUTPUT_STATE);
    const t = performance.now();
    const out = await this.session.run(feeds, fetches);
    const runMs = performance.now() - t;
    const tokens = Array.from(out[FUSED_OUTPUT_TOKENS]!.data as BigInt64Array, Number);
    let next: Record<string, ort.Tensor> | null = null;
    if (fetchCache) {
      next = {};
      for (const l of this.info.layers) {
        next[l.key] = out[l.presentKey]!;
        next[l.value] = out[l.presentValue]!;
      }
    }
    const grammarState = this.info.grammar ? (out[GRAMMAR_OUTPUT_STATE]!.data as Int32Array)[0] : undefined;
    return { tokens, cache: next, runMs, grammarState };
  }

  async generate(promptIds: number[], opts: FusedGenerateOptions): Promise<FusedGenerateResult> {
    const t0 = performance.now();
    if (promptIds.length === 0) throw new Error('empty prompt');
    const policy = new StopPolicy({ maxNewTokens: opts.maxNewTokens, deadline: opts.deadline, signal: opts.signal, abortFlag: opts.abortFlag });
    const mode = opts.cacheMode ?? 'carry';
    const eos = opts.ignoreEos ? [] : opts.eosTokenIds;
    const eosSet = new Set(eos);
    const target = opts.targetChunkMs ?? AUTO_DEFAULTS.targetChunkMs;
    const maxChunk = opts.maxChunk ?? AUTO_DEFAULTS.maxChunk;
    const ids: number[] = [];
    let chunks = 0;
    let firstTokenMs: number | null = null;
    let cache: Record<string, ort.Tensor> | null = null;
    let msPerToken: number | null = null;
    let stopReason: StopReason = 'max_tokens';
    const grammar = opts.grammar;
    if (grammar && !this.info.grammar) throw new Error('fused model: built without grammar tables, cannot constrain');
    let grammarState = grammar?.state;

    // The prompt but its last piece goes in pieces of `prefillChunk` tokens (one greedy step each,
    // its token dropped), so no single session.run holds the thread for a whole long prompt.
    const piece = Math.max(1, Math.floor(opts.prefillChunk ?? PREFILL_CHUNK));
    let prefilled = 0;
    while (promptIds.length - prefilled > piece) {
      if (policy.interrupted()) {
        return { ids, stopReason: policy.finish(false, 0), firstTokenMs, generationMs: performance.now() - t0, chunks };
      }
      const r = await this.runChunk(promptIds.slice(prefilled, prefilled + piece), prefilled, cache, 1, [], true);
      cache = r.cache;
      prefilled += piece;
      opts.onPrefill?.(prefilled, promptIds.length);
    }

    while (true) {
      const remaining = policy.maxNewTokens - ids.length;
      if (remaining <= 0 || policy.interrupted()) {
        stopReason = policy.finish(false, ids.length);
        break;
      }
      const steps = planChunk({
        chunkIndex: chunks,
        remaining,
        chunkSize: opts.chunkSize ?? 'auto',
        firstChunk: opts.firstChunk ?? 1,
        msPerToken,
        msLeft: policy.msLeft(),
        targetChunkMs: target,
        maxChunk,
      });

      // first call: the prompt's last piece on the prefilled cache (empty for a short prompt);
      // then carry: the last token on the cache; recompute: the whole sequence on an empty cache
      let feed: number[];
      let past: number;
      let onCache: Record<string, ort.Tensor> | null;
      if (chunks === 0) {
        feed = promptIds.slice(prefilled);
        past = prefilled;
        onCache = cache;
      } else if (mode === 'recompute') {
        feed = [...promptIds, ...ids];
        past = 0;
        onCache = null;
      } else {
        feed = [ids[ids.length - 1]!];
        past = promptIds.length + ids.length - 1;
        onCache = cache;
      }
      let closing: { state: number; remaining: number } | undefined;
      if (grammar && grammarState !== undefined) {
        // the pace counts only after the prefill chunk; never below the distance (some token must stay allowed)
        const paced = chunks >= 2 && msPerToken && policy.deadline !== undefined ? Math.floor(policy.msLeft() / msPerToken) : Infinity;
        closing = { state: grammarState, remaining: Math.max(grammar.tables.dist[grammarState]!, Math.min(remaining, paced)) };
      }
      const r = await this.runChunk(feed, past, onCache, steps, eos, mode === 'carry', closing);
      if (closing) grammarState = r.grammarState;
      cache = r.cache;
      chunks++;
      const got = r.tokens;
      if (firstTokenMs === null && got.length > 0) firstTokenMs = performance.now() - t0;
      // pace (the first chunk's includes the prefill: an overestimate, replaced after the next)
      msPerToken = r.runMs / Math.max(1, got.length);
      let stop = -1;
      if (eosSet.size) stop = got.findIndex((x) => eosSet.has(x));
      const kept = stop >= 0 ? got.slice(0, stop + 1) : got;
      ids.push(...kept);
      opts.onChunk?.(kept, { total: ids.length, runMs: r.runMs, requested: steps });
      if (stop >= 0) {
        stopReason = 'eos';
        break;
      }
      if (got.length < steps) throw new Error(`fused loop stopped after ${got.length}/${steps} steps without an end token`);
    }
    return { ids, stopReason, firstTokenMs, generationMs: performance.now() - t0, chunks, ...(grammarState !== undefined ? { grammarState } : {}) };
  }
}
