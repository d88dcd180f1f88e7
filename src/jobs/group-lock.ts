import type { Redis } from 'ioredis';
import { InProcessLeaseManager } from './in-process-lease-manager.js';
import { withLease } from './lease-holder.js';
import type { Lease, LeaseManager } from './lease-types.js';
import { RedisLeaseManager } from './redis-lease-manager.js';

/**
 * A non-reentrant mutual-exclusion lock by key, on top of leases. The engine holds it while it
 * processes the pending messages of one thread from the database in id order, and passes the
 * lease's fence to the commit so storage refuses a holder whose lease ran out; the BullMQ driver
 * uses it to run the jobs of one group one at a time. `acquired: false` means someone else holds
 * the key right now. The lease is renewed every third of `ttlMs` while `fn` runs.
 */
export interface GroupLock {
  withLock<T>(key: string, ttlMs: number, fn: (lease: Lease) => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
}

/** A GroupLock over any lease manager. */
export class LeaseGroupLock implements GroupLock {
  constructor(readonly leases: LeaseManager) {}

  async withLock<T>(key: string, ttlMs: number, fn: (lease: Lease) => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    const r = await withLease(this.leases, `lock:${key}`, ttlMs, fn);
    return r ? { acquired: true, value: r.value } : { acquired: false };
  }
}

/** Lock for a single process: in-process leases (same TTLs and fences as with Redis). */
export class InProcessGroupLock extends LeaseGroupLock {
  constructor(leases: LeaseManager = new InProcessLeaseManager()) {
    super(leases);
  }
}

/** Lock shared by every process on one Redis: Redis leases; a dead holder's key expires after `ttlMs`. */
export class RedisGroupLock extends LeaseGroupLock {
  constructor(redis: Redis, prefix: string) {
    super(new RedisLeaseManager(redis, prefix));
  }
}
