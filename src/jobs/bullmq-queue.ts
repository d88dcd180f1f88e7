import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { AppError } from '../shared/app-error.js';
import { logger, redactUrl } from '../shared/logger.js';
import { LeaseGroupLock } from './group-lock.js';
import { RedisLeaseManager } from './redis-lease-manager.js';
import type { DeadLetter, JobHandler, JobOptions, JobQueue } from './job-queue.js';
import { formatJobError, isRetryableJobError, BACKOFF_JITTER } from './job-outcome.js';
import { ALL_QUEUE_NAMES, type QueueName } from './queue-names.js';
import { RedisGroupOrder } from './redis-group-order.js';

export type { GroupLock } from './group-lock.js';
export { RedisGroupLock, InProcessGroupLock } from './group-lock.js';

const log = logger('jobs.bullmq');

/**
 * How long a dead worker can block what it held: a group's lock, and the BullMQ lock of its
 * active job (after which the stalled-job check hands the job to another worker). Both are
 * renewed while the job runs, so a slow job keeps them. Short, so customers of a killed worker
 * wait seconds, not a minute.
 */
export const DEFAULT_LOCK_TTL_MS = 5_000;
/** A job whose group is busy goes back to delayed for this long per job ahead of it (jittered, capped). */
const GROUP_RETRY_MS = 25;

export interface BullmqQueueOptions {
  redisUrl: string;
  /** Key prefix for everything this queue stores in Redis. */
  prefix: string;
  attempts: number;
  backoffMs: number;
  /** Default per-queue concurrency of this process's workers. */
  concurrency: number;
  /** How long to wait for Redis before failing with QUEUE_UNAVAILABLE. */
  connectTimeoutMs?: number;
  /** TTL of group locks and of BullMQ job locks (default DEFAULT_LOCK_TTL_MS). */
  lockTtlMs?: number;
}

/** What is stored as BullMQ job data: the caller's data plus what the driver needs. */
interface Envelope {
  id: string;
  data: unknown;
  group?: string;
  /** Earliest start (epoch ms); a busy-group job must not be promoted before it. */
  notBefore?: number;
}

/**
 * BullMQ ids may not contain ':' nor be integers; this keeps every id valid and distinct.
 * The caller's id travels in the envelope, so nothing needs decoding.
 */
export function toBullmqJobId(jobId: string): string {
  return `j-${jobId.replaceAll('%', '%25').replaceAll(':', '%3A')}`;
}

/**
 * The BullMQ 5 driver. Several processes may consume the same queues: dedupe uses BullMQ job ids,
 * retries use `attempts` + exponential backoff, the dead-letter list is BullMQ's failed set, and
 * per-group FIFO comes from a Redis group lock plus a per-group order list (see RedisGroupOrder).
 */
export class BullmqQueue implements JobQueue {
  readonly driver = 'bullmq' as const;
  private readonly conn: Redis;
  private readonly workerConn: Redis;
  private readonly queues = new Map<QueueName, Queue<Envelope>>();
  private readonly workers: Worker[] = [];
  private readonly starting: Promise<void>[] = [];
  private readonly leases: RedisLeaseManager;
  private readonly lock: LeaseGroupLock;
  private readonly order: RedisGroupOrder;
  private ready?: Promise<void>;
  private lastConnectError = '';
  private closed = false;

  constructor(private readonly opts: BullmqQueueOptions) {
    const retryStrategy = (times: number): number => Math.min(times * 200, 2_000);
    // Producer commands fail after a few retries instead of hanging while Redis is away.
    this.conn = new Redis(opts.redisUrl, { maxRetriesPerRequest: 3, connectTimeout: 3_000, retryStrategy });
    // Workers block on Redis and must retry forever (BullMQ requires maxRetriesPerRequest: null).
    this.workerConn = new Redis(opts.redisUrl, { maxRetriesPerRequest: null, connectTimeout: 3_000, retryStrategy });
    for (const c of [this.conn, this.workerConn]) {
      c.on('error', (err: Error) => {
        if (err.message !== this.lastConnectError) log.warn({ err: err.message }, 'redis connection error');
        this.lastConnectError = err.message;
      });
    }
    this.leases = new RedisLeaseManager(this.conn, opts.prefix);
    this.lock = new LeaseGroupLock(this.leases);
    this.order = new RedisGroupOrder(this.conn, opts.prefix);
  }

