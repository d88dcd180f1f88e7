import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database-client.js';
import {
  averageOrderValue, customersByRegion, customersBySegment, dayRange, dormantCustomers, newVsReturningCustomers,
  orderCount, periodRange, refundRate, repurchaseRate, revenue, revenueByDay, topProducts, type DateRange,
} from '../../src/crm/analytics/index.js';
import { buildCustomer, buildOrder, buildProduct } from '../factories/shop-builders.js';
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from '../factories/test-database.js';

/*
 * A small tea shop in Asia/Shanghai (UTC+8), three weeks Mon 2025-03-03 … Sun 2025-03-23.
 * Every expected number below is worked out by hand from this list (CST = shop-local time):
 *
 *  #    cust status              local time (CST)            items                        total  refunded
 *  H1   A    completed           2025-01-10 10:00            TEA×1                          5000
 *  H2   D    completed           2024-12-01 12:00            POT×1                         12000
 *  O2   B    paid                2025-03-02 23:59:59.999     CUP×1                          2000   (1 ms before the range)
 *  O1   A    delivered           2025-03-03 00:00:00.000     TEA×2                         10000   (first instant of the range)
 *  O3   B    partially_refunded  2025-03-04 09:00            POT×1 CUP×1                   14000   2000
 *  O4   C    shipped             2025-03-05 23:59:59.999     CUP×3                          6000
 *  O5   C    cancelled           2025-03-06 00:00            POT×1                         12000   (never counts)
 *  O6   E    completed           2025-03-10 12:30            TEA×1 CUP×2                    9000   (NY: 03-10 00:30 EDT)
 *  O7   A    refunded            2025-03-11 08:00            POT×1                         12000  12000
 *  O8   F    pending_payment     2025-03-12 10:00            TEA×1                          5000   (never counts)
 *  O9   C    completed           2025-03-14 20:00            TEA×2 +1000 ship −500 disc    10500
 *  O10  E    delivered           2025-03-14 07:59:59         CUP×1                          2000   (UTC date 03-13)
 *  O11  B    completed           2025-03-16 23:30            TEA×1                          5000
 *  O12  A    processing          2025-03-17 12:00            TEA×1 POT×1                   17000
 *  O13  F    cancelled           2025-03-18 09:00            CUP×1                          2000   (never counts)
 *  O14  E    partially_refunded  2025-03-20 16:00            POT×2                         24000   6000
 *  O15  C    paid                2025-03-23 23:59:59.999     CUP×1                          2000   (last ms of the range)
 *  O16  A    paid                2025-03-24 00:00            TEA×1                          5000   (first ms after the range)
 *
 * Customers: A 广东/深圳, B 广东/广州, C 浙江/杭州, D 上海/上海, E 浙江/宁波, F no region.
 */
const TZ = 'Asia/Shanghai';
const cst = (local: string) => new Date(`${local}+08:00`);
const THREE_WEEKS: DateRange = { from: cst('2025-03-03T00:00:00'), to: cst('2025-03-24T00:00:00') };
const WEEK1: DateRange = { from: cst('2025-03-03T00:00:00'), to: cst('2025-03-10T00:00:00') };
const WEEK2: DateRange = { from: cst('2025-03-10T00:00:00'), to: cst('2025-03-17T00:00:00') };
const WEEK3: DateRange = { from: cst('2025-03-17T00:00:00'), to: cst('2025-03-24T00:00:00') };
const EMPTY_DAY = dayRange('2025-03-07', TZ);

