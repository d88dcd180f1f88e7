import { Redis } from 'ioredis';
import { deleteRedisPrefix, newRedisTestPrefix, TEST_REDIS_URL } from '../factories/redis-test-prefix.js';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/app-error.js';
import { BullmqQueue, RedisGroupLock, toBullmqJobId } from '../../src/jobs/bullmq-queue.js';
import { QUEUE_NAMES } from '../../src/jobs/queue-names.js';
import { connectJobQueue, createJobQueue } from '../../src/jobs/queue-factory.js';

const REDIS_URL = TEST_REDIS_URL;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let cleanups: (() => Promise<void>)[] = [];
// Last registered first, so queues close before their keys are deleted.
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function testPrefix(): string {
  const prefix = newRedisTestPrefix();
  cleanups.push(() => deleteRedisPrefix(prefix));
  return prefix;
}

function redisClient(): Redis {
  const redis = new Redis(REDIS_URL);
  cleanups.push(async () => redis.disconnect());
  return redis;
}

describe('BullMQ driver with two workers on one Redis', () => {
  it('runs each job once and keeps the order of every group', async () => {
    const prefix = testPrefix();
    const workers = [0, 1].map(() => new BullmqQueue({ redisUrl: REDIS_URL, prefix, attempts: 3, backoffMs: 20, concurrency: 3 }));
    cleanups.push(async () => { await Promise.all(workers.map((w) => w.close())); });
    const executions = new Map<string, number>();
    const byWorker = [0, 0];
    const order = new Map<string, number[]>();
    const running = new Set<string>();
    let overlaps = 0;
    workers.forEach((worker, index) => {
      worker.process<{ group: string; seq: number }>(QUEUE_NAMES.inbound, async (job) => {
        const { group, seq } = job.data;
        if (running.has(group)) overlaps++;
        running.add(group);
        executions.set(job.id, (executions.get(job.id) ?? 0) + 1);
        byWorker[index]++;
        await sleep(Math.random() * 10);
        order.set(group, [...(order.get(group) ?? []), seq]);
        running.delete(group);
      });
    });
    const groups = ['t1', 't2', 't3', 't4', 't5'];
    for (let seq = 0; seq < 10; seq++) {
      for (const group of groups) {
        const producer = workers[seq % 2];
        await producer.add(QUEUE_NAMES.inbound, { group, seq }, { jobId: `${group}:${seq}`, groupKey: group });
      }
    }
    await workers[0].drain(30_000);

    expect(executions.size).toBe(50);
    expect([...executions.values()].every((n) => n === 1)).toBe(true);
    expect(overlaps).toBe(0);
    for (const group of groups) expect(order.get(group)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(byWorker[0]).toBeGreaterThan(0);
    expect(byWorker[1]).toBeGreaterThan(0);
  });

  it('turns any job id into a valid, distinct BullMQ id', () => {
    const ids = ['thread:1', 'thread%3A1', '42', '0', 'a:b:c'];
    const bull = ids.map(toBullmqJobId);
    expect(new Set(bull).size).toBe(ids.length);
    for (const id of bull) {
      expect(id).not.toContain(':');
      expect(String(parseInt(id, 10))).not.toBe(id);
    }
  });
});

describe('RedisGroupLock', () => {
  it('lets only one holder in at a time and frees the key afterwards', async () => {
    const lock = new RedisGroupLock(redisClient(), testPrefix());
    let inner: unknown;
    const outer = await lock.withLock('thread:1', 5_000, async () => {
      inner = await lock.withLock('thread:1', 5_000, async () => 'should not run');
      return 'outer ran';
    });
    expect(outer).toEqual({ acquired: true, value: 'outer ran' });
    expect(inner).toEqual({ acquired: false });
    expect(await lock.withLock('thread:1', 5_000, async () => 2)).toEqual({ acquired: true, value: 2 });
  });

  it('keeps the lock past its TTL while the holder is still running', async () => {
    const lock = new RedisGroupLock(redisClient(), testPrefix());
    let during: unknown;
    await lock.withLock('slow', 120, async () => {
      await sleep(400);
      during = await lock.withLock('slow', 120, async () => 'stolen');
    });
    expect(during).toEqual({ acquired: false });
  });

  it('does not release a lock that expired and was taken by someone else', async () => {
    const redis = redisClient();
    const prefix = testPrefix();
    const lock = new RedisGroupLock(redis, prefix);
    await lock.withLock('k', 5_000, async () => {
      await redis.del(`${prefix}:lease:lock:k`); // simulate expiry
      await redis.set(`${prefix}:lease:lock:k`, 'someone-else', 'PX', 5_000);
    });
    expect(await redis.get(`${prefix}:lease:lock:k`)).toBe('someone-else');
  });

  it('releases the lock when the work throws', async () => {
    const lock = new RedisGroupLock(redisClient(), testPrefix());
    await expect(lock.withLock('k', 5_000, async () => { throw new Error('work failed'); })).rejects.toThrow('work failed');
    expect(await lock.withLock('k', 5_000, async () => 'again')).toEqual({ acquired: true, value: 'again' });
  });
});

describe('job queue factory with Redis down', () => {
  const DOWN = 'redis://shop:s3cret@127.0.0.1:1';

  it('fails the first add with QUEUE_UNAVAILABLE within a few seconds, without the password', async () => {
    const { queue } = createJobQueue({ redisUrl: DOWN, attempts: 3, backoffMs: 10, concurrency: 1 });
    cleanups.push(() => queue.close());
    const started = Date.now();
    const err = await queue.add(QUEUE_NAMES.inbound, {}, { jobId: 'x' }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('QUEUE_UNAVAILABLE');
    expect((err as AppError).message).toContain('REDIS_URL');
    expect((err as AppError).message).not.toContain('s3cret');
  });

  it('fails connectJobQueue and a drain after process() the same way', async () => {
    await expect(connectJobQueue({ redisUrl: DOWN, attempts: 3, backoffMs: 10, concurrency: 1 })).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
    const { queue } = createJobQueue({ redisUrl: DOWN, attempts: 3, backoffMs: 10, concurrency: 1 });
    cleanups.push(() => queue.close());
    queue.process(QUEUE_NAMES.inbound, async () => undefined);
    await expect(queue.drain(1_000)).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
  });
});
