import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';

describe('RateLimiter (token bucket per key)', () => {
  it('allows a burst, then refuses with the seconds until a token is back, then refills', () => {
    let now = 0;
    const rl = new RateLimiter({ burst: 3, perSecond: 0.5 }, () => now);
    expect([rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([0, 0, 0]);
    expect(rl.take('a')).toBe(2); // 1 token at 0.5/s
    expect(rl.take('b')).toBe(0); // other clients are independent
    now += 2_000;
    expect(rl.take('a')).toBe(0);
    expect(rl.take('a')).toBeGreaterThan(0);
  });

  it('forgets full buckets so memory stays bounded', () => {
    let now = 0;
    const rl = new RateLimiter({ burst: 2, perSecond: 1 }, () => now);
    for (let i = 0; i < 100; i++) rl.take(`ip${i}`);
    expect(rl.size).toBe(100);
    now += 120_000;
    rl.take('x');
    expect(rl.size).toBe(1);
  });
});
