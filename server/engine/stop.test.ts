import { describe, expect, it } from 'vitest';
import { StopPolicy } from './stop.ts';

describe('StopPolicy', () => {
  it('without deadline or signal is never interrupted', () => {
    const p = new StopPolicy({ maxNewTokens: 10 });
    expect(p.interrupted()).toBeNull();
    expect(p.msLeft()).toBe(Number.POSITIVE_INFINITY);
  });

  it.each([
    // [now, deadline, expected]
    [0, 1_000, null],
    [999, 1_000, null],
    [1_000, 1_000, 'budget'],
    [5_000, 1_000, 'budget'],
  ] as const)('clock: now=%i deadline=%i → %s', (now, deadline, expected) => {
    const p = new StopPolicy({ maxNewTokens: 10, deadline, now: () => now });
    expect(p.interrupted()).toBe(expected);
  });

  it('an abort wins over a passed deadline, and the first reason sticks', () => {
    let t = 0;
    const c = new AbortController();
    const p = new StopPolicy({ maxNewTokens: 10, deadline: 100, signal: c.signal, now: () => t });
    c.abort();
    t = 200;
    expect(p.interrupted()).toBe('aborted');

    const c2 = new AbortController();
    t = 0;
    const q = new StopPolicy({ maxNewTokens: 10, deadline: 100, signal: c2.signal, now: () => t });
    t = 200;
    expect(q.interrupted()).toBe('budget');
    c2.abort();
    expect(q.interrupted()).toBe('budget');
  });

  it('reads the shared abort flag at every check', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const p = new StopPolicy({ maxNewTokens: 10, abortFlag: flag });
    expect(p.interrupted()).toBeNull();
    Atomics.store(flag, 0, 1);
    expect(p.interrupted()).toBe('aborted');
  });

  it('msLeft counts down and never goes negative', () => {
    let t = 0;
    const p = new StopPolicy({ maxNewTokens: 1, deadline: 500, now: () => t });
    expect(p.msLeft()).toBe(500);
    t = 900;
    expect(p.msLeft()).toBe(0);
  });

  it.each([
    // [endedWithEos, interrupt, tokens, max, expected]
    [true, 'aborted', 5, 5, 'eos'],
    [false, 'aborted', 5, 5, 'aborted'],
    [false, 'budget', 5, 5, 'max_tokens'],
    [false, 'budget', 3, 5, 'budget'],
    [false, null, 5, 5, 'max_tokens'],
    [false, null, 3, 5, 'eos'],
  ] as const)('finish(eos=%s, %s, %i/%i) → %s', (eos, interrupt, tokens, max, expected) => {
    const p = new StopPolicy({
      maxNewTokens: max,
      signal: interrupt === 'aborted' ? AbortSignal.abort() : undefined,
      deadline: interrupt === 'budget' ? 0 : undefined,
      now: () => 1,
    });
    p.interrupted();
    expect(p.finish(eos, tokens)).toBe(expected);
  });
});
