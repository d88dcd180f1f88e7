import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LeaseScheduler } from '../../src/jobs/lease-scheduler.js';
import { RedisLeaseManager } from '../../src/jobs/redis-lease-manager.js';
import { deleteRedisPrefix, newRedisTestPrefix, TEST_REDIS_URL } from '../factories/redis-test-prefix.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clients: Redis[] = [];
const prefixes: string[] = [];
const client = () => {
  const r = new Redis(TEST_REDIS_URL);
  clients.push(r);
  return r;
};
const prefix = () => {
  const p = newRedisTestPrefix();
  prefixes.push(p);
  return p;
};
afterAll(async () => {
  for (const c of clients) c.disconnect();
  for (const p of prefixes) await deleteRedisPrefix(p);
});

describe('Redis leases', () => {
  it('grant a name to one process at a time, with fences that only grow', async () => {
    const p = prefix();
    const [a, b] = [new RedisLeaseManager(client(), p), new RedisLeaseManager(client(), p)];
    const first = await a.tryAcquire('thread:1', 5_000);
    expect(first).not.toBeNull();
    expect(await b.tryAcquire('thread:1', 5_000)).toBeNull();
    await first!.release();
    const second = await b.tryAcquire('thread:1', 5_000);
    expect(second!.fence).toBeGreaterThan(first!.fence);
    expect(first!.fence).toBeGreaterThanOrEqual(Date.now() - 60_000); // at least the server clock
  });

  it('keep fences growing after Redis lost its data', async () => {
    const p = prefix();
    const leases = new RedisLeaseManager(client(), p);
    const before = await leases.tryAcquire('thread:1', 5_000);
    await deleteRedisPrefix(p); // a restart without persistence, or a failover that lost writes
    const after = await leases.tryAcquire('thread:1', 5_000);
    expect(after).not.toBeNull();
    expect(after!.fence).toBeGreaterThan(before!.fence);
  });

  it('hand an expired lease to the next process and refuse the old holder renewal', async () => {
    const p = prefix();
    const [a, b] = [new RedisLeaseManager(client(), p), new RedisLeaseManager(client(), p)];
    const slow = await a.tryAcquire('thread:1', 100);
    await sleep(150);
    expect(slow!.lost).toBe(true);
    const next = await b.tryAcquire('thread:1', 5_000);
    expect(next).not.toBeNull();
    expect(await slow!.renew()).toBe(false);
    await slow!.release(); // leaves the new holder's lease alone
    expect(await a.tryAcquire('thread:1', 5_000)).toBeNull();
  });

  it('hold(): a second process takes over within the TTL when the holder dies', async () => {
    const p = prefix();
    const dying = client();
    const events: string[] = [];
    const a = new RedisLeaseManager(dying, p).hold('wechaty', { ttlMs: 300, onAcquired: () => { events.push('a+'); }, onLost: () => { events.push('a-'); } });
    await sleep(100);
    const b = new RedisLeaseManager(client(), p).hold('wechaty', { ttlMs: 300, onAcquired: () => { events.push('b+'); }, onLost: () => { events.push('b-'); } });
    await sleep(300);
    expect(events).toEqual(['a+']);
    dying.disconnect(); // the holder's process is gone: no renewals, no release
    await sleep(900);
    expect(events).toContain('b+');
    expect(events).toContain('a-'); // the cut-off holder notices it lost the lease
    await Promise.all([a.stop(), b.stop()]);
  });

  it('the scheduler runs a task in one process of the cluster at a time', async () => {
    const p = prefix();
    const runs: number[] = [];
    let running = 0;
    let overlap = false;
    const schedulers = [0, 1].map((who) => {
      const s = new LeaseScheduler(new RedisLeaseManager(client(), p));
      s.every('reconcile', 300, async () => {
        if (running++ > 0) overlap = true;
        runs.push(who);
        await sleep(30);
        running--;
      });
      s.start();
      return s;
    });
    await sleep(2_000);
    await Promise.all(schedulers.map((s) => s.stop()));
    expect(overlap).toBe(false);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(9);
  });
});
