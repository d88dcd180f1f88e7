import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrm, type Crm } from '../../src/crm/index.js';
import { executeQuery, type ExecContext } from '../../src/assistant/ask-executor.js';
import { wipeShop } from '../../src/crm/seed/shop-wipe.js';
import type { AskFilters, GroupBy, MetricQuery, Metric, LookupQuery } from '../../src/assistant/ask-query.js';
import type { LookupResult, MetricResult } from '../../src/assistant/ask-result.js';
import { buildAskFixtureShop, FIXTURE_NOW, FIXTURE_TZ, type FixtureShop } from '../factories/ask-fixture-shop.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';

/*
 * Every number below is worked out by hand from the fixture shop (test/factories/ask-fixture-shop.ts).
 * Last week = 2025-03-10 … 03-16: sale orders O1 10000, O2 14000 (2000 refunded), O3 6000, O5 9500
 * → gross 39500, refunded 2000, net 37500, 4 orders (5 placed with the cancelled O4).
 */
const LAST_WEEK = { from: '2025-03-10', to: '2025-03-16' };
let t: TestDatabase;
let crm: Crm;
let shop: FixtureShop;
let ctx: ExecContext;

beforeAll(async () => {
  t = await createTestDatabase();
  crm = createCrm(t.db);
  shop = await buildAskFixtureShop(t.db);
  ctx = { crm, now: FIXTURE_NOW, timeZone: FIXTURE_TZ, currency: 'CNY', dormantDays: 90 };
}, 60_000);
afterAll(async () => {
  await t?.destroy();
});

function q(metric: Metric, span: { from: string; to: string } | null = LAST_WEEK, extra: { groupBy?: GroupBy; compare?: MetricQuery['compare']; limit?: number; filters?: AskFilters } = {}): MetricQuery {
  return { kind: 'metric', metric, from: span?.from ?? null, to: span?.to ?? null, groupBy: extra.groupBy ?? null, compare: extra.compare ?? null, limit: extra.limit ?? null, filters: extra.filters ?? {} };
}
async function metric(query: MetricQuery): Promise<MetricResult> {
  const r = await executeQuery(query, ctx);
  if (r.type !== 'metric') throw new Error(`expected a metric, got ${JSON.stringify(r)}`);
  return r;
}
const rows = (r: MetricResult) => Object.fromEntries((r.rows ?? []).map((x) => [String(x.key), x.value]));

