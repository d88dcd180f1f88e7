import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONAS, isShopEmpty, seedShop, shopCounts, wipeShop, type SeedSummary } from '../../src/crm/seed/index.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';

const NOW = new Date('2025-11-20T04:00:00Z');
const SMALL = { customers: 50, orders: 200, seed: 7, now: NOW };

describe('seedShop', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  let summary: SeedSummary;
  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    summary = await seedShop(a.db, SMALL);
  });
  afterAll(async () => { await Promise.all([a?.destroy(), b?.destroy()]); });

  it('produces the same shop twice from the same seed', async () => {
    await seedShop(b.db, SMALL);
    const fingerprint = async (t: TestDatabase) => ({
      counts: await shopCounts(t.db),
      first: await t.db.order.findFirst({ where: { orderNumber: { not: { startsWith: 'SD250101' } } }, orderBy: { orderNumber: 'asc' }, select: { orderNumber: true, totalCents: true, status: true, placedAt: true } }),
      last: await t.db.order.findFirst({ orderBy: { placedAt: 'desc' }, select: { orderNumber: true, totalCents: true, status: true } }),
      revenue: (await t.db.order.aggregate({ _sum: { totalCents: true } }))._sum.totalCents,
      names: (await t.db.customer.findMany({ orderBy: { id: 'asc' }, take: 10, select: { name: true, phone: true } })),
    });
    expect(await fingerprint(b)).toEqual(await fingerprint(a));
  });

  it('counts every generated row in its summary', async () => {
    const counts = await shopCounts(a.db);
    expect(summary.orders).toBe(200 + 8);
    expect(counts).toMatchObject({ customers: 53, orders: 208, products: summary.products, orderItems: summary.orderItems, orderEvents: summary.orderEvents, tickets: summary.tickets });
    expect(summary.products).toBeGreaterThanOrEqual(60);
  });

  it('keeps order totals consistent with their items', async () => {
    const orders = await a.db.order.findMany({ include: { items: true } });
    for (const o of orders) {
      expect(o.items.length).toBeGreaterThanOrEqual(1);
      expect(o.items.reduce((s, i) => s + i.totalCents, 0)).toBe(o.subtotalCents);
      for (const i of o.items) expect(i.totalCents).toBe(i.quantity * i.unitPriceCents);
      expect(o.totalCents).toBe(o.subtotalCents + o.shippingCents - o.discountCents);
      expect(o.shippingCents).toBe(o.subtotalCents >= 9900 ? 0 : 1000);
      expect(o.refundedCents).toBeLessThanOrEqual(o.totalCents);
      expect(o.orderNumber).toMatch(/^SD\d{10}$/);
    }
  });

  it('gives each status the timestamps and events it implies, never after now', async () => {
    const orders = await a.db.order.findMany({ include: { events: true } });
    for (const o of orders) {
      const types = new Set(o.events.map((e) => e.type));
      expect(types.has('created')).toBe(true);
      for (const e of o.events) expect(e.at.getTime()).toBeLessThanOrEqual(NOW.getTime());
      if (['shipped', 'delivered', 'completed'].includes(o.status)) expect(o.shippedAt && o.trackingNumber && o.carrier).toBeTruthy();
      if (['delivered', 'completed'].includes(o.status)) expect(o.deliveredAt!.getTime()).toBeGreaterThan(o.shippedAt!.getTime());
      if (o.status === 'pending_payment') expect(o.paidAt).toBeNull();
      if (o.status === 'cancelled') expect(o.cancelledAt).not.toBeNull();
      if (o.status === 'refunded' || o.status === 'partially_refunded') expect(o.refundedCents).toBeGreaterThan(0);
      if (o.paidAt) expect(o.paidAt.getTime()).toBeGreaterThanOrEqual(o.placedAt.getTime());
      for (const e of o.events) expect(e.isException).toBe(['payment_failed', 'shipment_delayed', 'lost', 'damaged', 'customs_hold', 'delivery_failed'].includes(e.type));
    }
  });

  it('creates the demo personas with their fixed order numbers', async () => {
    const zhang = await a.db.customer.findFirst({ where: { phone: DEMO_PERSONAS.zhangSan.phone }, include: { orders: { include: { events: true } }, identities: true } });
    expect(zhang?.name).toBe('张三');
    expect(zhang!.identities.map((i) => i.channel).sort()).toEqual(['email', 'phone', 'shop', 'wechat_openid']);
    const byNumber = new Map(zhang!.orders.map((o) => [o.orderNumber, o]));
    const z = DEMO_PERSONAS.zhangSan.orders;
    expect(byNumber.get(z.inTransit)).toMatchObject({ status: 'shipped', carrier: 'SF Express', trackingNumber: 'SF1234567890123' });
    expect(byNumber.get(z.pendingPayment)?.status).toBe('pending_payment');
    const recent = byNumber.get(z.deliveredRecently)!;
    expect(recent.status).toBe('delivered');
    expect(Math.round((NOW.getTime() - recent.deliveredAt!.getTime()) / 86_400_000)).toBe(3);
    expect(Math.round((NOW.getTime() - byNumber.get(z.deliveredLongAgo)!.deliveredAt!.getTime()) / 86_400_000)).toBe(40);
    expect(byNumber.get(z.delayed)!.events.some((e) => e.type === 'shipment_delayed' && e.isException)).toBe(true);
    const alice = await a.db.identity.findUnique({ where: { channel_externalId: { channel: 'email', externalId: 'alice@example.com' } }, include: { customer: { include: { orders: true } } } });
    expect(alice?.customer.name).toBe('Alice Smith');
    expect(alice!.customer.orders.map((o) => o.status).sort()).toEqual(['delivered', 'shipped']);
    const li = await a.db.order.findUnique({ where: { orderNumber: DEMO_PERSONAS.liSi.orders.processing }, include: { customer: true } });
    expect(li).toMatchObject({ status: 'processing', customer: { phone: '13900139000' } });
  });

  it('refuses a database that already holds shop data, leaving it untouched', async () => {
    const before = await shopCounts(a.db);
    await expect(seedShop(a.db, SMALL)).rejects.toThrow(/already holds shop data.*--force/);
    expect(await shopCounts(a.db)).toEqual(before);
    expect(await isShopEmpty(a.db)).toBe(false);
  });

  it('wipes and seeds again with force, calling afterSeed once', async () => {
    let calls = 0;
    const again = await seedShop(a.db, { ...SMALL, seed: 8, force: true, afterSeed: async () => { calls++; } });
    expect(calls).toBe(1);
    expect((await shopCounts(a.db)).orders).toBe(again.orders);
    await wipeShop(a.db);
    expect(await isShopEmpty(a.db)).toBe(true);
  });
});
