import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrm, type Crm } from '../../src/crm/index.js';
import { LAST4_LIMITS } from '../../src/crm/orders/order-access.js';
import { openDatabase, type Database } from '../../src/db/database-client.js';
import { DEMO_PERSONAS } from '../../src/crm/seed/demo-personas.js';
import { createHarness, textOf, type Harness } from '../factories/engine-harness.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';

/**
 * The "last 4 digits" proof (issue 6 item 6): limits per order, per conversation (visitor) and per
 * client; a count that stays atomic when two workers race on PostgreSQL; the real owner never
 * locked out. Runs on PostgreSQL whatever SHOPDESK_TEST_DB says: the race is the point.
 */
const Z = DEMO_PERSONAS.zhangSan;

describe('"last 4 digits" guesses, counted atomically by two workers on PostgreSQL', () => {
  let db: TestDatabase;
  let second: Database;
  let crmA: Crm;
  let crmB: Crm;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    // a second connection pool, as a second worker process has
    second = await openDatabase({ provider: 'postgres', url: db.url });
    crmA = createCrm(db.db);
    crmB = createCrm(second.db);
    const owner = await crmA.customers.resolve({ kind: 'web', externalId: 'owner', verified: { phone: '13912349876' } });
    await db.db.order.create({ data: { orderNumber: 'SD0000000901', customerId: owner.customerId, status: 'shipped', subtotalCents: 1000, totalCents: 1000, placedAt: new Date(), shipPhone: '13912349876' } });
  }, 60_000);

  afterAll(async () => {
    await second?.close();
    await db?.destroy();
  });

  it('records at most the cap of wrong guesses however many race in at once', async () => {
    // the guessers are set up one by one; only their guesses race
    const guessers = [];
    const conversations: { id: number }[] = [];
    for (let i = 0; i < 24; i++) {
      guessers.push(await crmA.customers.resolve({ kind: 'web', externalId: `guesser-${i}` }));
      conversations.push(await crmA.conversations.getOrCreate({ channel: 'web', threadId: `guess-${i}`, customerId: guessers[i].customerId }));
    }
    const answers = await Promise.all(guessers.map((g, i) => (i % 2 ? crmA : crmB).orders.checkAccess(g.customerId, 'SD0000000901', { phoneLast4: String(1000 + i), conversationId: conversations[i].id })));
    const failures = await db.db.auditLog.count({ where: { action: 'order.verify_failed', entityId: 'SD0000000901' } });
    expect(failures).toBe(LAST4_LIMITS.perOrder);
    expect(answers.filter((a) => !a.allowed && a.reason === 'verification_failed')).toHaveLength(LAST4_LIMITS.perOrder);
    expect(answers.filter((a) => !a.allowed && a.reason === 'too_many_attempts')).toHaveLength(24 - LAST4_LIMITS.perOrder);
    expect((await db.db.attemptCounter.findUnique({ where: { key: 'last4:order:SD0000000901' } }))?.count).toBe(LAST4_LIMITS.perOrder);
  });

  it('never locks the owner out: signed in, the locked order is theirs at once', async () => {
    const owner = await crmB.customers.resolve({ kind: 'web', externalId: 'owner' });
    expect(await crmB.orders.checkAccess(owner.customerId, 'SD0000000901', { phoneLast4: '0000' })).toMatchObject({ allowed: true, via: 'owner' });
  });

  it('counts wrong guesses per conversation across orders, and per client across conversations', async () => {
    const v = await crmA.customers.resolve({ kind: 'web', externalId: 'one-visitor' });
    const conv = await crmA.conversations.getOrCreate({ channel: 'web', threadId: 'one-visitor', customerId: v.customerId });
    const perVisitor = [];
    for (let i = 0; i <= LAST4_LIMITS.perConversation; i++) perVisitor.push(await crmA.orders.checkAccess(v.customerId, `SD99000000${10 + i}`, { phoneLast4: '1234', conversationId: conv.id }));
    expect(perVisitor.slice(0, -1).every((a) => !a.allowed && a.reason === 'verification_failed')).toBe(true);
    expect(perVisitor.at(-1)).toEqual({ allowed: false, reason: 'too_many_attempts' });

    const perClient = [];
    for (let i = 0; i <= LAST4_LIMITS.perClient; i++) {
      const g = await crmA.customers.resolve({ kind: 'web', externalId: `nat-${i}` });
      const c = await crmA.conversations.getOrCreate({ channel: 'web', threadId: `nat-${i}`, customerId: g.customerId });
      perClient.push(await crmB.orders.checkAccess(g.customerId, `SD98000000${10 + i}`, { phoneLast4: '1234', conversationId: c.id, clientKey: 'client-A' }));
    }
    expect(perClient.at(-1)).toEqual({ allowed: false, reason: 'too_many_attempts' });
    // another client is not affected by client-A's guesses
    const other = await crmA.customers.resolve({ kind: 'web', externalId: 'elsewhere' });
    expect(await crmA.orders.checkAccess(other.customerId, 'SD9700000001', { phoneLast4: '1234', clientKey: 'client-B' })).toEqual({ allowed: false, reason: 'verification_failed' });
  });
});

describe('"last 4 digits" through two engines on one PostgreSQL database', () => {
  let a: Harness;
  let b: Harness;
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    a = await createHarness({ database });
    const other = await openDatabase({ provider: 'postgres', url: database.url });
    b = await createHarness({ database: { ...other, url: database.url, destroy: () => other.close() }, seed: false });
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('lets racing guests of both workers record no more than 5 wrong answers, then offers the owner a way in', async () => {
    const guests = Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).customer({ locale: 'zh-CN' }));
    await Promise.all(guests.map((g) => g.send(`查订单 ${Z.orders.inTransit}`)));
    await Promise.all(guests.map((g, i) => g.send(String(2000 + i))));
    const failures = await database.db.auditLog.count({ where: { action: 'order.verify_failed', entityId: Z.orders.inTransit } });
    expect(failures).toBe(LAST4_LIMITS.perOrder);
    // the right digits from yet another guest meet the lock, and the answer says what the owner can do
    const late = a.customer({ locale: 'zh-CN' });
    await late.send(`查订单 ${Z.orders.inTransit}`);
    const locked = textOf(await late.send(Z.phone.slice(-4)));
    expect(locked).toMatch(/验证次数已达上限/);
    expect(locked).toMatch(/登录/);
    expect(locked).not.toContain(Z.tracking.inTransit);
    // the owner, signed in, sees the order at once
    const owner = b.customer({ sender: { verified: { customerRef: Z.shopRef } } });
    expect(textOf(await owner.send(`查订单 ${Z.orders.inTransit}`))).toContain(Z.tracking.inTransit);
  });
});
