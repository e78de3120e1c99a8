/**
 * The GPU budget of one request: a deadline plus the request's AbortSignal,
 * turned into something generation checks at every step.
 *
 * transformers.js checks its stopping criteria after each new token, so the
 * engine wraps `Budget.shouldStop()` in a StoppingCriteria (model.ts; this
 * file imports no model code). The first reason to stop is recorded and never
 * changes: 'aborted' when the signal fired, 'budget' when the clock passed the
 * deadline. A timer at the deadline and the abort listener call `onStop`
 * listeners at once (e.g. an InterruptableStoppingCriteria's `interrupt()`);
 * `dispose()` clears both, always (use `withBudget` to get that in `finally`).
 */
import type { StopReason } from '../../common/protocol.ts';

export type BudgetStopReason = Extract<StopReason, 'budget' | 'aborted'>;

export interface BudgetOptions {
  /** Absolute time (ms since epoch, same clock as `now`) after which to stop. */
  deadline?: number;
  signal?: AbortSignal;
  /** Clock, for tests. */
  now?: () => number;
}

export class Budget {
  readonly deadline: number | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly now: () => number;
  private reason: BudgetStopReason | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(reason: BudgetStopReason) => void>();
  private readonly onAbort = () => this.stop('aborted');
  private disposed = false;

  constructor(options: BudgetOptions = {}) {
    this.deadline = options.deadline;
    this.signal = options.signal;
    this.now = options.now ?? Date.now;
    if (this.signal?.aborted) {
      this.reason = 'aborted';
    } else {
      this.signal?.addEventListener('abort', this.onAbort, { once: true });
      if (this.deadline !== undefined) {
        const delay = this.deadline - this.now();
        if (delay <= 0) this.reason = 'budget';
        else this.timer = setTimeout(() => this.stop('budget'), delay);
      }
    }
  }

  /** Why generation must stop, or null while it may go on. Checks the signal and the clock. */
  check(): BudgetStopReason | null {
    if (this.reason) return this.reason;
    if (this.signal?.aborted) this.stop('aborted');
    else if (this.deadline !== undefined && this.now() >= this.deadline) this.stop('budget');
    return this.reason;
  }

  /** True when generation must stop now (called once per generated token). */
  shouldStop(): boolean {
    return this.check() !== null;
  }

  /** The recorded reason, without checking again. */
  get stopReason(): BudgetStopReason | null {
    return this.reason;
  }

  /** ms left before the deadline (Infinity without one; never negative). */
  remainingMs(): number {
    if (this.deadline === undefined) return Number.POSITIVE_INFINITY;
    return Math.max(0, this.deadline - this.now());
  }

  /** Called once when the budget runs out or the signal aborts. Returns unsubscribe. */
  onStop(listener: (reason: BudgetStopReason) => void): () => void {
    if (this.reason) {
      listener(this.reason);
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Clears the timer and the abort listener. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.listeners.clear();
  }

  /** True when dispose() ran; for tests that check nothing leaks. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  private stop(reason: BudgetStopReason): void {
    if (this.reason) return;
    this.reason = reason;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const listener of [...this.listeners]) {
      try {
        listener(reason);
      } catch {
        // A listener's failure must not keep the budget from stopping generation.
      }
    }
    this.listeners.clear();
  }
}

/** Runs `fn` with a Budget that is disposed in `finally`, whatever happens. */
export async function withBudget<T>(options: BudgetOptions, fn: (budget: Budget) => Promise<T>): Promise<T> {
  const budget = new Budget(options);
  try {
    return await fn(budget);
  } finally {
    budget.dispose();
  }
}

/**
 * Why a finished generation stopped. The model ending its turn wins over
 * everything (it finished); then an abort; then the token cap (a run that got
 * every token it asked for was not cut by the clock, even if the deadline
 * passed during its last step); then the budget. The fused decoder checks in
 * the same order between chunks, so both decoders report the same reason.
 */
export function resolveStopReason(args: {
  endedWithEos: boolean;
  budgetReason: BudgetStopReason | null;
  tokens: number;
  maxNewTokens: number;
}): StopReason {
  if (args.endedWithEos) return 'eos';
  if (args.budgetReason === 'aborted') return 'aborted';
  if (args.tokens >= args.maxNewTokens) return 'max_tokens';
  if (args.budgetReason) return args.budgetReason;
  // Generation ended for another reason (e.g. the model's context length): treat as finished.
  return 'eos';
}
