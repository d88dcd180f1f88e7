import { logger } from '../shared/logger.js';
import { renewIntervalMs, type HoldOptions, type Lease, type LeaseManager } from './lease-types.js';

const log = logger('jobs.lease');

/**
 * `LeaseManager.hold` for any manager: tries to acquire every third of the TTL, renews while it
 * holds, and reports each change once. A renewal that fails (refused, or Redis unreachable until
 * the TTL passed) ends the holding; the loop then tries to acquire again.
 */
export function holdLease(manager: LeaseManager, name: string, o: HoldOptions): { stop(): Promise<void> } {
  let lease: Lease | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const every = renewIntervalMs(o.ttlMs);

  const lose = async (): Promise<void> => {
    lease = null;
    try {
      await o.onLost();
    } catch (err) {
      log.error({ lease: name, err: (err as Error).message }, 'onLost failed');
    }
  };

  const tick = async (): Promise<void> => {
    if (stopped) return;
    try {
      if (lease) {
        const kept = await lease.renew().catch(() => !lease?.lost);
        if (!kept || lease.lost) await lose();
      }
      if (!lease && !stopped) {
        lease = await manager.tryAcquire(name, o.ttlMs);
        if (lease) await o.onAcquired(lease);
      }
    } catch (err) {
      // Redis away or onAcquired failed: give the lease up so another process may take over
      log.warn({ lease: name, err: (err as Error).message }, 'lease holder tick failed');
      if (lease) {
        await lease.release().catch(() => undefined);
        await lose();
      }
    }
  };

  const loop = (): void => {
    running = tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, every);
    });
  };
  loop();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      if (lease) {
        const held = lease;
        await held.release().catch(() => undefined);
        await lose();
      }
    },
  };
}

/**
 * Runs `fn` while holding `name`, renewing it every third of the TTL; null when someone else
 * holds it. The lease is released afterwards, also when `fn` throws.
 */
export async function withLease<T>(manager: LeaseManager, name: string, ttlMs: number, fn: (lease: Lease) => Promise<T>): Promise<{ value: T } | null> {
  const lease = await manager.tryAcquire(name, ttlMs);
  if (!lease) return null;
  const timer = setInterval(() => {
    lease.renew().then(
      (kept) => { if (!kept) log.warn({ lease: name }, 'lease lost while its holder was still running'); },
      (err: unknown) => log.warn({ lease: name, err: (err as Error).message }, 'could not renew lease'),
    );
  }, renewIntervalMs(ttlMs));
  timer.unref();
  try {
    return { value: await fn(lease) };
  } finally {
    clearInterval(timer);
    // the TTL frees it anyway; failing finished work for this would be worse
    await lease.release().catch((err: unknown) => log.warn({ lease: name, err: (err as Error).message }, 'could not release lease; it will expire'));
  }
}
