import { afterEach, describe, expect, it } from 'vitest';
import { BullmqQueue } from '../../src/jobs/bullmq-queue.js';
import { LeaseGroupLock } from '../../src/jobs/group-lock.js';
import { InProcessLeaseManager } from '../../src/jobs/in-process-lease-manager.js';
import { InProcessQueue } from '../../src/jobs/in-process-queue.js';
import { LeaseScheduler } from '../../src/jobs/lease-scheduler.js';
import { Reconciler } from '../../src/jobs/reconciler.js';
import { RedisLeaseManager } from '../../src/jobs/redis-lease-manager.js';
import { isAppError } from '../../src/shared/app-error.js';
import { createHarness, type Harness } from '../factories/engine-harness.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';
import { deleteRedisPrefix, newRedisTestPrefix, TEST_REDIS_URL } from '../factories/redis-test-prefix.js';
import { Redis } from 'ioredis';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const harnesses: Harness[] = [];
const closers: (() => Promise<void>)[] = [];
const prefixes: string[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  for (const h of harnesses.splice(0)) await h.close();
  for (const p of prefixes.splice(0)) await deleteRedisPrefix(p);
});

function message(threadId: string, n: number, text = '运费怎么算') {
  return { channel: 'web' as const, platformMessageId: `${threadId}-${n}`, threadId, sender: { id: `visitor-${threadId}` }, receivedAt: new Date(), content: { type: 'text' as const, text } };
}

/** A customer, a conversation and two stored messages on it, straight through the CRM. */
async function threadWithTwoMessages(h: Harness) {
  const { crm } = h;
  const m1 = await crm.messages.storeInbound({ channel: 'web', platformMessageId: 'f-1', threadId: 'fenced', senderId: 'v', text: '你好', receivedAt: new Date() });
  const m2 = await crm.messages.storeInbound({ channel: 'web', platformMessageId: 'f-2', threadId: 'fenced', senderId: 'v', text: '运费', receivedAt: new Date() });
  const customer = await crm.customers.resolve({ kind: 'web', externalId: 'v' });
  const conversation = await crm.conversations.getOrCreate({ channel: 'web', threadId: 'fenced', customerId: customer.customerId });
  const turn = (inboundId: number, fence: number) => crm.conversations.commitTurn({
    inboundId, channel: 'web', threadId: 'fenced', conversationId: conversation.id, customerId: customer.customerId, flowState: null, fence,
    replies: [{ text: `reply to ${inboundId}`, payload: { type: 'text', text: `reply to ${inboundId}` } }],
  });
  return { m1: m1.messageId, m2: m2.messageId, turn };
}

describe('fenced thread leases', () => {
  it.each(['in-process', 'redis'] as const)('storage refuses the commit of a worker whose lease expired (%s leases)', async (kind) => {
    const h = await createHarness({ seed: false, startWorkers: false });
    harnesses.push(h);
    let leases;
    if (kind === 'redis') {
      const p = newRedisTestPrefix();
      prefixes.push(p);
      const redis = new Redis(TEST_REDIS_URL);
      closers.push(async () => redis.disconnect());
      leases = new RedisLeaseManager(redis, p);
    } else leases = new InProcessLeaseManager();
    const { m1, m2, turn } = await threadWithTwoMessages(h);

    const slow = await leases.tryAcquire('lock:thread:web:fenced', 100);
    await sleep(150); // the slow worker stalls past its TTL without renewing
    const next = await leases.tryAcquire('lock:thread:web:fenced', 5_000);
    expect(next).not.toBeNull();
    await turn(m1, next!.fence); // the new holder commits

    const refused = await turn(m2, slow!.fence).then(() => null, (err: unknown) => err);
    expect(isAppError(refused) && refused.code).toBe('LEASE_LOST');
    const row = await h.database.db.message.findUniqueOrThrow({ where: { id: m2 } });
    expect(row.status).toBe('received'); // nothing of the stale turn was stored
    expect(await h.database.db.message.count({ where: { replyToId: m2 } })).toBe(0);

    await turn(m2, next!.fence); // the current holder still can
    expect(await h.database.db.message.count({ where: { replyToId: m2 } })).toBe(1);
  });
});

