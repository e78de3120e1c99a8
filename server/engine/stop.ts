/**
 * The one stopping policy of both decoders (fused loop and transformers.js
 * generate) and the scripted engine: end of turn, the token cap, the budget
 * (a deadline that counts the prefill) and an abort.
 *
 * Decoders poll `interrupted()` between prefill pieces and between decode
 * steps or chunks; nothing here runs on a timer. The abort comes from the
 * request's AbortSignal and, inside the worker thread, from a shared flag
 * the main thread sets (`abortFlag`): the worker's event loop is busy while a
 * model runs, so a posted "abort" message would only be read after the run;
 * the flag is read at the very next check.
 */
import type { StopReason } from '../../common/protocol.ts';

export type InterruptReason = Extract<StopReason, 'budget' | 'aborted'>;

export interface StopPolicyOptions {
  maxNewTokens: number;
  /** Absolute Date.now() ms: no model run starts after it. */
  deadline?: number;
  signal?: AbortSignal;
  /** Int32Array over a SharedArrayBuffer; non-zero at index 0 means aborted. */
  abortFlag?: Int32Array;
  /** Clock, for tests. */
  now?: () => number;
}

export class StopPolicy {
  readonly maxNewTokens: number;
  readonly deadline: number | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly flag: Int32Array | undefined;
  private readonly now: () => number;
  private reason: InterruptReason | null = null;

  constructor(o: StopPolicyOptions) {
    this.maxNewTokens = Math.max(1, Math.floor(o.maxNewTokens));
    this.deadline = o.deadline;
    this.signal = o.signal;
    this.flag = o.abortFlag;
    this.now = o.now ?? Date.now;
  }

  /** Why the model must be let go now ('aborted' before 'budget'), or null. The first reason sticks. */
  interrupted(): InterruptReason | null {
    if (this.reason) return this.reason;
    if (this.signal?.aborted || (this.flag && Atomics.load(this.flag, 0) !== 0)) this.reason = 'aborted';
    else if (this.deadline !== undefined && this.now() >= this.deadline) this.reason = 'budget';
    return this.reason;
  }

  /** The reason recorded by the last `interrupted()`, without checking again. */
  get interruptReason(): InterruptReason | null {
    return this.reason;
  }

  /** ms before the deadline (Infinity without one; never negative). */
  msLeft(): number {
    return this.deadline === undefined ? Number.POSITIVE_INFINITY : Math.max(0, this.deadline - this.now());
  }

  /**
   * Why a finished generation stopped. The model ending its turn wins (it
   * finished); then an abort; then the token cap (a run that got every token
   * it asked for was not cut by the clock, even if the deadline passed during
   * its last step); then the budget. A run that ended for none of these (the
   * model's context length) counts as finished.
   */
  finish(endedWithEos: boolean, tokens: number): StopReason {
    if (endedWithEos) return 'eos';
    if (this.reason === 'aborted') return 'aborted';
    if (tokens >= this.maxNewTokens) return 'max_tokens';
    if (this.reason) return this.reason;
    return 'eos';
  }
}
