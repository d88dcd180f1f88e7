import { afterAll, describe, expect, it } from 'vitest';
import { deleteRedisPrefix, newRedisTestPrefix, TEST_REDIS_URL } from '../../test/factories/redis-test-prefix.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

const prefix = newRedisTestPrefix();
const limiters: RedisRateLimiter[] = [];
afterAll(async () => {
  for (const l of limiters) await l.close();
  await deleteRedisPrefix(prefix);
});

describe('RedisRateLimiter', () => {
  it('shares one bucket between processes: two limiters racing never allow more than the bucket holds', async () => {
    const a = new RedisRateLimiter(TEST_REDIS_URL, prefix);
    const b = new RedisRateLimiter(TEST_REDIS_URL, prefix);
    limiters.push(a, b);
    expect(await a.ready()).toBe(true);
    expect(await b.ready()).toBe(true);
    const rule = { points: 25, perMs: 60_000 };
    const all = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).consume('race', rule)));
    expect(all.filter((d) => d.allowed)).toHaveLength(25);
    const refused = all.find((d) => !d.allowed);
    expect(refused?.retryAfterMs).toBeGreaterThan(0);
    expect(refused?.retryAfterMs).toBeLessThanOrEqual(2400);
  });

  it('refills over time and keeps keys apart', async () => {
    const l = new RedisRateLimiter(TEST_REDIS_URL, prefix);
    limiters.push(l);
    await l.ready();
    const rule = { points: 2, perMs: 200 };
    expect((await l.consume('refill', rule, 2)).allowed).toBe(true);
    expect((await l.consume('refill', rule)).allowed).toBe(false);
    expect((await l.consume('other', rule)).allowed).toBe(true);
    await new Promise((r) => setTimeout(r, 120));
    expect((await l.consume('refill', rule)).allowed).toBe(true);
  });

  it('keeps limiting in its own process when Redis cannot be reached', async () => {
    const l = new RedisRateLimiter('redis://127.0.0.1:1', prefix);
    limiters.push(l);
    const rule = { points: 3, perMs: 60_000 };
    const r = [];
    for (let i = 0; i < 5; i++) r.push((await l.consume('down', rule)).allowed);
    expect(r).toEqual([true, true, true, false, false]);
  });
});
