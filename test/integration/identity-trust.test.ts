import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrm, type Crm } from '../../src/crm/index.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';

/**
 * The identity trust model (docs/architecture.md) at the CRM: a shop subject is the identity,
 * contacts link only when verified, and a bound subject never moves.
 */
let db: TestDatabase;
let crm: Crm;
let alice: number;
beforeAll(async () => {
  db = await createTestDatabase();
  crm = createCrm(db.db);
  // Alice signed in once through the shop (subject ALICE-1) with a verified e-mail and phone
  alice = (await crm.customers.resolve({ kind: 'web', externalId: 'alice-browser', verified: { customerRef: 'ALICE-1', email: 'alice@example.com', phone: '+14155550123' } })).customerId;
  await db.db.order.create({ data: { orderNumber: 'SD0000009911', customerId: alice, status: 'shipped', subtotalCents: 1000, totalCents: 1000, placedAt: new Date() } });
});
afterAll(async () => {
  await db.destroy();
});

const subjectOwner = async (ref: string) => (await db.db.identity.findUnique({ where: { channel_externalId: { channel: 'shop', externalId: ref } } }))?.customerId;

describe('identity trust model', () => {
  it("never lets a new subject's verified contact take over a customer who has a subject of their own", async () => {
    const r = await crm.customers.resolve({ kind: 'web', externalId: 'attacker-browser', verified: { customerRef: 'NEW', email: 'alice@example.com' } });
    expect(r.customerId).not.toBe(alice);
    expect(await subjectOwner('NEW')).toBe(r.customerId);
    expect((await crm.orders.listForCustomer(r.customerId)).map((o) => o.orderNumber)).not.toContain('SD0000009911');
    // Alice keeps her e-mail: the conflict is audited, nothing moves
    expect((await db.db.identity.findUnique({ where: { channel_externalId: { channel: 'email', externalId: 'alice@example.com' } } }))?.customerId).toBe(alice);
    expect(await db.db.auditLog.count({ where: { action: 'identity.contact_conflict', entityId: String(r.customerId) } })).toBe(1);
  });

  it("never re-points a known subject, whatever another customer's contacts its token carries", async () => {
    const first = await crm.customers.resolve({ kind: 'web', externalId: 'bob-browser', verified: { customerRef: 'BOB-1' } });
    const later = await crm.customers.resolve({ kind: 'web', externalId: 'bob-browser-2', verified: { customerRef: 'BOB-1', email: 'alice@example.com', phone: '+14155550123' } });
    expect(later.customerId).toBe(first.customerId);
    expect(await subjectOwner('BOB-1')).toBe(first.customerId);
    // the same browser thread again: still Bob, never Alice
    const again = await crm.customers.resolve({ kind: 'web', externalId: 'bob-browser', verified: { customerRef: 'BOB-1', email: 'alice@example.com' } });
    expect(again.customerId).toBe(first.customerId);
  });

  it('links a new subject to the customer a verified contact belongs to when that customer has no subject yet', async () => {
    const fromWechat = await crm.customers.resolve({ kind: 'wechat_openid', externalId: 'o-carol', verified: { phone: '13812345678' } });
    const signedIn = await crm.customers.resolve({ kind: 'web', externalId: 'carol-browser', verified: { customerRef: 'CAROL-1', phone: '13812345678' } });
    expect(signedIn).toMatchObject({ customerId: fromWechat.customerId, matchedBy: 'phone' });
    expect(await subjectOwner('CAROL-1')).toBe(fromWechat.customerId);
  });

  it('makes the guest of a browser the customer who signs in there, keeping what the guest wrote', async () => {
    const guest = await crm.customers.resolve({ kind: 'web', externalId: 'dave-browser' });
    const signedIn = await crm.customers.resolve({ kind: 'web', externalId: 'dave-browser', verified: { customerRef: 'DAVE-1' } });
    expect(signedIn.customerId).toBe(guest.customerId);
    expect(await subjectOwner('DAVE-1')).toBe(guest.customerId);
  });

  it('gives a second subject on a browser already bound to another subject a customer of its own', async () => {
    const first = await crm.customers.resolve({ kind: 'web', externalId: 'shared-browser', verified: { customerRef: 'EVE-1' } });
    const second = await crm.customers.resolve({ kind: 'web', externalId: 'shared-browser', verified: { customerRef: 'FRANK-1' } });
    expect(second.customerId).not.toBe(first.customerId);
    expect(await subjectOwner('EVE-1')).toBe(first.customerId);
    expect(await subjectOwner('FRANK-1')).toBe(second.customerId);
  });
});

describe('identity trust model through the engine', () => {
  it("never gives an e-mail sender's messages to the customer who proved that address: a From: line is only asserted", async () => {
    const { createHarness } = await import('../factories/engine-harness.js');
    const h = await createHarness();
    try {
      const alice = await h.crm.customers.findByContact('alice@example.com');
      expect(alice).toBeDefined();
      await h.engine.accept({
        channel: 'email', platformMessageId: '<spoof-1@evil.example>', threadId: 'alice@example.com', receivedAt: new Date(),
        sender: { id: 'alice@example.com', displayName: 'Alice Smith', asserted: { email: 'alice@example.com' } }, content: { type: 'text', text: 'cancel my order please' },
      });
      await h.queue.drain(20_000).catch(() => undefined);
      const conversation = await h.crm.conversations.byThread('email', 'alice@example.com');
      expect(conversation).toBeDefined();
      expect(await h.crm.customers.surviving(conversation!.customerId)).not.toBe(alice);
      const stored = await h.database.db.message.findFirstOrThrow({ where: { channel: 'email', direction: 'in' } });
      expect(JSON.parse(stored.payload!).sender.asserted).toEqual({ email: 'alice@example.com' });
    } finally {
      await h.close();
    }
  }, 60_000);
});
