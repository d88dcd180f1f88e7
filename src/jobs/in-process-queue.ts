import { AppError } from '../shared/app-error.js';
import { logger } from '../shared/logger.js';
import type { DeadLetter, JobHandler, JobOptions, JobQueue } from './job-queue.js';
import {
  COMPLETED_DEDUPE_COUNT,
  COMPLETED_DEDUPE_MS,
  backoffDelayMs,
  formatJobError,
  isRetryableJobError,
} from './job-outcome.js';
import type { QueueName } from './queue-names.js';

const log = logger('jobs.in-process');

export interface InProcessQueueOptions {
  attempts: number;
  backoffMs: number;
  /** Default per-queue concurrency for `process()`. */
  concurrency: number;
  /** How long a completed job id still deduplicates re-adds. */
  completedDedupeMs?: number;
}

interface Entry {
  id: string;
  data: unknown;
  group?: string;
  /** Earliest start: the requested delay, or the next retry after a backoff. */
  readyAt: number;
  attempts: number;
  running: boolean;
}

interface QueueState {
  name: QueueName;
  /** Every job not finished yet, in the order added; running entries stay in place. */
  pending: Entry[];
  byId: Map<string, Entry>;
  /** Per group, its unfinished entries in order; only the head may run. */
  groups: Map<string, Entry[]>;
  /** Completed job id → time its dedupe window ends (insertion-ordered, so the oldest come first). */
  completed: Map<string, number>;
  deadLetters: DeadLetter[];
  deadIds: Set<string>;
  handler?: JobHandler<unknown>;
  concurrency: number;
  active: number;
  timer?: NodeJS.Timeout;
  timerAt: number;
}

/**
 * The in-process twin of the BullMQ driver with the same semantics: jobId dedupe, per-group FIFO,
 * per-queue concurrency, exponential backoff with jitter, a dead-letter list and `drain()`.
 *
 * Jobs live in memory only. That is safe because the database is the source of truth: at startup the
 * engine re-enqueues every message it has not processed, so a restart loses no work.
 */
export class InProcessQueue implements JobQueue {
  readonly driver = 'in-process' as const;
  private readonly queues = new Map<QueueName, QueueState>();
  private readonly idleWaiters = new Set<() => void>();
  private closing = false;

  constructor(private readonly opts: InProcessQueueOptions) {}

  async add<T>(queue: QueueName, data: T, opts: JobOptions): Promise<void> {
    if (this.closing) throw new AppError('QUEUE_UNAVAILABLE', `queue ${queue} is closed`);
    const state = this.state(queue);
    const now = Date.now();
    if (state.byId.has(opts.jobId) || state.deadIds.has(opts.jobId) || (state.completed.get(opts.jobId) ?? 0) > now) {
      log.debug({ queue, jobId: opts.jobId }, 'duplicate job ignored');
      return;
    }
    const entry: Entry = { id: opts.jobId, data, group: opts.groupKey, readyAt: now + (opts.delayMs ?? 0), attempts: 0, running: false };
    state.pending.push(entry);
    state.byId.set(entry.id, entry);
    if (entry.group !== undefined) {
      const members = state.groups.get(entry.group);
      if (members) members.push(entry);
      else state.groups.set(entry.group, [entry]);
    }
    this.pump(state);
  }

  process<T>(queue: QueueName, handler: JobHandler<T>, opts: { concurrency?: number } = {}): void {
    const state = this.state(queue);
    if (state.handler) throw new AppError('CONFLICT', `queue ${queue} already has a handler`);
    state.handler = handler as JobHandler<unknown>;
    state.concurrency = opts.concurrency ?? this.opts.concurrency;
    this.pump(state);
  }

  async deadLetters(queue: QueueName): Promise<DeadLetter[]> {
    return [...this.state(queue).deadLetters];
  }

