import { describe, expect, it } from 'vitest';
import { InProcessLeaseManager } from './in-process-lease-manager.js';
import { LeaseScheduler } from './lease-scheduler.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('InProcessLeaseManager', () => {
  it('grants a name to one holder at a time, with a larger fence on every grant', async () => {
    const leases = new InProcessLeaseManager();
    const a = await leases.tryAcquire('thread:1', 1_000);
    expect(a).not.toBeNull();
    expect(await leases.tryAcquire('thread:1', 1_000)).toBeNull();
    const other = await leases.tryAcquire('thread:2', 1_000);
    expect(other!.fence).toBeGreaterThan(a!.fence);
    await a!.release();
    const b = await leases.tryAcquire('thread:1', 1_000);
    expect(b!.fence).toBeGreaterThan(other!.fence);
  });

  it('starts fences at the wall clock, so a restarted process never hands out a smaller one', async () => {
    const before = Date.now();
    const lease = await new InProcessLeaseManager().tryAcquire('x', 1_000);
    expect(lease!.fence).toBeGreaterThanOrEqual(before);
  });

  it('lets another holder in once the TTL ran out, and the old holder learns it lost', async () => {
    let now = 1_000;
    const leases = new InProcessLeaseManager(() => now);
    const slow = await leases.tryAcquire('thread:1', 100);
    now += 150;
    expect(slow!.lost).toBe(true);
    const next = await leases.tryAcquire('thread:1', 100);
    expect(next).not.toBeNull();
    expect(await slow!.renew()).toBe(false);
    await slow!.release(); // must not free the new holder's lease
    expect(await leases.tryAcquire('thread:1', 100)).toBeNull();
    expect(next!.fence).toBeGreaterThan(slow!.fence);
  });

  it('hold() takes over when the holder stops, and reports both changes', async () => {
    const leases = new InProcessLeaseManager();
    const events: string[] = [];
    // a TTL long enough that a busy machine's late timers do not expire the holder's lease
    const first = leases.hold('imap', { ttlMs: 900, onAcquired: () => { events.push('a+'); }, onLost: () => { events.push('a-'); } });
    await sleep(50);
    const second = leases.hold('imap', { ttlMs: 900, onAcquired: () => { events.push('b+'); }, onLost: () => { events.push('b-'); } });
    await sleep(700);
    expect(events).toEqual(['a+']);
    await first.stop();
    await sleep(700);
    expect(events).toEqual(['a+', 'a-', 'b+']);
    await second.stop();
    expect(events).toEqual(['a+', 'a-', 'b+', 'b-']);
  });
});

describe('LeaseScheduler', () => {
  it('runs a task in one of several schedulers at a time, about once per interval', async () => {
    const leases = new InProcessLeaseManager();
    const runs: { who: number; fence: number }[] = [];
    let running = 0;
    let overlap = false;
    const schedulers = [0, 1, 2].map((who) => {
      const s = new LeaseScheduler(leases);
      s.every('reconcile', 250, async ({ fence }) => {
        if (running++ > 0) overlap = true;
        runs.push({ who, fence });
        await sleep(20);
        running--;
      });
      s.start();
      return s;
    });
    await sleep(1_600);
    await Promise.all(schedulers.map((s) => s.stop()));
    expect(overlap).toBe(false);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(9);
    const fences = runs.map((r) => r.fence);
    expect([...fences].sort((a, b) => a - b)).toEqual(fences);
  });

  it('keeps running after a failed run and counts the failure', async () => {
    const s = new LeaseScheduler(new InProcessLeaseManager());
    let calls = 0;
    s.every('flaky', 40, async () => {
      calls++;
      if (calls === 1) throw new Error('database away');
    });
    s.start();
    await sleep(250);
    await s.stop();
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(s.failures.get('flaky')).toBe(1);
  });
});
