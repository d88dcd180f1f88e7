import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customersBySegment, dayRange, dormantCustomers, topProducts } from '../../src/crm/analytics/index.js';
import { buildCustomer, buildOrder, buildProduct } from '../factories/shop-builders.js';
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from '../factories/test-database.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t?.destroy();
});

describe(`analytics edge cases (${TEST_PROVIDER})`, () => {
  it('builds orders with computed totals, SD order numbers, identities and events', async () => {
    const p = await buildProduct(t.db, { priceCents: 1500 });
    const c = await buildCustomer(t.db, { identities: [{ channel: 'wechat_openid', externalId: 'o-edge-1' }] });
    const o = await buildOrder(t.db, {
      customerId: c.id, status: 'shipped', placedAt: new Date('2025-05-01T02:00:00Z'), shippingCents: 800, discountCents: 300,
      items: [{ productId: p.id, quantity: 2 }, { sku: p.sku, quantity: 1, unitPriceCents: 1000 }],
      events: [{ type: 'shipped', at: new Date('2025-05-02T02:00:00Z') }, { type: 'customs_hold', at: new Date('2025-05-03T02:00:00Z') }],
    });
    expect(o.orderNumber).toMatch(/^SD\d{10}$/);
    expect([o.subtotalCents, o.totalCents, o.paidAt?.toISOString()]).toEqual([4000, 4500, '2025-05-01T02:00:00.000Z']);
    expect(o.events.map((e) => [e.type, e.isException])).toEqual([['shipped', false], ['customs_hold', true]]);
    expect(c.identities.map((i) => i.externalId)).toEqual(['o-edge-1']);
  });

  it('still ranks items of a deleted product under their SKU and item name', async () => {
    const gone = await buildProduct(t.db, { sku: 'GONE-1', nameZh: '下架商品', priceCents: 700 });
    const c = await buildCustomer(t.db);
    const placedAt = new Date('2025-05-10T04:00:00Z');
    await buildOrder(t.db, { customerId: c.id, status: 'completed', placedAt, items: [{ productId: gone.id, quantity: 3 }] });
    await t.db.orderItem.updateMany({ where: { productId: gone.id }, data: { productId: null } });
    await t.db.product.delete({ where: { id: gone.id } });
    const top = await topProducts(t.db, dayRange('2025-05-10', 'Asia/Shanghai'), { timeZone: 'Asia/Shanghai', limit: 5 });
    expect(top).toEqual([{ productId: null, sku: 'GONE-1', nameZh: '下架商品', nameEn: '下架商品', quantity: 3, revenueCents: 2100, orders: 1 }]);
  });

  it('leaves merged-away customers out of dormant lists and segment counts', async () => {
    const p = await buildProduct(t.db);
    const kept = await buildCustomer(t.db, { rfmSegment: 'hibernating' });
    const merged = await buildCustomer(t.db, { rfmSegment: 'hibernating' });
    await t.db.customer.update({ where: { id: merged.id }, data: { mergedIntoId: kept.id } });
    for (const c of [kept, merged]) await buildOrder(t.db, { customerId: c.id, status: 'completed', placedAt: new Date('2024-01-01T00:00:00Z'), items: [{ productId: p.id, quantity: 1 }] });
    const dormant = await dormantCustomers(t.db, { asOf: new Date('2025-01-01T00:00:00Z'), days: 180, sampleSize: 50 });
    expect(dormant.sample.map((d) => d.customerId)).toContain(kept.id);
    expect(dormant.sample.map((d) => d.customerId)).not.toContain(merged.id);
    expect((await customersBySegment(t.db)).find((s) => s.segment === 'hibernating')?.customers).toBe(1);
  });

  it('rejects a dormancy window that is not a whole number of days', async () => {
    await expect(dormantCustomers(t.db, { asOf: new Date(), days: 0 })).rejects.toThrow(/days must be a positive integer/);
  });
});