  async drain(timeoutMs = 30_000): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.idleWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.idleWaiters.delete(done);
        reject(new AppError('INTERNAL', `in-process queue did not drain within ${timeoutMs} ms`, { details: this.counts() }));
      }, timeoutMs);
      this.idleWaiters.add(done);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const state of this.queues.values()) {
      clearTimeout(state.timer);
      state.timer = undefined;
    }
    // Let running handlers finish, as BullMQ's Worker.close() does.
    while ([...this.queues.values()].some((s) => s.active > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private state(queue: QueueName): QueueState {
    let state = this.queues.get(queue);
    if (!state) {
      state = {
        name: queue, pending: [], byId: new Map(), groups: new Map(), completed: new Map(),
        deadLetters: [], deadIds: new Set(), concurrency: this.opts.concurrency, active: 0, timerAt: Infinity,
      };
      this.queues.set(queue, state);
    }
    return state;
  }

  /** Starts every job that may run now, then arms a timer for the earliest delayed one. */
  private pump(state: QueueState): void {
    if (!state.handler || this.closing) return;
    const now = Date.now();
    let nextAt = Infinity;
    for (const entry of state.pending) {
      if (state.active >= state.concurrency) break;
      if (entry.running) continue;
      if (entry.group !== undefined && state.groups.get(entry.group)?.[0] !== entry) continue;
      if (entry.readyAt > now) {
        nextAt = Math.min(nextAt, entry.readyAt);
        continue;
      }
      this.start(state, entry);
    }
    if (nextAt < state.timerAt) {
      clearTimeout(state.timer);
      state.timerAt = nextAt;
      state.timer = setTimeout(() => {
        state.timer = undefined;
        state.timerAt = Infinity;
        this.pump(state);
      }, nextAt - now);
    }
  }

  private start(state: QueueState, entry: Entry): void {
    entry.running = true;
    entry.attempts += 1;
    state.active += 1;
    void this.run(state, entry);
  }

  private async run(state: QueueState, entry: Entry): Promise<void> {
    const handler = state.handler as JobHandler<unknown>;
    try {
      await handler({ id: entry.id, name: state.name, data: entry.data, attempt: entry.attempts });
      this.finish(state, entry);
      this.rememberCompleted(state, entry.id);
    } catch (err) {
      const error = formatJobError(err);
      if (!isRetryableJobError(err) || entry.attempts >= this.opts.attempts) {
        this.finish(state, entry);
        state.deadLetters.push({ id: entry.id, data: entry.data, error, attempts: entry.attempts });
        state.deadIds.add(entry.id);
        log.warn({ queue: state.name, jobId: entry.id, attempts: entry.attempts, error }, 'job moved to dead-letter list');
      } else {
        // The entry keeps its place (and its group's head), so later jobs of the group wait for it.
        entry.running = false;
        entry.readyAt = Date.now() + backoffDelayMs(this.opts.backoffMs, entry.attempts);
        log.debug({ queue: state.name, jobId: entry.id, attempt: entry.attempts }, 'job failed, will retry');
      }
    } finally {
      state.active -= 1;
      this.pump(state);
      if (this.isIdle()) for (const resolve of [...this.idleWaiters]) resolve();
    }
  }

  private finish(state: QueueState, entry: Entry): void {
    state.pending.splice(state.pending.indexOf(entry), 1);
    state.byId.delete(entry.id);
    if (entry.group !== undefined) {
      const members = state.groups.get(entry.group);
      members?.shift();
      if (members?.length === 0) state.groups.delete(entry.group);
    }
  }

  private rememberCompleted(state: QueueState, id: string): void {
    const now = Date.now();
    state.completed.delete(id);
    state.completed.set(id, now + (this.opts.completedDedupeMs ?? COMPLETED_DEDUPE_MS));
    for (const [oldId, until] of state.completed) {
      if (until > now && state.completed.size <= COMPLETED_DEDUPE_COUNT) break;
      state.completed.delete(oldId);
    }
  }

  private isIdle(): boolean {
    return [...this.queues.values()].every((s) => s.pending.length === 0 && s.active === 0);
  }

  private counts(): Record<string, number> {
    return Object.fromEntries([...this.queues.values()].map((s) => [s.name, s.pending.length]));
  }
}
