/**
 * The real engine's options (from the configuration), with their defaults,
 * and the shapes a load produces. Plain data: the worker thread receives
 * these options as a message, so nothing here may hold a function except the
 * optional logger and clock, which the worker supplies itself.
 */
import path from 'node:path';
import type { PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';
import { DEFAULT_MAX_NEW_TOKENS } from '../../common/limits.ts';
import { DEFAULT_MODEL_ID, type Config, type Device, type Dtype } from '../config.ts';
import type { ConcreteDtype, ResolvedDevice } from './files.ts';
import type { FusedGenerator } from './fused/generate.ts';
import type { LoadedTables } from './grammar/cache.ts';
import type { Neutraliser } from './special-tokens.ts';
import { trimEndChar } from '../../common/text.ts';

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
  /** Default and ceiling of new tokens per call. */
  maxNewTokens?: number;
  /** 1-token generation after load (default true). */
  warmup?: boolean;
  /** Greedy decoding inside the ONNX graph: auto (fall back to transformers.js generate) | on (required) | off. */
  fused?: 'auto' | 'on' | 'off';
  /** Tokens per fused call, or 'auto' (≈ one chunk per 150 ms). */
  fusedChunk?: number | 'auto';
  /** How the cache travels between fused calls. */
  fusedCache?: 'carry' | 'recompute';
  /** Prompt tokens per prefill run, both decoders (default 256). */
  prefillChunk?: number;
  /** Grammar-constrained flowcharts (./grammar): on (both decoders) | auto (fused loop only) | off (default). */
  constrained?: 'auto' | 'on' | 'off';
  /** Wait before the first retry of a failed load, ms (default 5 000; doubles per failure up to 5 min). */
  retryBackoffMs?: number;
}

export type ResolvedOptions = Required<Omit<TransformersEngineOptions, 'modelPath' | 'hfToken'>> & {
  modelPath: string | null;
  hfToken: string | null;
};

export function resolveOptions(o: TransformersEngineOptions): ResolvedOptions {
  return {
    modelId: o.modelId ?? DEFAULT_MODEL_ID,
    modelPath: o.modelPath ?? null,
    revision: o.revision ?? 'main',
    hfToken: o.hfToken ?? null,
    device: o.device ?? 'auto',
    dtype: o.dtype ?? 'auto',
    cacheDir: o.cacheDir ?? path.resolve('.cache/models'),
    maxNewTokens: o.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS,
    hubUrl: trimEndChar(o.hubUrl ?? 'https://huggingface.co', '/'),
    warmup: o.warmup ?? true,
    fused: o.fused ?? 'auto',
    fusedChunk: o.fusedChunk ?? 'auto',
    fusedCache: o.fusedCache ?? 'carry',
    prefillChunk: o.prefillChunk ?? 256,
    constrained: o.constrained ?? 'off',
    retryBackoffMs: o.retryBackoffMs ?? 5_000,
  };
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
    constrained: config.constrained,
    ...extra,
  };
}

/** What the status and logs call the model: the Hub id, or the local folder's name (never its absolute path). */
export function publicModelName(o: Pick<ResolvedOptions, 'modelPath' | 'modelId'>): string {
  return o.modelPath ? path.basename(path.resolve(o.modelPath)) : o.modelId;
}

export type Decoder = 'fused' | 'transformers';

/** The decoder that runs: exactly one of `model` (transformers.js) and `fused` is set. */
export interface Decoded {
  model: PreTrainedModel | null;
  fused: FusedGenerator | null;
  device: ResolvedDevice;
  dtype: ConcreteDtype;
  /** Grammar tables (CONSTRAINED on/auto), built into the fused loop when it runs; null when off. */
  grammar?: LoadedTables | null;
}

export interface Loaded extends Decoded {
  tokenizer: PreTrainedTokenizer;
  eosIds: Set<number>;
  /** Defuses the tokenizer's added tokens in user text (special-tokens.ts). */
  neutralise: Neutraliser;
}

export async function disposeDecoder(d: Decoded): Promise<void> {
  await d.model?.dispose();
  await d.fused?.dispose();
}

/** FUSED=on and the fused graph cannot be built: not a device problem, so no CPU fallback. */
export class FusedRequiredError extends Error {}

/** A model that could not be loaded; `message` says why and what to do. */
export class ModelLoadError extends Error {
  readonly code = 'model_load_failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelLoadError';
  }
}
