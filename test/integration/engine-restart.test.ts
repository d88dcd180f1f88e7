import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { BullmqQueue } from '../../src/jobs/bullmq-queue.js';
import { createHarness, type Harness } from '../factories/engine-harness.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';
import { deleteRedisPrefix, newRedisTestPrefix, TEST_REDIS_URL } from '../factories/redis-test-prefix.js';

const run = promisify(execFile);
const REDIS = TEST_REDIS_URL;
const prefixes: string[] = [];
const TSX = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');

async function acceptThenDie(db: TestDatabase, count: number, redis?: { url: string; prefix: string }): Promise<void> {
  const args = [join(import.meta.dirname, 'fixtures', 'accept-then-die.ts'), db.url, String(count), redis?.url ?? '', redis?.prefix ?? ''];
  const err = await run(TSX, args, { env: { ...process.env, LOG_LEVEL: 'silent' } }).then(() => undefined, (e: { signal?: string; code?: number; stdout?: string; stderr?: string }) => e);
  // tsx runs the script in a child node process and reports its SIGKILL as exit code 137
  expect(err?.signal === 'SIGKILL' || err?.code === 137, err?.stderr).toBe(true);
  expect(err?.stdout).toContain('accepted');
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  for (const p of prefixes.splice(0)) await deleteRedisPrefix(p);
});

describe('restart', () => {
  it('answers messages accepted before the process was killed, once each (in-process queue)', async () => {
    const db = await createTestDatabase();
    await acceptThenDie(db, 6);
    expect(await db.db.message.count({ where: { direction: 'in', status: 'received' } })).toBe(6);

    harness = await createHarness({ seed: false, database: db });
    const recovered = await harness.engine.recover();
    expect(recovered.threads).toBe(3);
    await harness.queue.drain(20_000);
    await harness.engine.recover(); // a second recovery finds nothing to redo
    await harness.queue.drain(20_000);
    const inbound = await harness.database.db.message.findMany({ where: { direction: 'in' } });
    expect(inbound.every((m) => m.status === 'processed')).toBe(true);
    for (const m of inbound) {
      const replies = await harness.database.db.message.findMany({ where: { replyToId: m.id } });
      expect(replies.length).toBeGreaterThan(0);
      expect(new Set(replies.map((r) => r.platformMessageId)).size).toBe(replies.length);
    }
    expect(harness.web.sent.length).toBe(await harness.database.db.message.count({ where: { direction: 'out' } }));
  });

  it('answers messages accepted before the process was killed, once each (BullMQ + Redis)', async () => {
    const db = await createTestDatabase();
    const prefix = newRedisTestPrefix();
    prefixes.push(prefix);
    await acceptThenDie(db, 6, { url: REDIS, prefix });

    const queue = new BullmqQueue({ redisUrl: REDIS, prefix, attempts: 3, backoffMs: 10, concurrency: 4 });
    await queue.connect();
    harness = await createHarness({ seed: false, database: db, queue, lock: queue.groupLock() });
    await harness.engine.recover();
    await harness.queue.drain(30_000);
    const inbound = await harness.database.db.message.findMany({ where: { direction: 'in' } });
    expect(inbound).toHaveLength(6);
    expect(inbound.every((m) => m.status === 'processed')).toBe(true);
    const sent = harness.web.sent.map((e) => e.messageId);
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent.length).toBe(await harness.database.db.message.count({ where: { direction: 'out' } }));
  });
});