  /** Resolves once Redis answers; rejects with QUEUE_UNAVAILABLE after `connectTimeoutMs`. */
  connect(): Promise<void> {
    this.ready ??= this.waitForRedis().catch((err: unknown) => {
      this.ready = undefined; // the next call tries again; ioredis keeps reconnecting meanwhile
      throw err;
    });
    return this.ready;
  }

  /** The Redis lock the driver itself uses, for the engine's per-thread locking. */
  groupLock(): LeaseGroupLock {
    return this.lock;
  }

  /** Redis leases on the queue's connection (scheduler, channel clients held by one process). */
  leaseManager(): RedisLeaseManager {
    return this.leases;
  }

  private get lockTtlMs(): number {
    return this.opts.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  }

  async add<T>(queue: QueueName, data: T, opts: JobOptions): Promise<void> {
    if (this.closed) throw new AppError('QUEUE_UNAVAILABLE', `queue ${queue} is closed`);
    await this.connect();
    const delay = opts.delayMs ?? 0;
    const envelope: Envelope = { id: opts.jobId, data, group: opts.groupKey, notBefore: delay > 0 ? Date.now() + delay : undefined };
    const bullId = toBullmqJobId(opts.jobId);
    await this.queue(queue).add(queue, envelope, { jobId: bullId, delay });
    if (opts.groupKey !== undefined) await this.order.append(queue, opts.groupKey, bullId);
  }

  process<T>(queue: QueueName, handler: JobHandler<T>, opts: { concurrency?: number } = {}): void {
    const started = this.connect().then(() => {
      if (this.closed) return;
      const worker = new Worker<Envelope>(queue, (job, token) => this.runJob(queue, job, token, handler as JobHandler<unknown>), {
        connection: this.workerConn,
        prefix: this.opts.prefix,
        concurrency: opts.concurrency ?? this.opts.concurrency,
        // a killed worker's job is handed on after about lockDuration + stalledInterval; the
        // handlers are idempotent, so a job may stall (a long pause) several times harmlessly
        lockDuration: this.lockTtlMs,
        stalledInterval: Math.max(Math.floor(this.lockTtlMs / 2), 500),
        maxStalledCount: 10,
      });
      worker.on('error', (err) => log.warn({ queue, err: err.message }, 'worker error'));
      worker.on('failed', (job, err) => {
        if (job && err.name !== 'DelayedError') log.debug({ queue, jobId: job.data.id, attempt: job.attemptsMade }, 'job attempt failed');
      });
      this.workers.push(worker);
    });
    // process() cannot return the failure; drain() and close() report it.
    started.catch((err: unknown) => log.error({ queue, err: formatJobError(err) }, 'could not start worker'));
    this.starting.push(started);
  }

  async deadLetters(queue: QueueName): Promise<DeadLetter[]> {
    await this.connect();
    const failed = await this.queue(queue).getFailed(0, -1);
    return failed.map((job) => ({ id: job.data.id, data: job.data.data, error: job.failedReason, attempts: job.attemptsMade }));
  }