describe('reconciler', () => {
  it('answers acknowledged messages after Redis lost their jobs, without a restart', async () => {
    const prefix = newRedisTestPrefix();
    prefixes.push(prefix);
    const queue = new BullmqQueue({ redisUrl: TEST_REDIS_URL, prefix, attempts: 3, backoffMs: 10, concurrency: 4 });
    await queue.connect();
    const h = await createHarness({ seed: false, queue, lock: queue.groupLock(), startWorkers: false });
    harnesses.push(h);
    for (let t = 0; t < 3; t++) await h.engine.accept(message(`lost-${t}`, 0));
    await deleteRedisPrefix(prefix); // Redis restarted without persistence: every job is gone
    h.engine.startWorkers({ concurrency: 4 });
    await sleep(300);
    expect(h.web.sent).toHaveLength(0);
    expect(await h.database.db.message.count({ where: { direction: 'in', status: 'received' } })).toBe(3);

    const scheduler = new LeaseScheduler(queue.leaseManager());
    const reconciler = new Reconciler(scheduler, { intervalMs: 200, staleMs: 100 });
    reconciler.register(h.engine.recoverable());
    scheduler.start();
    closers.push(() => scheduler.stop());
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await h.database.db.message.count({ where: { direction: 'out', status: 'sent' } })) < 3) await sleep(100);
    expect(await h.database.db.message.count({ where: { direction: 'in', status: 'processed' } })).toBe(3);
    const sent = h.web.sent.map((e) => e.messageId);
    expect(sent).toHaveLength(3);
    expect(new Set(sent).size).toBe(3);
  });

  it('re-queues replies whose delivery jobs were lost, and sends each once', async () => {
    const h = await createHarness({ seed: false });
    harnesses.push(h);
    const c = h.customer();
    await c.send('你好');
    // a reply stored as queued whose job vanished (the in-process queue died with its process)
    await h.database.db.message.updateMany({ where: { direction: 'out' }, data: { status: 'queued', processedAt: null } });
    h.web.sent.length = 0;
    const scheduler = new LeaseScheduler(new InProcessLeaseManager());
    const reconciler = new Reconciler(scheduler, { intervalMs: 100, staleMs: 50 });
    reconciler.register(h.engine.recoverable());
    scheduler.start();
    closers.push(() => scheduler.stop());
    await sleep(600);
    await h.queue.drain(5_000);
    expect(h.web.sent).toHaveLength(1);
    expect(reconciler.requeued.get('conversation-engine')).toBe(1);
  });
});

describe('recovery claims', () => {
  it('two workers starting at once re-queue each unfinished thread once, not once each', async () => {
    const db: TestDatabase = await createTestDatabase();
    const leases = new InProcessLeaseManager();
    const make = async (database?: TestDatabase) => createHarness({
      seed: false, database, startWorkers: false, queue: new InProcessQueue({ attempts: 3, backoffMs: 5, concurrency: 4 }), lock: new LeaseGroupLock(leases),
    });
    const a = await make(db);
    harnesses.push(a);
    for (let t = 0; t < 5; t++) await a.engine.accept(message(`pending-${t}`, 0));
    const b = await createHarness({ seed: false, database: { ...db, destroy: async () => undefined }, startWorkers: false, queue: new InProcessQueue({ attempts: 3, backoffMs: 5, concurrency: 4 }), lock: new LeaseGroupLock(leases) });
    closers.push(() => b.queue.close());
    const [ra, rb] = await Promise.all([a.engine.recover({ staleMs: 0 }), b.engine.recover({ staleMs: 0 })]);
    expect(ra.threads + rb.threads).toBe(5);
    // and once claimed, a later start within the stale age leaves the work to its job
    expect((await a.engine.recover({ staleMs: 60_000 })).threads).toBe(0);
  });
});

describe('delivery', () => {
  it('does not send a reply again once it is marked sent', async () => {
    const h = await createHarness({ seed: false });
    harnesses.push(h);
    const c = h.customer();
    await c.send('你好');
    expect(h.web.sent).toHaveLength(1);
    const reply = await h.database.db.message.findFirstOrThrow({ where: { direction: 'out', threadId: c.threadId } });
    expect(reply.status).toBe('sent');
    // a second copy of its delivery job (a re-queue, a stalled job run again)
    await h.engine.deliver({ messageId: reply.id, channel: 'web', threadId: c.threadId, payload: reply.payload ?? '{}', createdAt: reply.createdAt.toISOString() });
    expect(h.web.sent).toHaveLength(1);
  });
});

describe('delivery claims', () => {
  it('a second copy of a delivery job does not send while the first holds the claim, and sends once it is stale (BullMQ)', async () => {
    const prefix = newRedisTestPrefix();
    prefixes.push(prefix);
    const queue = new BullmqQueue({ redisUrl: TEST_REDIS_URL, prefix, attempts: 3, backoffMs: 10, concurrency: 4 });
    await queue.connect();
    const h = await createHarness({ seed: false, queue, lock: queue.groupLock(), lockTtlMs: 300 });
    harnesses.push(h);
    const c = h.customer();
    await c.send('你好');
    const reply = await h.database.db.message.findFirstOrThrow({ where: { direction: 'out', threadId: c.threadId } });
    // as if another worker claimed it a moment ago and died before sending
    await h.database.db.message.update({ where: { id: reply.id }, data: { status: 'queued', processedAt: new Date() } });
    h.web.sent.length = 0;
    const job = { messageId: reply.id, channel: 'web', threadId: c.threadId, payload: reply.payload ?? '{}', createdAt: reply.createdAt.toISOString() };
    const busy = await h.engine.deliver(job).then(() => null, (err: unknown) => err);
    expect(isAppError(busy) && busy.code).toBe('CONFLICT');
    expect(h.web.sent).toHaveLength(0);
    await sleep(350); // the claim is older than the lock TTL: its holder is gone
    await h.engine.deliver(job);
    expect(h.web.sent).toHaveLength(1);
    expect((await h.database.db.message.findUniqueOrThrow({ where: { id: reply.id } })).status).toBe('sent');
  });
});
