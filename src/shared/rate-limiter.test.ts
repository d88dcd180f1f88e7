import { describe, expect, it } from 'vitest';
import { InProcessRateLimiter, takeFromBucket } from './rate-limiter.js';

describe('token bucket', () => {
  it('allows a burst of `points`, then one point per perMs/points', () => {
    let now = 0;
    const limiter = new InProcessRateLimiter(() => now);
    const rule = { points: 3, perMs: 3000 };
    const burst = [1, 2, 3, 4].map(() => limiter.consumeNow('k', rule));
    expect(burst.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(burst[3].retryAfterMs).toBe(1000);
    now = 999;
    expect(limiter.consumeNow('k', rule).allowed).toBe(false);
    now = 1000;
    expect(limiter.consumeNow('k', rule)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 0 });
  });

  it('keeps keys apart and charges a cost', () => {
    const limiter = new InProcessRateLimiter(() => 0);
    const rule = { points: 10, perMs: 1000 };
    expect(limiter.consumeNow('a', rule, 7).remaining).toBe(3);
    expect(limiter.consumeNow('a', rule, 7).allowed).toBe(false);
    expect(limiter.consumeNow('b', rule, 7).allowed).toBe(true);
  });

  it('never pays a cost above the bucket size, and says when the bucket is full again', () => {
    const { decision } = takeFromBucket(undefined, { points: 5, perMs: 60_000 }, 6, 0);
    expect(decision).toEqual({ allowed: false, retryAfterMs: 60_000, remaining: 5 });
  });
});
