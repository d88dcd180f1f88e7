import type { Crm } from '../../crm/index.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { QUEUE_NAMES } from '../../jobs/queue-names.js';
import { enqueueStaffNotifications, StaffNotifyJob } from '../../jobs/staff-notify-job.js';
import { isAppError } from '../../shared/app-error.js';
import { logger } from '../../shared/logger.js';
import type { StaffNotifierRegistry } from '../notifiers/staff-notifier-registry.js';

const log = logger('desk.outbox');

export interface OutboxRetryPolicy {
  /** First retry delay; doubles per attempt with ±25 % jitter. */
  baseMs: number;
  maxDelayMs: number;
  /** Attempts before a row is set aside as failed (`shopdesk desk outbox --retry-failed` revives it). */
  maxAttempts: number;
  /** How long one delivery may hold a row before another process may try it. */
  leaseMs: number;
}

export const DEFAULT_RETRY: OutboxRetryPolicy = { baseMs: 2_000, maxDelayMs: 5 * 60_000, maxAttempts: 12, leaseMs: 60_000 };

/** Process-wide counts (shown by GET /desk/api/health): the outbox's metric. */
export interface OutboxCounters { delivered: number; failedAttempts: number; givenUp: number; byTarget: Record<string, { delivered: number; failedAttempts: number }> }

export function retryDelayMs(policy: OutboxRetryPolicy, attempt: number, random = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.75 + random() / 2));
}

/**
 * Delivers staff outbox rows (design.md, contract 7). One job per row, carrying only its id. A
 * delivery first leases the row (so a re-queued copy cannot post it twice at once), hands it to its
 * target's notifier, then stores the platform's id and `sent` in one update. A failure is counted
 * on the row and retried after a backoff by a delayed job; at start-up and periodically, pending
 * rows whose time has come are queued again, so nothing is lost across crashes.
 */
export class StaffOutboxDispatcher {
  readonly counters: OutboxCounters = { delivered: 0, failedAttempts: 0, givenUp: 0, byTarget: {} };
  private readonly bootTag = `r${Date.now().toString(36)}`;
  private sweeps = 0;

  constructor(private readonly deps: { crm: Crm; queue: JobQueue; registry: StaffNotifierRegistry; retry?: Partial<OutboxRetryPolicy>; now?: () => Date }) {}

  private get policy(): OutboxRetryPolicy {
    return { ...DEFAULT_RETRY, ...this.deps.retry };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  start(opts: { concurrency?: number } = {}): void {
    this.deps.queue.process(QUEUE_NAMES.staffNotify, async (job) => {
      await this.deliverOne(StaffNotifyJob.parse(job.data).notificationId);
    }, opts);
  }

  private count(target: string, field: 'delivered' | 'failedAttempts'): void {
    this.counters[field] += 1;
    const t = (this.counters.byTarget[target] ??= { delivered: 0, failedAttempts: 0 });
    t[field] += 1;
  }

  /** One attempt at one row. Never throws for a notifier failure: the row keeps the retry schedule. */
  async deliverOne(id: number): Promise<'sent' | 'skipped' | 'retry' | 'failed'> {
    const now = this.now();
    if (!(await this.deps.crm.outbox.lease(id, now, this.policy.leaseMs))) return 'skipped';
    const row = await this.deps.crm.outbox.pending(id);
    if (!row) return 'skipped';
    const notifier = this.deps.registry.get(row.target);
    try {
      if (!notifier) throw new Error(`no notifier "${row.target}" is configured in this process`);
      const r = await notifier.deliver(row);
      await this.deps.crm.outbox.markSent(id, r.platformRef, this.now());
      this.count(row.target, 'delivered');
      return 'sent';
    } catch (err) {
      const attempt = row.attempts + 1;
      const retryable = !isAppError(err) || err.retryable;
      const giveUp = !retryable || attempt >= this.policy.maxAttempts;
      const retryAfter = isAppError(err) && typeof err.details?.retryAfterMs === 'number' ? err.details.retryAfterMs : undefined;
      const delay = retryAfter ?? retryDelayMs(this.policy, attempt);
      const message = (err as Error).message;
      await this.deps.crm.outbox.recordFailure(id, { error: message, nextAttemptAt: new Date(this.now().getTime() + delay), giveUp });
      this.count(row.target, 'failedAttempts');
      if (giveUp) {
        this.counters.givenUp += 1;
        log.error({ notificationId: id, target: row.target, kind: row.kind, attempt, code: isAppError(err) ? err.code : undefined }, 'staff notification failed for good; `shopdesk desk outbox --retry-failed` tries again');
        return 'failed';
      }
      log.warn({ notificationId: id, target: row.target, kind: row.kind, attempt, retryInMs: delay, code: isAppError(err) ? err.code : undefined }, 'staff notification failed; will retry');
      await enqueueStaffNotifications(this.deps.queue, [id], { tag: `-a${attempt}`, delayMs: delay });
      return 'retry';
    }
  }

  /**
   * Queues pending rows again: at start-up (everything pending, each when its time comes — a row
   * leased by a process that died becomes due when the lease ends) and from the periodic sweep
   * (rows due now whose job was lost). Idempotent: delivery takes a row only while it is due.
   */
  async recover(opts: { startup?: boolean } = {}): Promise<number> {
    const now = this.now();
    const horizon = opts.startup ? new Date(now.getTime() + 86_400_000) : now;
    const rows = await this.deps.crm.outbox.due(horizon, 1000);
    const tag = `-${this.bootTag}-${opts.startup ? 's' : `p${++this.sweeps}`}`;
    for (const r of rows) {
      await enqueueStaffNotifications(this.deps.queue, [r.id], { tag, delayMs: Math.max(0, r.nextAttemptAt.getTime() - now.getTime()) });
    }
    return rows.length;
  }
}