let t: TestDatabase;
let db: Db;
const ids: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', number> = { A: 0, B: 0, C: 0, D: 0, E: 0, F: 0 };

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await buildProduct(db, { sku: 'TEA-001', nameZh: '绿茶', nameEn: 'Green tea', priceCents: 5000 });
  await buildProduct(db, { sku: 'CUP-002', nameZh: '茶杯', nameEn: 'Tea cup', priceCents: 2000 });
  await buildProduct(db, { sku: 'POT-003', nameZh: '茶壶', nameEn: 'Teapot', priceCents: 12000 });
  const people = [
    ['A', '广东', '深圳', 'champions'], ['B', '广东', '广州', 'loyal'], ['C', '浙江', '杭州', 'new_customers'],
    ['D', '上海', '上海', 'lost'], ['E', '浙江', '宁波', 'champions'], ['F', null, null, null],
  ] as const;
  for (const [key, region, city, rfmSegment] of people) ids[key] = (await buildCustomer(db, { name: `客户${key}`, region, city, rfmSegment })).id;
  const order = (key: keyof typeof ids, status: Parameters<typeof buildOrder>[1]['status'], local: string, items: [string, number][], extra: { refundedCents?: number; shippingCents?: number; discountCents?: number } = {}) =>
    buildOrder(db, { customerId: ids[key], status, placedAt: cst(local), items: items.map(([sku, quantity]) => ({ sku, quantity })), ...extra });
  await order('A', 'completed', '2025-01-10T10:00:00', [['TEA-001', 1]]);
  await order('D', 'completed', '2024-12-01T12:00:00', [['POT-003', 1]]);
  await order('B', 'paid', '2025-03-02T23:59:59.999', [['CUP-002', 1]]);
  await order('A', 'delivered', '2025-03-03T00:00:00.000', [['TEA-001', 2]]);
  await order('B', 'partially_refunded', '2025-03-04T09:00:00', [['POT-003', 1], ['CUP-002', 1]], { refundedCents: 2000 });
  await order('C', 'shipped', '2025-03-05T23:59:59.999', [['CUP-002', 3]]);
  await order('C', 'cancelled', '2025-03-06T00:00:00', [['POT-003', 1]]);
  await order('E', 'completed', '2025-03-10T12:30:00', [['TEA-001', 1], ['CUP-002', 2]]);
  await order('A', 'refunded', '2025-03-11T08:00:00', [['POT-003', 1]], { refundedCents: 12000 });
  await order('F', 'pending_payment', '2025-03-12T10:00:00', [['TEA-001', 1]]);
  await order('C', 'completed', '2025-03-14T20:00:00', [['TEA-001', 2]], { shippingCents: 1000, discountCents: 500 });
  await order('E', 'delivered', '2025-03-14T07:59:59', [['CUP-002', 1]]);
  await order('B', 'completed', '2025-03-16T23:30:00', [['TEA-001', 1]]);
  await order('A', 'processing', '2025-03-17T12:00:00', [['TEA-001', 1], ['POT-003', 1]]);
  await order('F', 'cancelled', '2025-03-18T09:00:00', [['CUP-002', 1]]);
  await order('E', 'partially_refunded', '2025-03-20T16:00:00', [['POT-003', 2]], { refundedCents: 6000 });
  await order('C', 'paid', '2025-03-23T23:59:59.999', [['CUP-002', 1]]);
  await order('A', 'paid', '2025-03-24T00:00:00', [['TEA-001', 1]]);
});

afterAll(async () => {
  await t?.destroy();
});

