/**
 * Per-client token bucket: each client (IP) may burst `burst` requests, then
 * `perSecond` more each second. Refused requests get 429 with Retry-After
 * (seconds until one token is back). Idle buckets are swept so memory stays
 * bounded under many distinct clients.
 */
import type { RateLimitConfig } from './types.ts';

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  #buckets = new Map<string, Bucket>();
  #lastSweep = 0;

  constructor(
    private readonly cfg: RateLimitConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`: 0 when allowed, else seconds to wait. */
  take(key: string): number {
    const now = this.now();
    this.#sweep(now);
    const b = this.#buckets.get(key) ?? { tokens: this.cfg.burst, at: now };
    b.tokens = Math.min(this.cfg.burst, b.tokens + ((now - b.at) / 1000) * this.cfg.perSecond);
    b.at = now;
    this.#buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return this.cfg.perSecond > 0 ? Math.max(1, Math.ceil((1 - b.tokens) / this.cfg.perSecond)) : 60;
  }

  get size(): number {
    return this.#buckets.size;
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    // A bucket refilled to full carries no state: drop it.
    const fullAfterMs = this.cfg.perSecond > 0 ? (this.cfg.burst / this.cfg.perSecond) * 1000 : Infinity;
    for (const [k, b] of this.#buckets) if (now - b.at > fullAfterMs) this.#buckets.delete(k);
  }
}