describe('sales figures', () => {
  it('revenue is paid order value net of refunds, with gross and refunded beside it', async () => {
    const r = await metric(q('revenue'));
    expect(r).toMatchObject({ value: 37500, unit: 'money', currency: 'CNY', span: LAST_WEEK, empty: false });
    expect(r.figures).toEqual({ grossCents: 39500, refundedCents: 2000, orders: 4 });
  });

  it('compares with the previous period and the same period last year, absolute and relative', async () => {
    const r = await metric(q('revenue', LAST_WEEK, { compare: 'previous_period' }));
    expect(r.compare).toEqual({ kind: 'previous_period', span: { from: '2025-03-03', to: '2025-03-09' }, value: 2000, change: 35500, relative: 17.75 });
    const y = await metric(q('revenue', LAST_WEEK, { compare: 'previous_year' }));
    expect(y.compare).toEqual({ kind: 'previous_year', span: { from: '2024-03-10', to: '2024-03-16' }, value: 0, change: 37500, relative: null });
  });

  it('this week so far compares with the same weekdays of last week', async () => {
    const r = await metric(q('revenue', { from: '2025-03-17', to: '2025-03-20' }, { compare: 'previous_period' }));
    // O6 12000 fully refunded, O8 5000, O9 2000, O10 5000 → net 12000; Mon–Thu last week: O1 10000 + O2 12000 + O3 6000
    expect(r.value).toBe(12000);
    expect(r.compare).toMatchObject({ span: { from: '2025-03-10', to: '2025-03-13' }, value: 28000, change: -16000 });
    expect(r.compare?.relative).toBeCloseTo(-16000 / 28000, 10);
  });

  it('orders counts sale orders; a status filter counts that status', async () => {
    const r = await metric(q('orders'));
    expect(r.value).toBe(4);
    expect(r.figures).toMatchObject({ allOrders: 5, cancelled: 1, unpaid: 0 });
    expect((await metric(q('orders', LAST_WEEK, { filters: { status: 'cancelled' } }))).value).toBe(1);
    expect((await metric(q('orders', LAST_WEEK, { filters: { status: '已发货' } }))).value).toBe(1);
  });

  it('average order value is net revenue per sale order', async () => {
    const r = await metric(q('aov'));
    expect(r.value).toBe(9375);
    expect(r.figures).toMatchObject({ orders: 4, netCents: 37500, grossAovCents: 9875 });
  });

  it('refund rate is refunded over gross, with the share of orders refunded beside it', async () => {
    const r = await metric(q('refund_rate'));
    expect(r.value).toBeCloseTo(2000 / 39500, 12);
    expect(r.figures).toMatchObject({ refundedCents: 2000, grossCents: 39500, refundOrders: 1, orders: 4, orderRate: 0.25 });
  });

  it('refund amount is the refunds of the orders placed in the range', async () => {
    expect((await metric(q('refund_amount'))).value).toBe(2000);
    expect((await metric(q('refund_amount', { from: '2025-03-17', to: '2025-03-20' }))).value).toBe(12000);
  });

  it('breaks revenue down by local day, every day present, an order at 23:59:59.999 on its own day', async () => {
    const r = await metric(q('revenue', LAST_WEEK, { groupBy: 'day' }));
    expect(r.rows?.map((x) => [x.key, x.value])).toEqual([
      ['2025-03-10', 10000], ['2025-03-11', 12000], ['2025-03-12', 6000], ['2025-03-13', 0], ['2025-03-14', 0], ['2025-03-15', 9500], ['2025-03-16', 0],
    ]);
  });

  it('breaks revenue down by week (Monday keys) and month', async () => {
    const w = await metric(q('revenue', { from: '2025-03-03', to: '2025-03-20' }, { groupBy: 'week' }));
    expect(w.rows?.map((x) => [x.key, x.value])).toEqual([['2025-03-03', 2000], ['2025-03-10', 37500], ['2025-03-17', 12000]]);
    const m = await metric(q('revenue', { from: '2024-12-01', to: '2025-03-20' }, { groupBy: 'month' }));
    expect(m.rows?.map((x) => [x.key, x.value])).toEqual([['2024-12', 12000], ['2025-01', 5000], ['2025-02', 0], ['2025-03', 51500]]);
  });

  it('spreads each order over its items by their share of the subtotal, so products add up to the total', async () => {
    const r = await metric(q('revenue', LAST_WEEK, { groupBy: 'product' }));
    // TEA: O1 10000 + O5 5000×9500/9000; CUP: O2 2000 − 2000×2/14, O3 6000, O5 4000×9500/9000; POT: O2 12000 − 2000×12/14
    expect(rows(r)).toEqual({ 'TEA-001': 15278, 'CUP-002': 11936, 'POT-003': 10286 });
    expect(r.rows!.reduce((s, x) => s + x.value, 0)).toBe(37500);
    const c = await metric(q('revenue', LAST_WEEK, { groupBy: 'category' }));
    expect(rows(c)).toEqual({ home: 22222, food: 15278 });
  });

  it('breaks revenue down by shipping region and by customer segment', async () => {
    expect(rows(await metric(q('revenue', LAST_WEEK, { groupBy: 'region' })))).toEqual({ 广东省: 22000, 浙江省: 15500 });
    expect(rows(await metric(q('revenue', LAST_WEEK, { groupBy: 'segment' })))).toEqual({ champions: 10000, loyal: 12000, new_customers: 6000, promising: 9500 });
  });

  it('filters by region (with or without 省), category (by its Chinese name), product and exception', async () => {
    expect((await metric(q('revenue', LAST_WEEK, { filters: { region: '广东' } }))).value).toBe(22000);
    expect((await metric(q('revenue', LAST_WEEK, { filters: { region: '广东省' } }))).value).toBe(22000);
    const home = await metric(q('revenue', LAST_WEEK, { filters: { category: '家居' } }));
    expect(home.value).toBe(22222);
    expect(home.figures.orders).toBe(3);
    expect((await metric(q('revenue', LAST_WEEK, { filters: { product: '绿茶' } }))).value).toBe(15278);
    expect((await metric(q('orders', LAST_WEEK, { filters: { exception: 'any' } }))).value).toBe(1);
  });

  it('says a breakdown by channel applies to conversations, not orders', async () => {
    const r = await metric(q('revenue', LAST_WEEK, { groupBy: 'channel' }));
    expect(r.rows).toBeUndefined();
    expect(r.notes.map((n) => n.code)).toContain('channel_not_on_orders');
  });
});

