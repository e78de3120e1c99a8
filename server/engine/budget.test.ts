import { afterEach, describe, expect, it, vi } from 'vitest';
import { Budget, resolveStopReason, withBudget } from './budget.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('Budget', () => {
  it('without deadline or signal never stops', () => {
    const b = new Budget();
    expect(b.shouldStop()).toBe(false);
    expect(b.remainingMs()).toBe(Number.POSITIVE_INFINITY);
    b.dispose();
  });

  it.each([
    // [now, deadline, expected]
    [0, 1_000, null],
    [999, 1_000, null],
    [1_000, 1_000, 'budget'],
    [5_000, 1_000, 'budget'],
  ] as const)('clock check: now=%i deadline=%i → %s', (now, deadline, expected) => {
    let t = 0;
    const b = new Budget({ deadline, now: () => t });
    t = now;
    expect(b.check()).toBe(expected);
    b.dispose();
  });

  it('a deadline already past stops at once', () => {
    const b = new Budget({ deadline: Date.now() - 1 });
    expect(b.stopReason).toBe('budget');
    expect(b.shouldStop()).toBe(true);
    b.dispose();
  });

  it('an already-aborted signal stops at once as aborted', () => {
    const b = new Budget({ signal: AbortSignal.abort(), deadline: Date.now() - 1 });
    expect(b.stopReason).toBe('aborted');
    b.dispose();
  });

  it('records the first reason and keeps it', () => {
    let t = 0;
    const controller = new AbortController();
    const b = new Budget({ deadline: 100, signal: controller.signal, now: () => t });
    controller.abort();
    t = 200;
    expect(b.check()).toBe('aborted');
    b.dispose();

    const c = new AbortController();
    t = 0;
    const b2 = new Budget({ deadline: 100, signal: c.signal, now: () => t });
    t = 200;
    expect(b2.check()).toBe('budget');
    c.abort();
    expect(b2.check()).toBe('budget');
    b2.dispose();
  });

  it('calls onStop listeners when the signal aborts', () => {
    const controller = new AbortController();
    const b = new Budget({ signal: controller.signal });
    const reasons: string[] = [];
    b.onStop((r) => reasons.push(r));
    controller.abort();
    expect(reasons).toEqual(['aborted']);
    expect(b.stopReason).toBe('aborted');
    b.dispose();
  });

  it('the deadline timer calls onStop without anyone checking', () => {
    vi.useFakeTimers();
    const b = new Budget({ deadline: Date.now() + 500 });
    const reasons: string[] = [];
    b.onStop((r) => reasons.push(r));
    vi.advanceTimersByTime(499);
    expect(reasons).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(reasons).toEqual(['budget']);
    b.dispose();
  });

  it('onStop after the stop is called at once', () => {
    const b = new Budget({ signal: AbortSignal.abort() });
    const reasons: string[] = [];
    b.onStop((r) => reasons.push(r));
    expect(reasons).toEqual(['aborted']);
  });

  it('dispose clears the timer and the abort listener', () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const b = new Budget({ deadline: Date.now() + 500, signal: controller.signal });
    const reasons: string[] = [];
    b.onStop((r) => reasons.push(r));
    expect(vi.getTimerCount()).toBe(1);
    b.dispose();
    expect(vi.getTimerCount()).toBe(0);
    controller.abort();
    vi.advanceTimersByTime(1_000);
    expect(reasons).toEqual([]);
    expect(b.isDisposed).toBe(true);
  });

  it('withBudget disposes in finally, also when fn throws', async () => {
    vi.useFakeTimers();
    let seen: Budget | undefined;
    await expect(
      withBudget({ deadline: Date.now() + 10_000 }, async (b) => {
        seen = b;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen?.isDisposed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await expect(withBudget({}, async () => 7)).resolves.toBe(7);
  });

  it('remainingMs counts down and never goes negative', () => {
    let t = 0;
    const b = new Budget({ deadline: 1_000, now: () => t });
    expect(b.remainingMs()).toBe(1_000);
    t = 400;
    expect(b.remainingMs()).toBe(600);
    t = 5_000;
    expect(b.remainingMs()).toBe(0);
    b.dispose();
  });
});

describe('resolveStopReason', () => {
  it.each([
    [{ endedWithEos: true, budgetReason: null, tokens: 5, maxNewTokens: 10 }, 'eos'],
    [{ endedWithEos: true, budgetReason: 'budget', tokens: 5, maxNewTokens: 10 }, 'eos'],
    [{ endedWithEos: false, budgetReason: 'budget', tokens: 5, maxNewTokens: 10 }, 'budget'],
    [{ endedWithEos: false, budgetReason: 'aborted', tokens: 10, maxNewTokens: 10 }, 'aborted'],
    // the deadline passed during the last step: every token came, as the fused decoder reports it
    [{ endedWithEos: false, budgetReason: 'budget', tokens: 10, maxNewTokens: 10 }, 'max_tokens'],
    [{ endedWithEos: false, budgetReason: null, tokens: 10, maxNewTokens: 10 }, 'max_tokens'],
    [{ endedWithEos: false, budgetReason: null, tokens: 3, maxNewTokens: 10 }, 'eos'],
  ] as const)('%o → %s', (args, expected) => {
    expect(resolveStopReason(args)).toBe(expected);
  });
});
