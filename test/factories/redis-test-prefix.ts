import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the BullMQ and message-bus tests use (CI may start a private one and set this). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of a test's own, so runs never see each other's queues. */
export function newRedisTestPrefix(): string {
  return `shopdesk-test-${randomUUID().slice(0, 12)}`;
}

/** Deletes every key under a prefix: tests leave nothing behind in a shared Redis. */
export async function deleteRedisPrefix(prefix: string, redisUrl = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