describe('product rankings', () => {
  it('top products by net sales, with units and orders', async () => {
    const r = await metric(q('top_products', LAST_WEEK, { limit: 2 }));
    expect(r.rows?.map((x) => [x.key, x.value, x.values?.units, x.values?.orders])).toEqual([['TEA-001', 15278, 3, 2], ['CUP-002', 11936, 6, 3]]);
    expect(r.rows?.[0].name).toEqual({ zh: '绿茶', en: 'Green tea' });
  });

  it('most returned products: order events and return tickets, an order with both counted once', async () => {
    const r = await metric(q('top_returned_products'));
    // CUP: O2 (named), O3 (named), O5 (whole order, 2 cups); TEA: O5 (whole order), ticket on O1 (TEA×2); the ticket on O2 is not counted again
    expect(r.rows?.map((x) => [x.key, x.value, x.values?.units, x.values?.valueCents])).toEqual([['CUP-002', 3, 6, 12000], ['TEA-001', 2, 3, 15000]]);
    expect(r.value).toBe(5);
  });
});

describe('customer figures', () => {
  it('new customers are those whose first sale order is in the range', async () => {
    const r = await metric(q('new_customers'));
    expect(r.value).toBe(2);
    expect(r.figures).toEqual({ buyers: 4, returningCustomers: 2 });
    const byDay = await metric(q('new_customers', LAST_WEEK, { groupBy: 'day' }));
    expect(byDay.rows?.filter((x) => x.value > 0).map((x) => [x.key, x.value])).toEqual([['2025-03-12', 1], ['2025-03-15', 1]]);
  });

  it('new vs returning, with each side revenue', async () => {
    const r = await metric(q('new_vs_returning'));
    expect(r.value).toBe(0.5);
    expect(r.figures).toMatchObject({ buyers: 4, newCustomers: 2, returningCustomers: 2, newRevenueCents: 15500, returningRevenueCents: 22000, newShare: 0.5 });
  });

  it('repurchase rate: buyers with two or more sale orders ever, up to the range end', async () => {
    const r = await metric(q('repurchase_rate'));
    expect(r.value).toBe(0.5);
    expect(r.figures).toEqual({ buyers: 4, repeatBuyers: 2 });
    expect((await metric(q('repurchase_rate', LAST_WEEK, { filters: { region: '浙江' } }))).value).toBe(0);
  });

  it('customers now: merged-away records left out, by region and segment', async () => {
    const r = await metric(q('customers', null));
    expect(r.value).toBe(6);
    expect(r.span).toBeNull();
    expect(rows(await metric(q('customers', null, { groupBy: 'region' })))).toEqual({ 广东省: 2, 浙江省: 2, 上海市: 1, 北京市: 1 });
    expect((await metric(q('customers', null, { filters: { segment: '忠诚客户' } }))).value).toBe(1);
  });

  it('dormant customers: a sale order once, none in the last 90 days', async () => {
    const r = await metric(q('dormant_customers', null));
    expect(r.value).toBe(1);
    expect(r.sample?.map((s) => s.customerId)).toEqual([shop.ids.D]);
  });
});

