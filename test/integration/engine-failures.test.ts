import { afterEach, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_ATTEMPTS } from '../../src/conversation/engine/conversation-engine.js';
import { createHarness, textOf, type Harness } from '../factories/engine-harness.js';
import { deleteRedisPrefix, newRedisTestPrefix, TEST_REDIS_URL } from '../factories/redis-test-prefix.js';

let h: Harness | undefined;
const prefixes: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const p of prefixes.splice(0)) await deleteRedisPrefix(p);
});

describe('failures', () => {
  it('sets a message that fails on every try aside as failed, and answers the next one on its thread', async () => {
    // the knowledge base breaks on one message (a stand-in for any bug that message triggers)
    h = await createHarness({
      seed: false,
      kb: (real) => ({ ...real, decide: (q, o) => { if (q.includes('运费')) throw new Error('knowledge base exploded'); return real.decide(q, o); } }),
    });
    const c = h.customer();
    await c.send('运费怎么算');
    const after = await c.send('你好');
    expect(textOf(after)).toContain('您好');
    const rows = await h.database.db.message.findMany({ where: { threadId: c.threadId, direction: 'in' }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.status)).toEqual(['failed', 'processed']);
    expect(rows[0].attempts).toBe(MAX_MESSAGE_ATTEMPTS);
    expect(rows[0].error).toContain('knowledge base exploded');
  });

  it('retries a reply the channel failed to deliver, and delivers it once', async () => {
    h = await createHarness({ seed: false });
    h.web.failNext = 2;
    const c = h.customer();
    const replies = await c.send('你好');
    expect(replies).toHaveLength(1);
    const out = await h.database.db.message.findMany({ where: { threadId: c.threadId, direction: 'out' } });
    expect(out.map((o) => o.status)).toEqual(['sent']);
  });
});

describe('recovery after retries ran out', () => {
  it.each(['in-process', 'bullmq'] as const)('answers a message whose job was dead-lettered once the next recovery runs (%s)', async (driver) => {
    let failuresLeft = 3;
    const { BullmqQueue } = await import('../../src/jobs/bullmq-queue.js');
    const prefix = newRedisTestPrefix();
    prefixes.push(prefix);
    const bull = driver === 'bullmq' ? new BullmqQueue({ redisUrl: TEST_REDIS_URL, prefix, attempts: 3, backoffMs: 5, concurrency: 2 }) : undefined;
    await bull?.connect();
    h = await createHarness({
      seed: false, queue: bull, lock: bull?.groupLock(),
      kb: (real) => ({ ...real, decide: (q, o) => { if (failuresLeft-- > 0) throw new Error('database hiccup'); return real.decide(q, o); } }),
    });
    const c = h.customer();
    expect(await c.send('运费怎么算')).toEqual([]);
    const stuck = await h.database.db.message.findFirst({ where: { threadId: c.threadId, direction: 'in' } });
    expect(stuck).toMatchObject({ status: 'received', attempts: 3 });
    expect(await h.queue.deadLetters('inbound')).toHaveLength(1);
    // the reconciler's pass once the message is older than its stale age (0 here)
    await h.engine.recover({ staleMs: 0 });
    await h.queue.drain(20_000);
    expect(textOf(c.transcript())).toMatch(/99|包邮|运费/);
    expect(await h.database.db.message.findFirst({ where: { id: stuck!.id } })).toMatchObject({ status: 'processed' });
  });
});
