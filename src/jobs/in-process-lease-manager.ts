import { randomUUID } from 'node:crypto';
import { holdLease } from './lease-holder.js';
import type { HoldOptions, Lease, LeaseManager } from './lease-types.js';

interface Grant { token: string; expiresAt: number; fence: number }

/**
 * The single-process twin of the Redis lease manager: same TTLs and fences, kept in a map.
 * Fences start at the wall clock in milliseconds, so a restarted process still hands out
 * fences larger than any it gave before (storage compares them across restarts).
 */
export class InProcessLeaseManager implements LeaseManager {
  private readonly grants = new Map<string, Grant>();
  private lastFence = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  async tryAcquire(name: string, ttlMs: number): Promise<Lease | null> {
    const now = this.clock();
    const current = this.grants.get(name);
    if (current && current.expiresAt > now) return null;
    this.lastFence = Math.max(this.lastFence + 1, Date.now());
    const grant: Grant = { token: randomUUID(), expiresAt: now + ttlMs, fence: this.lastFence };
    this.grants.set(name, grant);
    return new InProcessLease(name, grant, ttlMs, this.grants, this.clock);
  }

  hold(name: string, o: HoldOptions): { stop(): Promise<void> } {
    return holdLease(this, name, o);
  }
}

class InProcessLease implements Lease {
  private refused = false;
  readonly fence: number;

  constructor(
    readonly name: string,
    private readonly grant: Grant,
    private readonly ttlMs: number,
    private readonly grants: Map<string, Grant>,
    private readonly clock: () => number,
  ) {
    this.fence = grant.fence;
  }

  get lost(): boolean {
    return this.refused || this.grants.get(this.name) !== this.grant || this.grant.expiresAt <= this.clock();
  }

  async renew(): Promise<boolean> {
    if (this.lost) {
      this.refused = true;
      return false;
    }
    this.grant.expiresAt = this.clock() + this.ttlMs;
    return true;
  }

  async release(): Promise<void> {
    if (this.grants.get(this.name) === this.grant) this.grants.delete(this.name);
    this.refused = true;
  }
}
