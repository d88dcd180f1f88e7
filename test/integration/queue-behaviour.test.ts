import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/app-error.js';
import type { JobQueue } from '../../src/jobs/job-queue.js';
import { QUEUE_NAMES } from '../../src/jobs/queue-names.js';
import { createJobQueue } from '../../src/jobs/queue-factory.js';
import { deleteRedisPrefix, newRedisTestPrefix, TEST_REDIS_URL } from '../factories/redis-test-prefix.js';

const REDIS_URL = TEST_REDIS_URL;
const ATTEMPTS = 3;
const BACKOFF_MS = 20;

interface Driver {
  name: 'in-process' | 'bullmq';
  make(): { queue: JobQueue; cleanup: () => Promise<void> };
}


const drivers: Driver[] = [
  {
    name: 'in-process',
    make() {
      const { queue } = createJobQueue({ attempts: ATTEMPTS, backoffMs: BACKOFF_MS, concurrency: 4 });
      return { queue, cleanup: () => queue.close() };
    },
  },
  {
    name: 'bullmq',
    make() {
      const prefix = newRedisTestPrefix();
      const { queue } = createJobQueue({ redisUrl: REDIS_URL, prefix, attempts: ATTEMPTS, backoffMs: BACKOFF_MS, concurrency: 4 });
      return { queue, cleanup: async () => { await queue.close(); await deleteRedisPrefix(prefix); } };
    },
  },
];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(drivers)('job queue ($name driver)', (driver) => {
  let cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(cleanups.map((c) => c()));
    cleanups = [];
  });
  function open(): JobQueue {
    const { queue, cleanup } = driver.make();
    cleanups.push(cleanup);
    return queue;
  }

  it('reports which driver it is', () => {
    expect(open().driver).toBe(driver.name);
  });

  it('runs a job once however often the same jobId is added, even after it completed', async () => {
    const queue = open();
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) await queue.add(QUEUE_NAMES.inbound, { n: i }, { jobId: 'wechat:msg:42' });
    queue.process<{ n: number }>(QUEUE_NAMES.inbound, async (job) => { seen.push(`${job.id}/${job.data.n}`); });
    await queue.drain(10_000);
    await queue.add(QUEUE_NAMES.inbound, { n: 9 }, { jobId: 'wechat:msg:42' });
    await queue.drain(10_000);
    expect(seen).toEqual(['wechat:msg:42/0']);
  });

  it('keeps the order of each group with concurrency above one and handlers of random duration', async () => {
    const queue = open();
    const groups = ['thread-a', 'thread-b', 'thread-c'];
    const ran = new Map<string, number[]>(groups.map((g) => [g, []]));
    const running = new Set<string>();
    let overlaps = 0;
    queue.process<{ group: string; seq: number }>(QUEUE_NAMES.inbound, async ({ data }) => {
      if (running.has(data.group)) overlaps++;
      running.add(data.group);
      await sleep(Math.random() * 12);
      ran.get(data.group)?.push(data.seq);
      running.delete(data.group);
    }, { concurrency: 4 });
    for (let seq = 0; seq < 8; seq++) {
      for (const group of groups) await queue.add(QUEUE_NAMES.inbound, { group, seq }, { jobId: `${group}-${seq}`, groupKey: group });
    }
    await queue.drain(20_000);
    expect(overlaps).toBe(0);
    for (const group of groups) expect(ran.get(group)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('runs jobs of different groups in parallel', async () => {
    const queue = open();
    // The job of group A can finish only once the job of group B has started: serial execution would time out.
    let bStarted!: () => void;
    const bHasStarted = new Promise<void>((resolve) => { bStarted = resolve; });
    const finished: string[] = [];
    queue.process<{ group: string }>(QUEUE_NAMES.outbound, async ({ data }) => {
      if (data.group === 'b') bStarted();
      else await Promise.race([bHasStarted, sleep(3_000).then(() => { throw new AppError('INTERNAL', 'ran serially'); })]);
      finished.push(data.group);
    }, { concurrency: 2 });
    await queue.add(QUEUE_NAMES.outbound, { group: 'a' }, { jobId: 'a1', groupKey: 'a' });
    await queue.add(QUEUE_NAMES.outbound, { group: 'b' }, { jobId: 'b1', groupKey: 'b' });
    await queue.drain(10_000);
    expect(finished.sort()).toEqual(['a', 'b']);
    expect(await queue.deadLetters(QUEUE_NAMES.outbound)).toEqual([]);
  });

  it('retries a failing job with growing backoff until it succeeds', async () => {
    const queue = open();
    const attempts: { attempt: number; at: number }[] = [];
    queue.process(QUEUE_NAMES.outbound, async (job) => {
      attempts.push({ attempt: job.attempt, at: Date.now() });
      if (job.attempt < 3) throw new AppError('CHANNEL_SEND_FAILED', 'platform timeout', { retryable: true });
    });
    await queue.add(QUEUE_NAMES.outbound, { text: 'hi' }, { jobId: 'send-1' });
    await queue.drain(10_000);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // Jitter keeps at least half of each delay: >= 10 ms, then >= 20 ms.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(BACKOFF_MS / 2 - 2);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(BACKOFF_MS - 2);
    expect(await queue.deadLetters(QUEUE_NAMES.outbound)).toEqual([]);
  });

  it('keeps later jobs of a group waiting while an earlier one waits for its retry', async () => {
    const queue = open();
    const ran: string[] = [];
    queue.process<{ n: number }>(QUEUE_NAMES.inbound, async (job) => {
      ran.push(`${job.data.n}#${job.attempt}`);
      if (job.data.n === 1 && job.attempt === 1) throw new Error('flaky');
    }, { concurrency: 4 });
    for (const n of [1, 2, 3]) await queue.add(QUEUE_NAMES.inbound, { n }, { jobId: `m${n}`, groupKey: 'thread-9' });
    await queue.drain(10_000);
    expect(ran).toEqual(['1#1', '1#2', '2#1', '3#1']);
  });

  it('moves a job to the dead-letter list with its error after the last attempt', async () => {
    const queue = open();
    let runs = 0;
    queue.process(QUEUE_NAMES.maintenance, async () => {
      runs++;
      throw new Error('disk full on attempt');
    });
    await queue.add(QUEUE_NAMES.maintenance, { task: 'export' }, { jobId: 'export:7' });
    await queue.drain(10_000);
    expect(runs).toBe(ATTEMPTS);
    expect(await queue.deadLetters(QUEUE_NAMES.maintenance)).toEqual([
      { id: 'export:7', data: { task: 'export' }, error: 'disk full on attempt', attempts: ATTEMPTS },
    ]);
  });

  it('dead-letters a non-retryable AppError at once and moves on to the next job of its group', async () => {
    const queue = open();
    const ran: string[] = [];
    queue.process<{ n: number }>(QUEUE_NAMES.inbound, async (job) => {
      ran.push(job.id);
      if (job.data.n === 1) throw new AppError('VALIDATION_FAILED', 'payload has no thread');
    });
    await queue.add(QUEUE_NAMES.inbound, { n: 1 }, { jobId: 'bad', groupKey: 'g' });
    await queue.add(QUEUE_NAMES.inbound, { n: 2 }, { jobId: 'good', groupKey: 'g' });
    await queue.drain(10_000);
    expect(ran).toEqual(['bad', 'good']);
    expect(await queue.deadLetters(QUEUE_NAMES.inbound)).toEqual([
      { id: 'bad', data: { n: 1 }, error: 'VALIDATION_FAILED: payload has no thread', attempts: 1 },
    ]);
  });

  it('drains only after delayed jobs have run', async () => {
    const queue = open();
    const ran: string[] = [];
    queue.process(QUEUE_NAMES.maintenance, async (job) => { ran.push(job.id); });
    // measured from before the delayed job is added: on a busy machine the adds themselves take time
    const started = Date.now();
    await queue.add(QUEUE_NAMES.maintenance, {}, { jobId: 'later', delayMs: 150 });
    await queue.add(QUEUE_NAMES.maintenance, {}, { jobId: 'now' });
    await queue.drain(10_000);
    expect(ran).toEqual(['now', 'later']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('rejects drain after its timeout when a queue has no consumer', async () => {
    const queue = open();
    await queue.add(QUEUE_NAMES.outbound, {}, { jobId: 'orphan' });
    await expect(queue.drain(200)).rejects.toThrow(/drain/);
  });
});
