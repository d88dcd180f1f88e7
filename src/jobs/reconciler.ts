import { logger } from '../shared/logger.js';
import type { Scheduler } from './lease-types.js';

const log = logger('jobs.reconciler');

/**
 * Something that keeps work in the database and jobs in the queue, and can re-queue the work
 * whose job was lost (Redis lost its data, a job ran out of retries, a process died with its
 * in-process queue). `recover` must claim what it re-queues (see message-store's claims), so it
 * is safe to run in several processes; it returns how many items it re-queued.
 */
export interface Recoverable {
  readonly name: string;
  recover(c: { now: Date; staleMs: number; fence: number }): Promise<number>;
}

export interface ReconcilerOptions {
  /** How often the cluster reconciles (one process at a time, under the scheduler's lease). */
  intervalMs: number;
  /** Work older than this, not re-queued within this long, counts as lost by its queue. */
  staleMs: number;
}

/**
 * The periodic reconciler: every `intervalMs`, in one process of the cluster, asks each
 * registered recoverable (the engine's inbox and outbox; the desk's notification outbox) to
 * re-queue its stale work. A recoverable that fails does not stop the others.
 */
export class Reconciler {
  static readonly TASK = 'reconcile';
  private readonly recoverables: Recoverable[] = [];
  /** Items re-queued per recoverable since start (for logs, tests and the fault suite). */
  readonly requeued = new Map<string, number>();

  constructor(private readonly scheduler: Scheduler, private readonly opts: ReconcilerOptions) {
    scheduler.every(Reconciler.TASK, opts.intervalMs, async (c) => { await this.runOnce(c); });
  }

  register(r: Recoverable): void {
    this.recoverables.push(r);
  }

  async runOnce(c: { fence: number; now: Date }): Promise<number> {
    let total = 0;
    const failed: string[] = [];
    for (const r of this.recoverables) {
      try {
        const n = await r.recover({ now: c.now, staleMs: this.opts.staleMs, fence: c.fence });
        total += n;
        if (n > 0) this.requeued.set(r.name, (this.requeued.get(r.name) ?? 0) + n);
      } catch (err) {
        failed.push(r.name);
        log.warn({ recoverable: r.name, err: (err as Error).message.slice(0, 300) }, 'reconcile failed; next interval tries again');
      }
    }
    if (total > 0) log.info({ requeued: total }, 're-queued stale work');
    // the scheduler counts a failed run; the others' work above is done either way
    if (failed.length) throw new Error(`reconcile failed for ${failed.join(', ')}`);
    return total;
  }
}