describe(`analytics on a hand-computed shop (${TEST_PROVIDER})`, () => {
  it.each<[string, () => DateRange, { netCents: number; grossCents: number; refundedCents: number; orders: number }]>([
    ['three weeks', () => THREE_WEEKS, { netCents: 91500, grossCents: 111500, refundedCents: 20000, orders: 11 }],
    ['week 1', () => WEEK1, { netCents: 28000, grossCents: 30000, refundedCents: 2000, orders: 3 }],
    ['week 2', () => WEEK2, { netCents: 26500, grossCents: 38500, refundedCents: 12000, orders: 5 }],
    ['week 3', () => WEEK3, { netCents: 37000, grossCents: 43000, refundedCents: 6000, orders: 3 }],
    ['last week as of Wed 03-19', () => periodRange('last_week', cst('2025-03-19T12:00:00'), TZ), { netCents: 26500, grossCents: 38500, refundedCents: 12000, orders: 5 }],
    ['this week as of Sun 03-23 23:00', () => periodRange('this_week', cst('2025-03-23T23:00:00'), TZ), { netCents: 37000, grossCents: 43000, refundedCents: 6000, orders: 3 }],
    ['the day before (order 1 ms before midnight)', () => dayRange('2025-03-02', TZ), { netCents: 2000, grossCents: 2000, refundedCents: 0, orders: 1 }],
    ['03-03 (order exactly at midnight)', () => dayRange('2025-03-03', TZ), { netCents: 10000, grossCents: 10000, refundedCents: 0, orders: 1 }],
    ['03-06 (only a cancelled order at midnight)', () => dayRange('2025-03-06', TZ), { netCents: 0, grossCents: 0, refundedCents: 0, orders: 0 }],
    ['03-24 (first ms after the range)', () => dayRange('2025-03-24', TZ), { netCents: 5000, grossCents: 5000, refundedCents: 0, orders: 1 }],
    ['an empty day', () => EMPTY_DAY, { netCents: 0, grossCents: 0, refundedCents: 0, orders: 0 }],
  ])('computes revenue for %s', async (_label, range, expected) => {
    expect(await revenue(db, range(), { timeZone: TZ })).toEqual(expected);
  });

  it('counts orders by status, sale statuses only in saleOrders', async () => {
    expect(await orderCount(db, THREE_WEEKS, { timeZone: TZ })).toEqual({
      saleOrders: 11,
      allOrders: 14,
      byStatus: { delivered: 2, partially_refunded: 2, shipped: 1, cancelled: 2, completed: 3, refunded: 1, pending_payment: 1, processing: 1, paid: 1 },
    });
  });

  it.each<[string, () => DateRange, { orders: number; netCents: number; grossCents: number }]>([
    ['three weeks', () => THREE_WEEKS, { orders: 11, netCents: 8318, grossCents: 10136 }],
    ['week 1', () => WEEK1, { orders: 3, netCents: 9333, grossCents: 10000 }],
    ['an empty day', () => EMPTY_DAY, { orders: 0, netCents: 0, grossCents: 0 }],
  ])('computes the average order value for %s', async (_label, range, expected) => {
    expect(await averageOrderValue(db, range(), { timeZone: TZ })).toEqual(expected);
  });

  it.each<[string, () => DateRange, { refundedCents: number; grossCents: number; amountRate: number; ordersWithRefund: number; orders: number; orderRate: number }]>([
    ['three weeks', () => THREE_WEEKS, { refundedCents: 20000, grossCents: 111500, amountRate: 20000 / 111500, ordersWithRefund: 3, orders: 11, orderRate: 3 / 11 }],
    ['week 1', () => WEEK1, { refundedCents: 2000, grossCents: 30000, amountRate: 2000 / 30000, ordersWithRefund: 1, orders: 3, orderRate: 1 / 3 }],
    ['an empty day', () => EMPTY_DAY, { refundedCents: 0, grossCents: 0, amountRate: 0, ordersWithRefund: 0, orders: 0, orderRate: 0 }],
  ])('computes the refund rate for %s', async (_label, range, expected) => {
    const r = await refundRate(db, range(), { timeZone: TZ });
    expect(r).toEqual({ ...expected, amountRate: expect.closeTo(expected.amountRate, 10), orderRate: expect.closeTo(expected.orderRate, 10) });
  });

  it('buckets revenue by Shanghai day, zero-filled, with midnight orders on the right day', async () => {
    const days = await revenueByDay(db, THREE_WEEKS, { timeZone: TZ });
    const expected: [string, number, number, number][] = [
      ['2025-03-03', 10000, 10000, 1], ['2025-03-04', 12000, 14000, 1], ['2025-03-05', 6000, 6000, 1], ['2025-03-06', 0, 0, 0],
      ['2025-03-07', 0, 0, 0], ['2025-03-08', 0, 0, 0], ['2025-03-09', 0, 0, 0], ['2025-03-10', 9000, 9000, 1],
      ['2025-03-11', 0, 12000, 1], ['2025-03-12', 0, 0, 0], ['2025-03-13', 0, 0, 0], ['2025-03-14', 12500, 12500, 2],
      ['2025-03-15', 0, 0, 0], ['2025-03-16', 5000, 5000, 1], ['2025-03-17', 17000, 17000, 1], ['2025-03-18', 0, 0, 0],
      ['2025-03-19', 0, 0, 0], ['2025-03-20', 18000, 24000, 1], ['2025-03-21', 0, 0, 0], ['2025-03-22', 0, 0, 0],
      ['2025-03-23', 2000, 2000, 1],
    ];
    expect(days.map((d) => [d.date, d.revenueCents, d.grossCents, d.orders])).toEqual(expected);
  });

  it('buckets by New York days across the spring-forward change', async () => {
    const range = { from: dayRange('2025-03-08', 'America/New_York').from, to: dayRange('2025-03-11', 'America/New_York').to };
    const days = await revenueByDay(db, range, { timeZone: 'America/New_York' });
    // O6 (04:30 UTC) is 00:30 EDT on 03-10; a fixed EST offset would have put it on 03-09.
    expect(days.map((d) => [d.date, d.revenueCents, d.grossCents, d.orders])).toEqual([
      ['2025-03-08', 0, 0, 0], ['2025-03-09', 0, 0, 0], ['2025-03-10', 9000, 21000, 2], ['2025-03-11', 0, 0, 0],
    ]);
  });

  it('returns a single bucket for a one-day range and none for an empty range', async () => {
    expect(await revenueByDay(db, dayRange('2025-03-14', TZ), { timeZone: TZ })).toEqual([{ date: '2025-03-14', revenueCents: 12500, grossCents: 12500, orders: 2 }]);
    expect(await revenueByDay(db, { from: WEEK1.from, to: WEEK1.from }, { timeZone: TZ })).toEqual([]);
  });

  it.each<['revenue' | 'quantity', number, [string, string, string, number, number, number][]]>([
    ['revenue', 10, [['POT-003', '茶壶', 'Teapot', 5, 60000, 4], ['TEA-001', '绿茶', 'Green tea', 7, 35000, 5], ['CUP-002', '茶杯', 'Tea cup', 8, 16000, 5]]],
    ['quantity', 2, [['CUP-002', '茶杯', 'Tea cup', 8, 16000, 5], ['TEA-001', '绿茶', 'Green tea', 7, 35000, 5]]],
  ])('ranks top products by %s (limit %i), cancelled and unpaid items excluded', async (by, limit, expected) => {
    const top = await topProducts(db, THREE_WEEKS, { timeZone: TZ, limit, by });
    expect(top.map((p) => [p.sku, p.nameZh, p.nameEn, p.quantity, p.revenueCents, p.orders])).toEqual(expected);
    expect(top.every((p) => typeof p.productId === 'number')).toBe(true);
  });

  it.each<[string, () => DateRange, { customers: number; newCustomers: number; returningCustomers: number; newRevenueCents: number; returningRevenueCents: number }]>([
    ['three weeks', () => THREE_WEEKS, { customers: 4, newCustomers: 2, returningCustomers: 2, newRevenueCents: 47500, returningRevenueCents: 44000 }],
    ['week 1', () => WEEK1, { customers: 3, newCustomers: 1, returningCustomers: 2, newRevenueCents: 6000, returningRevenueCents: 22000 }],
    ['week 3', () => WEEK3, { customers: 3, newCustomers: 0, returningCustomers: 3, newRevenueCents: 0, returningRevenueCents: 37000 }],
    ['an empty day', () => EMPTY_DAY, { customers: 0, newCustomers: 0, returningCustomers: 0, newRevenueCents: 0, returningRevenueCents: 0 }],
  ])('splits new and returning customers for %s', async (_label, range, expected) => {
    expect(await newVsReturningCustomers(db, range(), { timeZone: TZ })).toEqual(expected);
  });

  it.each<[string, () => DateRange, { customers: number; repeatCustomers: number; rate: number }]>([
    ['three weeks', () => THREE_WEEKS, { customers: 4, repeatCustomers: 4, rate: 1 }],
    // C's only earlier order was cancelled and its later orders fall after the range.
    ['week 1', () => WEEK1, { customers: 3, repeatCustomers: 2, rate: 2 / 3 }],
    ['Monday 03-10 (E buys for the first time)', () => dayRange('2025-03-10', TZ), { customers: 1, repeatCustomers: 0, rate: 0 }],
    ['an empty day', () => EMPTY_DAY, { customers: 0, repeatCustomers: 0, rate: 0 }],
  ])('computes the repurchase rate for %s', async (_label, range, expected) => {
    expect(await repurchaseRate(db, range(), { timeZone: TZ })).toEqual({ ...expected, rate: expect.closeTo(expected.rate, 10) });
  });

  it.each<[string, Date, number, number, [keyof typeof ids, string, number, number][]]>([
    ['30 days as of the range end', cst('2025-03-24T00:00:00'), 30, 1, [['D', '2024-12-01T04:00:00.000Z', 1, 12000]]],
    ['7 days as of the range end', cst('2025-03-24T00:00:00'), 7, 2, [['B', '2025-03-16T15:30:00.000Z', 3, 19000], ['D', '2024-12-01T04:00:00.000Z', 1, 12000]]],
    // As of 03-11, A's later orders do not exist yet and B's 03-04 order is inside the 7 days.
    ['7 days as of 03-11', cst('2025-03-11T00:00:00'), 7, 2, [['A', '2025-03-02T16:00:00.000Z', 2, 15000], ['D', '2024-12-01T04:00:00.000Z', 1, 12000]]],
  ])('lists dormant customers, %s', async (_label, asOf, days, count, sample) => {
    const r = await dormantCustomers(db, { asOf, days });
    expect(r.count).toBe(count);
    expect(r.sample.map((c) => [c.customerId, c.name, c.lastOrderAt.toISOString(), c.orders, c.netCents]))
      .toEqual(sample.map(([key, last, orders, net]) => [ids[key], `客户${key}`, last, orders, net]));
  });

  it('limits the dormant sample but still counts everyone', async () => {
    const r = await dormantCustomers(db, { asOf: cst('2025-03-24T00:00:00'), days: 7, sampleSize: 1 });
    expect([r.count, r.sample.map((c) => c.customerId)]).toEqual([2, [ids.B]]);
    expect((await dormantCustomers(db, { asOf: cst('2025-03-24T00:00:00'), days: 7, sampleSize: 0 })).count).toBe(2);
  });

  it('counts customers per stored segment with both names, unscored last', async () => {
    const rows = await customersBySegment(db);
    const counts = Object.fromEntries(rows.map((r) => [r.segment ?? 'unscored', r.customers]));
    expect(counts).toEqual({
      champions: 2, loyal: 1, potential_loyalist: 0, new_customers: 1, promising: 0, need_attention: 0,
      about_to_sleep: 0, at_risk: 0, cannot_lose: 0, hibernating: 0, lost: 1, unscored: 1,
    });
    expect(rows[0]).toEqual({ segment: 'champions', nameZh: '重要价值客户', nameEn: 'Champions', customers: 2 });
  });

  it('sums customers and sales by region', async () => {
    const rows = await customersByRegion(db, THREE_WEEKS, { timeZone: TZ });
    expect(rows.map((r) => [r.region, r.customers, r.buyers, r.orders, r.revenueCents])).toEqual([
      ['浙江', 2, 2, 6, 47500], ['广东', 2, 2, 5, 44000], ['上海', 1, 0, 0, 0], [null, 1, 0, 0, 0],
    ]);
  });

  it('sums customers and sales by city', async () => {
    const rows = await customersByRegion(db, THREE_WEEKS, { timeZone: TZ, by: 'city' });
    expect(rows.map((r) => [r.region, r.city, r.customers, r.buyers, r.orders, r.revenueCents])).toEqual([
      ['浙江', '宁波', 1, 1, 3, 29000], ['广东', '深圳', 1, 1, 3, 27000], ['浙江', '杭州', 1, 1, 3, 18500],
      ['广东', '广州', 1, 1, 2, 17000], ['上海', '上海', 1, 0, 0, 0], [null, null, 1, 0, 0, 0],
    ]);
  });

  it('rejects a range that ends before it starts', async () => {
    await expect(revenue(db, { from: WEEK2.from, to: WEEK1.from }, { timeZone: TZ })).rejects.toThrow(/ends before/);
  });
});
