/**
 * What the rest of the server knows about a language model. The real engine
 * (a worker thread around `model.ts`, transformers.js + onnxruntime-node) and
 * `scripted.ts` (canned outputs, for unit tests and UI development without a
 * model) both implement `Engine`, so the pipeline never knows which one it drives.
 *
 * One stream: `generate(request, signal)` yields display-safe `text` pieces
 * with the running token count, then exactly one `end` chunk (the last) with
 * the whole text, the counts, the timings and why it stopped. A stop (EOS,
 * max tokens, budget, abort) is an `end`, never an exception; a model that
 * cannot load or run throws from the iterator.
 */
import type { ReadyStatus, StopReason } from '../../common/protocol.ts';
import type { ConstraintSpec } from './grammar/types.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface EngineRequest {
  messages: ChatMessage[];
  /** Cap on new tokens (default and ceiling: the engine's MAX_NEW_TOKENS). */
  maxNewTokens?: number;
  /**
   * Absolute time (Date.now() ms) after which the model must be let go: the
   * GPU budget. It counts the prefill (checked between prefill pieces too).
   */
  deadline?: number;
  /**
   * Grammar-constrained decoding (server/engine/grammar; plain data, it crosses
   * to the worker): the answer is prefilled with `constraint.prefill` and can
   * only continue inside the grammar. Honoured per CONSTRAINED (on; auto: fused
   * path only; off: never); `GenerationOutput.constrained` says whether it was.
   */
  constraint?: ConstraintSpec;
}

/** The final numbers of one generation (the `end` chunk, without its tag). */
export interface GenerationOutput {
  /** All decoded text (special tokens skipped); the `text` pieces concatenate to it. */
  text: string;
  /** New tokens generated, end-of-turn included. */
  tokens: number;
  promptTokens: number;
  stopReason: StopReason;
  /** ms from the start of decoding (after any load) to the first new token; null when none came. */
  firstTokenMs: number | null;
  /** ms spent decoding (prefill included). */
  generationMs: number;
  /** True when the grammar constrained the text (which then starts with the constraint's prefill). */
  constrained?: boolean;
}

export type TokenChunk =
  /** Display-safe text (never half a character) and the tokens generated so far. */
  | { type: 'text'; text: string; tokens: number }
  /** Always the last chunk. */
  | ({ type: 'end' } & GenerationOutput);

export type LoadProgressListener = (status: ReadyStatus) => void;

export interface Engine {
  /** Current readiness; cheap, synchronous. */
  status(): ReadyStatus;
  /** Subscribe to status changes (load progress, ready, error). Returns unsubscribe. */
  onStatus(listener: LoadProgressListener): () => void;
  /**
   * Loads (downloads if needed) and warms the model once. Concurrent callers
   * share one load; a failed load is remembered (status `error`, with when the
   * next attempt may start) and retried by a later call after its backoff.
   */
  load(): Promise<void>;
  /**
   * Greedy generation from chat messages, through the model's own chat template.
   * An engine that applies a template owns the control-token rule: it defuses the
   * tokenizer's added tokens in user and assistant text first (special-tokens.ts);
   * the prompt does not.
   */
  generate(request: EngineRequest, signal?: AbortSignal): AsyncIterable<TokenChunk>;
  /** Release the model (tests, shutdown); generations in progress end as `aborted`. */
  dispose(): Promise<void>;
}
