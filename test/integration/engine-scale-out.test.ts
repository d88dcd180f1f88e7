import { afterAll, describe, expect, it } from 'vitest';
import { BullmqQueue } from '../../src/jobs/bullmq-queue.js';
import { createHarness, type Harness } from '../factories/engine-harness.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';
import { deleteRedisPrefix, newRedisTestPrefix, TEST_REDIS_URL } from '../factories/redis-test-prefix.js';

const REDIS = TEST_REDIS_URL;
let prefix: string | undefined;
const THREADS = 8;
const PER_THREAD = 6;

let db: TestDatabase;
const harnesses: Harness[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.queue.close();
  await db?.destroy();
  if (prefix) await deleteRedisPrefix(prefix);
});

describe('two workers on one Redis', () => {
  it('keep per-thread order and give every message exactly one set of replies', async () => {
    db = await createTestDatabase();
    prefix = newRedisTestPrefix();
    for (let i = 0; i < 2; i++) {
      const queue = new BullmqQueue({ redisUrl: REDIS, prefix, attempts: 5, backoffMs: 20, concurrency: 4 });
      await queue.connect();
      harnesses.push(await createHarness({ seed: false, database: db, queue, lock: queue.groupLock() }));
    }
    const [a, b] = harnesses;
    const texts = ['你好', 'where is my order', '运费怎么算', 'thanks', '我要退货', 'how do refunds work'];
    const sends: Promise<unknown>[] = [];
    for (let t = 0; t < THREADS; t++) {
      for (let n = 0; n < PER_THREAD; n++) {
        const engine = (t + n) % 2 ? a.engine : b.engine;
        const message = {
          channel: 'web' as const, platformMessageId: `scale-${t}-${n}`, threadId: `scale-thread-${t}`, sender: { id: `scale-visitor-${t}` },
          receivedAt: new Date(), content: { type: 'text' as const, text: `${texts[n]} #${n}` },
        };
        sends.push(engine.accept(message));
        if (n === 2) sends.push(engine.accept(message)); // a platform re-delivery
      }
    }
    await Promise.all(sends);
    await Promise.all([a.queue.drain(60_000), b.queue.drain(60_000)]);
    const inbound = await db.db.message.findMany({ where: { direction: 'in' }, orderBy: { id: 'asc' } });
    expect(inbound).toHaveLength(THREADS * PER_THREAD);
    expect(inbound.every((m) => m.status === 'processed')).toBe(true);
    for (let t = 0; t < THREADS; t++) {
      const thread = inbound.filter((m) => m.threadId === `scale-thread-${t}`);
      const processedOrder = [...thread].sort((x, y) => x.processedAt!.getTime() - y.processedAt!.getTime() || x.id - y.id).map((m) => m.id);
      expect(processedOrder).toEqual(thread.map((m) => m.id));
    }
    const outbound = await db.db.message.findMany({ where: { direction: 'out' } });
    for (const m of inbound) expect(outbound.filter((o) => o.replyToId === m.id).length).toBeGreaterThan(0);
    const delivered = [...a.web.sent, ...b.web.sent].map((e) => e.messageId);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(delivered.length).toBe(outbound.length);
    expect(a.web.sent.length).toBeGreaterThan(0);
    expect(b.web.sent.length).toBeGreaterThan(0);
  });
});
