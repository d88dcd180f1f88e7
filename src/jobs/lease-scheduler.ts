import { logger } from '../shared/logger.js';
import type { LeaseManager, ScheduledTaskContext, Scheduler } from './lease-types.js';
import { withLease } from './lease-holder.js';

const log = logger('jobs.scheduler');

interface Task { name: string; intervalMs: number; run: (c: ScheduledTaskContext) => Promise<void>; timer?: NodeJS.Timeout; running?: Promise<void>; lastRunAt: number }

/**
 * Runs named tasks about every `intervalMs` in one process of the cluster at a time. Every
 * process ticks; a tick runs the task only if the task's lease `schedule:<name>` is free and
 * the cluster has not run it within the interval (the lease key is left to expire after a run,
 * so it doubles as the "ran recently" mark). A process that dies mid-run frees the task after
 * the interval. A failing run is logged and counted; the next interval tries again.
 */
export class LeaseScheduler implements Scheduler {
  private readonly tasks = new Map<string, Task>();
  private started = false;
  private stopped = false;
  /** Failed runs per task, for status pages and tests. */
  readonly failures = new Map<string, number>();

  constructor(private readonly leases: LeaseManager) {}

  every(name: string, intervalMs: number, task: (c: ScheduledTaskContext) => Promise<void>): void {
    if (this.tasks.has(name)) throw new Error(`scheduled task ${name} is already registered`);
    const t: Task = { name, intervalMs, run: task, lastRunAt: 0 };
    this.tasks.set(name, t);
    if (this.started) this.arm(t, true);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const t of this.tasks.values()) this.arm(t, true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.tasks.values()) clearTimeout(t.timer);
    await Promise.allSettled([...this.tasks.values()].map((t) => t.running));
  }

  /** Ticks at a quarter of the interval (jittered), so the cluster runs a task close to its interval. */
  private arm(t: Task, first = false): void {
    if (this.stopped) return;
    const base = first ? Math.min(t.intervalMs / 4, 1_000) : t.intervalMs / 4;
    t.timer = setTimeout(() => {
      t.running = this.tick(t).finally(() => this.arm(t));
    }, Math.round(base * (0.75 + Math.random() / 2)));
    t.timer.unref();
  }

  private async tick(t: Task): Promise<void> {
    if (this.stopped) return;
    let lease;
    try {
      lease = await this.leases.tryAcquire(`schedule:${t.name}`, t.intervalMs);
    } catch (err) {
      log.warn({ task: t.name, err: (err as Error).message }, 'scheduler could not reach its lease store');
      return;
    }
    if (!lease) return;
    // hold it while running (renewed), and leave it to expire one interval after the last renewal
    const held = lease;
    const renew = setInterval(() => void held.renew().catch(() => false), Math.max(Math.floor(t.intervalMs / 3), 10));
    renew.unref();
    try {
      await t.run({ fence: held.fence, now: new Date() });
      t.lastRunAt = Date.now();
    } catch (err) {
      this.failures.set(t.name, (this.failures.get(t.name) ?? 0) + 1);
      log.error({ task: t.name, err: (err as Error).message }, 'scheduled task failed; it runs again next interval');
    } finally {
      clearInterval(renew);
    }
  }
}

export { withLease };
