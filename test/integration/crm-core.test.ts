import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrm, type Crm } from '../../src/crm/index.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';

let db: TestDatabase;
let crm: Crm;
beforeAll(async () => {
  db = await createTestDatabase();
  crm = createCrm(db.db);
});
afterAll(async () => {
  await db.destroy();
});

async function orderFor(customerId: number, orderNumber: string, shipPhone = '13700000000') {
  return db.db.order.create({
    data: { orderNumber, customerId, status: 'shipped', subtotalCents: 1000, totalCents: 1000, placedAt: new Date(), shipPhone },
  });
}

describe('identities', () => {
  it('creates one customer per new channel identity and finds it again', async () => {
    const a = await crm.customers.resolve({ kind: 'web', externalId: 'v-1', displayName: 'Visitor' });
    const again = await crm.customers.resolve({ kind: 'web', externalId: 'v-1' });
    expect(a.created).toBe(true);
    expect(again).toMatchObject({ customerId: a.customerId, created: false, matchedBy: 'identity' });
  });

  it('links a new channel identity to the customer with the same verified phone', async () => {
    const wechat = await crm.customers.resolve({ kind: 'wechat_openid', externalId: 'o-1', verified: { phone: '+86 138-1111-2222' } });
    const web = await crm.customers.resolve({ kind: 'web', externalId: 'v-2', verified: { phone: '13811112222' } });
    expect(web).toMatchObject({ customerId: wechat.customerId, created: false, matchedBy: 'phone' });
  });

  it('never links on an unverified claim', async () => {
    const owner = await crm.customers.resolve({ kind: 'web', externalId: 'v-3', verified: { email: 'Owner@Example.com' } });
    const stranger = await crm.customers.resolve({ kind: 'rest', externalId: 'owner@example.com' });
    expect(stranger.customerId).not.toBe(owner.customerId);
  });

  it('merges two records when a verified e-mail proves they are one person, moving orders and tags', async () => {
    const older = await crm.customers.resolve({ kind: 'web', externalId: 'v-4', verified: { email: 'merge@example.com' } });
    const newer = await crm.customers.resolve({ kind: 'wechat_openid', externalId: 'o-4', displayName: '王五' });
    await orderFor(newer.customerId, 'SD0000000401');
    await db.db.customerTag.create({ data: { customerId: newer.customerId, tag: 'vip' } });
    const survivor = await crm.customers.linkVerifiedContacts(newer.customerId, { email: 'merge@example.com' });
    expect(survivor).toBe(older.customerId);
    const profile = await crm.customers.profile(newer.customerId);
    expect(profile?.id).toBe(older.customerId);
    expect(profile?.orders.map((o) => o.orderNumber)).toContain('SD0000000401');
    expect(profile?.tags).toContain('vip');
    expect(profile?.identities.map((i) => i.externalId)).toEqual(expect.arrayContaining(['v-4', 'o-4', 'merge@example.com']));
    const audit = await db.db.auditLog.findFirst({ where: { action: 'customer.merge', entityId: String(older.customerId) } });
    expect(JSON.parse(audit!.detail!)).toMatchObject({ mergedId: newer.customerId });
  });

  it('never fuses two verified customers who used one device: each message belongs to who proved the contact', async () => {
    const a = await crm.customers.resolve({ kind: 'phone', externalId: '13822223333' });
    const b = await crm.customers.resolve({ kind: 'email', externalId: 'b@example.com' });
    const first = await crm.customers.resolve({ kind: 'web', externalId: 'shared-device', verified: { phone: '13822223333' } });
    expect(first.customerId).toBe(a.customerId);
    const second = await crm.customers.resolve({ kind: 'web', externalId: 'shared-device', verified: { email: 'b@example.com' } });
    expect(second.customerId).toBe(b.customerId);
    const rows = await db.db.customer.findMany({ where: { id: { in: [a.customerId, b.customerId] } } });
    expect(rows.every((r) => r.mergedIntoId === null)).toBe(true);
  });

  it('rejects merging a customer into itself', async () => {
    const c = await crm.customers.resolve({ kind: 'web', externalId: 'v-5' });
    await expect(crm.customers.merge({ keepId: c.customerId, mergeId: c.customerId, actor: 'cli' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('orders', () => {
  it('lets only the owner or someone with the phone\'s last 4 digits see an order', async () => {
    const owner = await crm.customers.resolve({ kind: 'web', externalId: 'o-owner' });
    const other = await crm.customers.resolve({ kind: 'web', externalId: 'o-other' });
    await orderFor(owner.customerId, 'SD0000000501', '13912345678');
    expect(await crm.orders.checkAccess(owner.customerId, 'sd0000000501')).toMatchObject({ allowed: true, via: 'owner' });
    expect(await crm.orders.checkAccess(other.customerId, 'SD0000000501')).toEqual({ allowed: false, reason: 'not_owner' });
    expect(await crm.orders.checkAccess(other.customerId, 'SD0000000501', { phoneLast4: '0000' })).toEqual({ allowed: false, reason: 'verification_failed' });
    expect(await crm.orders.checkAccess(other.customerId, 'SD0000000501', { phoneLast4: '5678' })).toMatchObject({ allowed: true, via: 'phone_last4' });
    expect(await crm.orders.checkAccess(other.customerId, 'SD0000009999')).toEqual({ allowed: false, reason: 'not_found' });
  });

  it('stops taking "last 4 digits" guesses for an order after 5 wrong ones, even the right answer, and says so', async () => {
    const owner = await crm.customers.resolve({ kind: 'web', externalId: 'bf-owner' });
    await orderFor(owner.customerId, 'SD0000000701', '13912349876');
    for (let i = 0; i < 5; i++) {
      const guesser = await crm.customers.resolve({ kind: 'web', externalId: `bf-guesser-${i}` });
      expect(await crm.orders.checkAccess(guesser.customerId, 'SD0000000701', { phoneLast4: String(1000 + i) })).toEqual({ allowed: false, reason: 'verification_failed' });
    }
    const late = await crm.customers.resolve({ kind: 'web', externalId: 'bf-late' });
    expect(await crm.orders.checkAccess(late.customerId, 'SD0000000701', { phoneLast4: '9876' })).toEqual({ allowed: false, reason: 'too_many_attempts' });
    expect(await crm.orders.checkAccess(owner.customerId, 'SD0000000701')).toMatchObject({ allowed: true, via: 'owner' });
  });

  it('reports an open exception until a later event resolves it', async () => {
    const c = await crm.customers.resolve({ kind: 'web', externalId: 'o-exc' });
    const o = await orderFor(c.customerId, 'SD0000000601');
    const t0 = Date.now();
    await db.db.orderEvent.createMany({ data: [
      { orderId: o.id, type: 'shipped', at: new Date(t0 - 3000) },
      { orderId: o.id, type: 'customs_hold', isException: true, at: new Date(t0 - 2000) },
    ] });
    expect((await crm.orders.byNumber('SD0000000601'))?.openException?.type).toBe('customs_hold');
    await db.db.orderEvent.create({ data: { orderId: o.id, type: 'in_transit', at: new Date(t0 - 1000) } });
    expect((await crm.orders.byNumber('SD0000000601'))?.openException).toBeUndefined();
  });
});

describe('tickets', () => {
  it('creates a ticket with an SLA from its priority, once per dedupe key', async () => {
    const c = await crm.customers.resolve({ kind: 'web', externalId: 't-1' });
    const now = new Date('2026-03-01T00:00:00Z');
    const first = await crm.tickets.create({ type: 'complaint', customerId: c.customerId, subject: 'late', actor: 'system', dedupeKey: 'k-1', now });
    const again = await crm.tickets.create({ type: 'complaint', customerId: c.customerId, subject: 'late', actor: 'system', dedupeKey: 'k-1', now });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, ticket: { id: first.ticket.id } });
    expect(first.ticket.priority).toBe('high');
    expect(first.ticket.slaDueAt.toISOString()).toBe('2026-03-01T08:00:00.000Z');
  });

  it('moves along the transition table and rejects an illegal move with a clear error', async () => {
    const c = await crm.customers.resolve({ kind: 'web', externalId: 't-2' });
    const { ticket } = await crm.tickets.create({ type: 'return', customerId: c.customerId, subject: 'return', actor: 'system' });
    await expect(crm.tickets.transition(ticket.id, 'closed', { actor: 'staff:1' })).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION', message: expect.stringContaining('allowed: in_progress') });
    await crm.tickets.transition(ticket.id, 'in_progress', { actor: 'staff:1' });
    const resolved = await crm.tickets.transition(ticket.id, 'resolved', { actor: 'staff:1', resolution: 'refunded' });
    expect(resolved.resolvedAt).toBeInstanceOf(Date);
    await crm.tickets.transition(ticket.id, 'closed', { actor: 'staff:1' });
    const events = await db.db.ticketEvent.findMany({ where: { ticketId: ticket.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.toStatus)).toEqual(['open', 'in_progress', 'resolved', 'closed']);
  });

  it('assigns only active staff', async () => {
    const c = await crm.customers.resolve({ kind: 'web', externalId: 't-3' });
    const staff = await db.db.staffMember.create({ data: { name: 'Agent A', role: 'agent' } });
    const { ticket } = await crm.tickets.create({ type: 'inquiry', customerId: c.customerId, subject: 'q', actor: 'system' });
    expect((await crm.tickets.assign(ticket.id, staff.id, { actor: 'staff:9' })).assigneeId).toBe(staff.id);
    await expect(crm.tickets.assign(ticket.id, 99999, { actor: 'staff:9' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('turns', () => {
  it('commits a turn once: a second commit of the same message stores nothing and returns the first replies', async () => {
    const c = await crm.customers.resolve({ kind: 'web', externalId: 'turn-1' });
    const conv = await crm.conversations.getOrCreate({ channel: 'web', threadId: 'turn-thread', customerId: c.customerId });
    const { messageId } = await crm.messages.storeInbound({ channel: 'web', platformMessageId: 'turn-msg', threadId: 'turn-thread', senderId: 'turn-1', text: 'hi', receivedAt: new Date() });
    const turn = {
      inboundId: messageId, channel: 'web', threadId: 'turn-thread', conversationId: conv.id, customerId: c.customerId, intent: 'greeting', confidence: 0.9,
      flowState: null, replies: [{ text: 'hello', payload: { type: 'text', text: 'hello' } }, { text: 'how can I help', payload: { type: 'text', text: 'how can I help' } }],
      feedback: { score: 4 },
    };
    const first = await crm.conversations.commitTurn(turn);
    const second = await crm.conversations.commitTurn({ ...turn, replies: [{ text: 'different', payload: {} }] });
    expect(first.alreadyCommitted).toBe(false);
    expect(first.outbound).toHaveLength(2);
    expect(second).toEqual({ alreadyCommitted: true, outbound: first.outbound, notificationIds: [] });
    expect(await db.db.message.count({ where: { replyToId: messageId } })).toBe(2);
    expect(await db.db.feedback.count({ where: { conversationId: conv.id } })).toBe(1);
    const inbound = await db.db.message.findUnique({ where: { id: messageId } });
    expect(inbound).toMatchObject({ status: 'processed', intent: 'greeting', conversationId: conv.id });
  });
});
