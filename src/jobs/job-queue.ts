import type { QueueName } from './queue-names.js';

export type { QueueName } from './queue-names.js';

/** How a job is added. */
export interface JobOptions {
  /** Dedupe key: a job whose id is already waiting, delayed, active, completed recently or dead-lettered is not added twice. */
  jobId: string;
  /** Jobs with the same groupKey run one at a time, in the order added (a job waiting for a retry keeps its group blocked). */
  groupKey?: string;
  /** Earliest start, in milliseconds from now. */
  delayMs?: number;
}

/** One run of a job; `attempt` is 1-based. */
export interface JobRun<T> {
  id: string;
  name: string;
  data: T;
  attempt: number;
}

export type JobHandler<T> = (job: JobRun<T>) => Promise<void>;

/** A job that failed for good, with the text of its last error. */
export interface DeadLetter {
  id: string;
  data: unknown;
  error: string;
  attempts: number;
}

/**
 * The job queue contract. The database is the source of truth for messages (inbox/outbox);
 * jobs are small pointers ("process thread X") and the engine makes their effects idempotent.
 */
export interface JobQueue {
  readonly driver: 'bullmq' | 'in-process';
  add<T>(queue: QueueName, data: T, opts: JobOptions): Promise<void>;
  /**
   * Start consuming a queue. Retries with exponential backoff (base from options) up to `attempts`;
   * after the last failure the job goes to the dead-letter list with its error. An error that is an
   * AppError with retryable=false goes to dead-letter at once.
   */
  process<T>(queue: QueueName, handler: JobHandler<T>, opts?: { concurrency?: number }): void;
  deadLetters(queue: QueueName): Promise<DeadLetter[]>;
  /** Resolves when nothing is waiting, delayed or active (used by tests, the CLI and benchmarks). */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops taking jobs, waits for running handlers, releases connections. */
  close(): Promise<void>;
}