describe('service figures', () => {
  it('open tickets now, with those past their SLA and the split by type', async () => {
    const r = await metric(q('open_tickets', null));
    expect(r.value).toBe(4);
    expect(r.figures).toEqual({ overdue: 3 });
    expect(rows(r)).toEqual({ return: 2, inquiry: 2 });
    expect((await metric(q('open_tickets', null, { filters: { ticketType: 'return' } }))).value).toBe(2);
  });

  it('SLA breaches among tickets opened in the range: resolved late, or still open past due', async () => {
    const r = await metric(q('sla_breaches'));
    expect(r.value).toBe(3);
    expect(r.figures).toEqual({ tickets: 4, rate: 0.75 });
  });

  it('CSAT is the share of 4–5 scores, with the average, by channel', async () => {
    const r = await metric(q('csat'));
    expect(r.value).toBe(0.75);
    expect(r.figures).toEqual({ responses: 4, average: 4, satisfied: 3 });
    const byChannel = await metric(q('csat', LAST_WEEK, { groupBy: 'channel' }));
    expect(rows(byChannel)).toEqual({ web: 1, terminal: 0, null: 1 });
  });

  it('automation: resolved by the bot alone, not reopened within 7 days (a later reopen does not count)', async () => {
    const r = await metric(q('automation_rate'));
    expect(r.value).toBe(0.4);
    expect(r.figures).toEqual({ conversations: 5, automated: 2, withHuman: 1, resolved: 4 });
    expect(r.notes.map((n) => n.code)).toContain('provisional_7_days');
    const byChannel = await metric(q('automation_rate', LAST_WEEK, { groupBy: 'channel' }));
    expect(rows(byChannel)).toEqual({ web: 0.5, terminal: 0 });
  });

  it('conversations started in the range, by channel', async () => {
    const r = await metric(q('conversations'));
    expect(r.value).toBe(5);
    expect(rows(await metric(q('conversations', LAST_WEEK, { groupBy: 'channel' })))).toEqual({ web: 4, terminal: 1 });
    expect((await metric(q('conversations', LAST_WEEK, { filters: { channel: 'terminal' } }))).value).toBe(1);
  });
});

describe('ranges', () => {
  it('a year before the first record has no data and says when records start', async () => {
    const r = await metric(q('revenue', { from: '1900-01-01', to: '1900-12-31' }));
    expect(r).toMatchObject({ value: 0, empty: true, firstRecord: '2024-12-01' });
  });

  it('a range in the future is answered "not yet", and one running past today is clipped to today', async () => {
    expect(await executeQuery(q('revenue', { from: '2025-04-01', to: '2025-04-30' }), ctx)).toEqual({ type: 'notice', notice: 'future', span: { from: '2025-04-01', to: '2025-04-30' } });
    const r = await metric(q('revenue', { from: '2025-03-01', to: '2025-03-31' }));
    expect(r.span).toEqual({ from: '2025-03-01', to: '2025-03-20' });
    expect(r.value).toBe(2000 + 37500 + 12000);
    expect(r.notes.map((n) => n.code)).toContain('clipped_to_today');
  });

  it('all time (no dates) runs from the first record to today', async () => {
    const r = await metric(q('revenue', null));
    expect(r.span).toEqual({ from: '2024-12-01', to: '2025-03-20' });
    expect(r.value).toBe(12000 + 5000 + 2000 + 37500 + 12000);
  });

  it('refuses a filter value it does not know instead of guessing', async () => {
    expect(await executeQuery(q('orders', LAST_WEEK, { filters: { status: 'lost-in-space' } }), ctx)).toMatchObject({ type: 'notice', notice: 'bad_filter' });
  });
});

