/**
 * What the rest of the server knows about a language model. `model.ts`
 * (transformers.js) and `scripted.ts` (canned outputs, for unit tests and
 * UI development without a model) both implement `Engine`, so the pipeline
 * and HTTP layers never know which one they drive.
 */
import type { ReadyStatus, StopReason } from '../../common/protocol.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerateOptions {
  /** Hard cap on new tokens (default DEFAULT_MAX_NEW_TOKENS). */
  maxNewTokens?: number;
  /** Absolute time (Date.now() ms) after which generation must stop: the GPU budget. */
  deadline?: number;
  /** Client went away / Stop pressed: stop at once. */
  signal?: AbortSignal;
  /** Text safe to display as it arrives, with the running token count. */
  onToken?: (text: string, tokens: number) => void;
}

export interface GenerationOutput {
  /** All decoded text (special tokens skipped). */
  text: string;
  /** New tokens generated. */
  tokens: number;
  promptTokens: number;
  stopReason: StopReason;
  /** ms from the call to the first new token; null when none came. */
  firstTokenMs: number | null;
  /** ms spent in the call. */
  generationMs: number;
}

export type LoadProgressListener = (status: ReadyStatus) => void;

export interface Engine {
  /** Current readiness; cheap, synchronous. */
  status(): ReadyStatus;
  /** Subscribe to status changes (load progress, ready, error). Returns unsubscribe. */
  onStatus(listener: LoadProgressListener): () => void;
  /**
   * Loads (downloads if needed) and warms the model once. Concurrent callers
   * share one load; a failed load is forgotten so the next call retries.
   */
  load(): Promise<void>;
  /** Greedy generation from chat messages, through the model's own chat template. */
  generate(messages: ChatMessage[], options?: GenerateOptions): Promise<GenerationOutput>;
  /** Release the model (tests, shutdown). */
  dispose(): Promise<void>;
}
