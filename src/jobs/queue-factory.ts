import { BullmqQueue } from './bullmq-queue.js';
import { LeaseGroupLock, type GroupLock } from './group-lock.js';
import { InProcessLeaseManager } from './in-process-lease-manager.js';
import { InProcessQueue } from './in-process-queue.js';
import type { JobQueue } from './job-queue.js';
import { LeaseScheduler } from './lease-scheduler.js';
import type { LeaseManager, Scheduler } from './lease-types.js';

export interface JobQueueSettings {
  /** Set → BullMQ on this Redis; unset → the in-process twins. */
  redisUrl?: string;
  /** Redis key prefix (default `shopdesk`). */
  prefix?: string;
  attempts: number;
  backoffMs: number;
  concurrency: number;
  /** TTL of thread/group locks and job locks: how long a killed worker can block a thread. */
  lockTtlMs?: number;
}

export interface JobInfrastructure {
  queue: JobQueue;
  /** Per-thread / per-group locks, fenced (built on `leases`). */
  lock: GroupLock;
  /** Leases shared by the processes on one Redis, or in-process ones. */
  leases: LeaseManager;
  /** Periodic tasks run by one process at a time (started by whoever registers tasks). */
  scheduler: Scheduler;
}

/**
 * Builds the job queue, the leases and the matching group lock and scheduler. With Redis, a
 * server that is down makes the first `add`/`drain`/`deadLetters` (or `connectJobQueue`) reject
 * with QUEUE_UNAVAILABLE within a few seconds instead of hanging.
 */
export function createJobQueue(opts: JobQueueSettings): JobInfrastructure {
  const { attempts, backoffMs, concurrency } = opts;
  if (opts.redisUrl) {
    const queue = new BullmqQueue({ redisUrl: opts.redisUrl, prefix: opts.prefix ?? 'shopdesk', attempts, backoffMs, concurrency, lockTtlMs: opts.lockTtlMs });
    const leases = queue.leaseManager();
    return { queue, lock: queue.groupLock(), leases, scheduler: new LeaseScheduler(leases) };
  }
  const leases = new InProcessLeaseManager();
  return { queue: new InProcessQueue({ attempts, backoffMs, concurrency }), lock: new LeaseGroupLock(leases), leases, scheduler: new LeaseScheduler(leases) };
}

/** Like createJobQueue, but waits for Redis (if any) so boot fails fast with QUEUE_UNAVAILABLE. */
export async function connectJobQueue(opts: JobQueueSettings): Promise<JobInfrastructure> {
  const built = createJobQueue(opts);
  if (built.queue instanceof BullmqQueue) {
    try {
      await built.queue.connect();
    } catch (err) {
      await built.queue.close();
      throw err;
    }
  }
  return built;
}