describe('lookups', () => {
  const lookup = (l: LookupQuery['lookup'], customer: LookupQuery['customer'], order: string | null = null, extra: Partial<LookupQuery> = {}): LookupQuery =>
    ({ kind: 'lookup', lookup: l, customer, order, from: null, to: null, filters: {}, ...extra });
  const run = async (query: LookupQuery) => (await executeQuery(query, ctx)) as LookupResult;

  it('lists customers who share a name and asks which', async () => {
    const r = await run(lookup('customer', { name: '张三' }));
    expect(r.status).toBe('ambiguous');
    expect(r.matches?.map((m) => m.id)).toEqual([shop.ids.E, shop.ids.F]);
  });

  it('finds a customer by phone, e-mail or order number, with orders, tickets and conversations', async () => {
    for (const ref of [{ phone: '138 0013 8000' }, { email: 'Alice@Example.com' }] as const) {
      const r = await run(lookup('customer', ref));
      expect(r.status).toBe('found');
      expect(r.customer).toMatchObject({ id: shop.ids.A, name: '客户A', segment: 'champions', orders: 4 });
      expect(r.orders?.[0].orderNumber).toBe(shop.orders.O10);
      expect(r.tickets?.length).toBe(2);
      expect(r.conversations?.length).toBe(2);
    }
    expect((await run(lookup('customer', null, shop.orders.O3))).customer?.id).toBe(shop.ids.C);
  });

  it("lists a customer's orders and tickets", async () => {
    const o = await run(lookup('customer_orders', { name: '客户B' }));
    expect(o.orders?.map((x) => x.orderNumber)).toEqual([shop.orders.O8, shop.orders.O2, shop.orders.O11]);
    const tk = await run(lookup('customer_tickets', { name: '客户B' }));
    expect(tk.tickets?.map((x) => x.type)).toEqual(['return']);
  });

  it('says so for an unknown customer or order', async () => {
    expect(await run(lookup('customer', { name: '王五' }))).toMatchObject({ status: 'not_found', ref: { kind: 'name', value: '王五' } });
    expect(await run(lookup('order_timeline', null, 'SD9999999999'))).toMatchObject({ status: 'not_found' });
  });

  it('shows an order with its timeline, exceptions marked', async () => {
    const r = await run(lookup('order_timeline', null, shop.orders.O3.toLowerCase()));
    expect(r.order?.events.map((e) => [e.type, e.isException])).toEqual([['shipped', false], ['shipment_delayed', true], ['return_requested', false]]);
    expect(r.order?.customer.id).toBe(shop.ids.C);
  });

  it('lists the orders of a range with an exception', async () => {
    const r = await run(lookup('orders', null, null, { from: LAST_WEEK.from, to: LAST_WEEK.to, filters: { exception: 'any' } }));
    expect(r.total).toBe(1);
    expect(r.orders?.[0]).toMatchObject({ orderNumber: shop.orders.O3, exceptions: [{ type: 'shipment_delayed' }] });
  });
});

describe('with the summaries refreshed (last: it changes an order)', () => {
  const QUERIES: MetricQuery[] = [
    q('revenue'), q('revenue', LAST_WEEK, { groupBy: 'day' }), q('revenue', { from: '2024-12-01', to: '2025-03-20' }, { groupBy: 'month' }),
    q('revenue', LAST_WEEK, { groupBy: 'product' }), q('revenue', LAST_WEEK, { groupBy: 'category' }), q('orders'), q('orders', LAST_WEEK, { filters: { status: 'cancelled' } }),
    q('aov'), q('refund_rate'), q('refund_amount', { from: '2025-03-17', to: '2025-03-20' }), q('top_products', LAST_WEEK, { limit: 3 }),
    q('new_customers'), q('new_vs_returning'), q('repurchase_rate'), q('new_customers', LAST_WEEK, { groupBy: 'day' }),
  ];

  it('answers exactly as the live queries, and sees a change made after the refresh at once', async () => {
    const live = await Promise.all(QUERIES.map((x) => metric(x)));
    const dormantLive = await crm.analytics.dormantCustomers({ asOf: new Date(Date.now() + 60_000), days: 90, sampleSize: 5 });
    const refreshed = await crm.analytics.refreshSummaries({ timeZone: FIXTURE_TZ });
    expect(refreshed.customers).toBe('all');
    expect(await t.db.salesDaySummary.count()).toBeGreaterThan(0);
    expect(await Promise.all(QUERIES.map((x) => metric(x)))).toEqual(live);
    expect(await crm.analytics.dormantCustomers({ asOf: new Date(Date.now() + 60_000), days: 90, sampleSize: 5 })).toEqual(dormantLive);

    // cancel O10 (this week, 5000) after the refresh: the day is recomputed live
    await t.db.order.update({ where: { orderNumber: shop.orders.O10 }, data: { status: 'cancelled' } });
    expect((await metric(q('revenue', { from: '2025-03-17', to: '2025-03-20' }))).value).toBe(12000 - 5000);
    expect((await metric(q('orders', { from: '2025-03-17', to: '2025-03-20' }))).figures.cancelled).toBe(1);
    // an incremental refresh takes the change in and gives the same figures
    expect((await crm.analytics.refreshSummaries({ timeZone: FIXTURE_TZ })).days).toBe(1);
    expect((await metric(q('revenue', { from: '2025-03-17', to: '2025-03-20' }))).value).toBe(7000);
    // wiping (or seeding, whose bulk insert sets historical updatedAt) drops the summaries: queries run live
    await wipeShop(t.db);
    expect(await crm.analytics.summaryState()).toBeNull();
    expect(await t.db.salesDaySummary.count()).toBe(0);
    expect((await metric(q('revenue'))).value).toBe(0);
  });
});
