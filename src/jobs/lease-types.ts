/**
 * Leases and scheduled jobs (the contract in the team design, "Leases and scheduled jobs").
 *
 * A lease is a lock with a time limit and a fencing token: whoever holds it must renew it before
 * `ttlMs` runs out, and every grant gets a larger `fence` than any earlier grant of any lease, so
 * storage can refuse the writes of a holder whose lease expired (see Conversation.leaseFence).
 */
export interface Lease {
  readonly name: string;
  /** Increases on every grant, across names, processes and restarts (it never goes backwards). */
  readonly fence: number;
  /** True once a renewal was refused or the lease ran past its TTL without one. */
  readonly lost: boolean;
  /** Extends the lease by its TTL; false (and `lost`) when someone else holds it now. */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

export interface HoldOptions {
  ttlMs: number;
  /** Called each time this process becomes the holder. */
  onAcquired(lease: Lease): void | Promise<void>;
  /** Called when this process stops being the holder (renewal refused, TTL passed, stopped). */
  onLost(): void | Promise<void>;
}

export interface LeaseManager {
  /** The lease if nobody holds `name`, else null. */
  tryAcquire(name: string, ttlMs: number): Promise<Lease | null>;
  /** A long-lived holder: keeps trying to acquire, renews while it holds, calls back on changes. */
  hold(name: string, o: HoldOptions): { stop(): Promise<void> };
}

export interface ScheduledTaskContext {
  /** The fence of the lease the run holds: pass it to storage writes that must not come from a stale run. */
  fence: number;
  now: Date;
}

/** Each named task runs in exactly one process of the cluster at a time, about every `intervalMs`. */
export interface Scheduler {
  every(name: string, intervalMs: number, task: (c: ScheduledTaskContext) => Promise<void>): void;
  start(): void;
  stop(): Promise<void>;
}

/** Renew at a third of the TTL: two renewals may fail before the lease runs out. */
export function renewIntervalMs(ttlMs: number): number {
  return Math.max(Math.floor(ttlMs / 3), 10);
}