  async drain(timeoutMs = 30_000): Promise<void> {
    await Promise.all(this.starting);
    await this.connect();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await Promise.all(
        ALL_QUEUE_NAMES.map((name) => this.queue(name).getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'waiting-children', 'paused')),
      );
      const open = counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
      if (open === 0) return;
      if (Date.now() > deadline) throw new AppError('INTERNAL', `BullMQ queues did not drain within ${timeoutMs} ms`, { details: { open } });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.starting);
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.conn.disconnect();
    this.workerConn.disconnect();
  }

  private queue(name: QueueName): Queue<Envelope> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<Envelope>(name, {
        connection: this.conn,
        prefix: this.opts.prefix,
        defaultJobOptions: {
          attempts: this.opts.attempts,
          backoff: { type: 'exponential', delay: this.opts.backoffMs, jitter: BACKOFF_JITTER },
          removeOnComplete: { age: 3600, count: 10_000 },
          removeOnFail: false, // the failed set is the dead-letter list
        },
      });
      queue.on('error', (err) => log.warn({ queue: name, err: err.message }, 'queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  private async runJob(queue: QueueName, job: Job<Envelope>, token: string | undefined, handler: JobHandler<unknown>): Promise<void> {
    const group = job.data.group;
    const jobId = job.id as string;
    const run = (): Promise<void> => this.callHandler(queue, job, handler);
    if (group === undefined) return run();

    const position = await this.order.position(queue, group, jobId, (id) => this.queue(queue).getJobState(id));
    if (position === 0) {
      // Only the head gets here; the lock guards against a second copy of it (a stalled job re-run).
      const outcome = await this.lock.withLock(`queue-group:${queue}:${group}`, this.lockTtlMs, async () => {
        let final = true;
        try {
          await run();
        } catch (err) {
          final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          throw err;
        } finally {
          // A job that will retry stays at the head so later jobs of the group wait for it.
          if (final) await this.wakeNext(queue, await this.order.pop(queue, group, jobId));
        }
      });
      if (outcome.acquired) return;
    }
    // Not our turn: back to delayed without spending an attempt. Jobs far back wait longer; the
    // next one in line is usually promoted by wakeNext as soon as its predecessor finishes.
    const waitMs = GROUP_RETRY_MS * Math.min(Math.max(position, 1), 40) * (1 + Math.random());
    await job.moveToDelayed(Date.now() + Math.round(waitMs), token);
    throw new DelayedError();
  }

  private async callHandler(queue: QueueName, job: Job<Envelope>, handler: JobHandler<unknown>): Promise<void> {
    try {
      await handler({ id: job.data.id, name: queue, data: job.data.data, attempt: job.attemptsMade + 1 });
    } catch (err) {
      const text = formatJobError(err);
      if (!isRetryableJobError(err)) throw new UnrecoverableError(text);
      throw new Error(text, { cause: err });
    }
  }

  /**
   * Starts the group's next job now instead of after its busy-group delay. Only a shortcut: if it
   * fails, the job still starts on its own when its busy-group delay ends.
   */
  private async wakeNext(queue: QueueName, nextId: string | null): Promise<void> {
    if (nextId === null) return;
    try {
      const next = await this.queue(queue).getJob(nextId);
      if (!next || (next.data.notBefore ?? 0) > Date.now()) return;
      if ((await next.getState()) === 'delayed') await next.promote();
    } catch (err) {
      // Most often another worker promoted it in between, which is the outcome we wanted.
      log.debug({ queue, err: formatJobError(err) }, 'could not promote next job of group');
    }
  }

  private async waitForRedis(): Promise<void> {
    if (this.conn.status === 'ready') return;
    const timeoutMs = this.opts.connectTimeoutMs ?? 3_000;
    await new Promise<void>((resolve, reject) => {
      let errors = 0;
      const finish = (err?: AppError): void => {
        clearTimeout(timer);
        this.conn.off('ready', onReady);
        this.conn.off('error', onError);
        if (err) reject(err);
        else resolve();
      };
      const unavailable = (): AppError => {
        const why = this.lastConnectError ? `: ${this.lastConnectError}` : '';
        return new AppError('QUEUE_UNAVAILABLE', `Redis at REDIS_URL=${redactUrl(this.opts.redisUrl)} is unreachable${why}`, { retryable: true });
      };
      const onReady = (): void => finish();
      // Three refused connections in a row (about 0.6 s) are as conclusive as the full timeout.
      const onError = (): void => {
        if (++errors >= 3) finish(unavailable());
      };
      const timer = setTimeout(() => finish(unavailable()), timeoutMs);
      this.conn.on('ready', onReady);
      this.conn.on('error', onError);
    });
  }
}
