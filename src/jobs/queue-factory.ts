import { BullmqQueue } from './bullmq-queue.js';
import { InProcessGroupLock, type GroupLock } from './group-lock.js';
import { InProcessQueue } from './in-process-queue.js';
import type { JobQueue } from './job-queue.js';

export interface JobQueueSettings {
  /** Set → BullMQ on this Redis; unset → the in-process twins. */
  redisUrl?: string;
  /** Redis key prefix (default `shopdesk`). */
  prefix?: string;
  attempts: number;
  backoffMs: number;
  concurrency: number;
}

/**
 * Builds the job queue and the matching group lock. With Redis, a server that is down makes the
 * first `add`/`drain`/`deadLetters` (or `connectJobQueue`) reject with QUEUE_UNAVAILABLE within a
 * few seconds instead of hanging.
 */
export function createJobQueue(opts: JobQueueSettings): { queue: JobQueue; lock: GroupLock } {
  const { attempts, backoffMs, concurrency } = opts;
  if (opts.redisUrl) {
    const queue = new BullmqQueue({ redisUrl: opts.redisUrl, prefix: opts.prefix ?? 'shopdesk', attempts, backoffMs, concurrency });
    return { queue, lock: queue.groupLock() };
  }
  return { queue: new InProcessQueue({ attempts, backoffMs, concurrency }), lock: new InProcessGroupLock() };
}

/** Like createJobQueue, but waits for Redis (if any) so boot fails fast with QUEUE_UNAVAILABLE. */
export async function connectJobQueue(opts: JobQueueSettings): Promise<{ queue: JobQueue; lock: GroupLock }> {
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
