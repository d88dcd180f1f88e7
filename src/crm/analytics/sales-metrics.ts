import type { Db } from '../../db/database-client.js';
import { SALE_STATUSES } from '../crm-constants.js';
import { assertRange, daysOf, type DateRange, type DayBucket } from './date-ranges.js';
import { instantSql, num, ratio, SALE_STATUS_SQL } from './sql-support.js';

/** Options every ranged metric takes; the zone matters only where results are bucketed by day. */
export interface MetricOptions {
  timeZone: string;
}

/** Orders that count as sales, placed in [from, to). */
function saleOrdersIn(range: DateRange) {
  assertRange(range);
  return { status: { in: [...SALE_STATUSES] }, placedAt: { gte: range.from, lt: range.to } };
}

export interface Revenue {
  /** Σ totalCents − Σ refundedCents of sale orders placed in the range. */
  netCents: number;
  /** Σ totalCents of the same orders. */
  grossCents: number;
  refundedCents: number;
  orders: number;
}

/** Sales revenue by placedAt: gross, refunds and net, over sale statuses only (cancelled/unpaid never count). */
export async function revenue(db: Db, range: DateRange, _opts?: MetricOptions): Promise<Revenue> {
  const agg = await db.order.aggregate({ where: saleOrdersIn(range), _sum: { totalCents: true, refundedCents: true }, _count: { _all: true } });
  const grossCents = agg._sum.totalCents ?? 0;
  const refundedCents = agg._sum.refundedCents ?? 0;
  return { netCents: grossCents - refundedCents, grossCents, refundedCents, orders: agg._count._all };
}

export interface OrderCount {
  /** Orders in a sale status (the number used everywhere else). */
  saleOrders: number;
  /** Every order placed in the range, whatever its status. */
  allOrders: number;
  byStatus: Record<string, number>;
}

export async function orderCount(db: Db, range: DateRange, _opts?: MetricOptions): Promise<OrderCount> {
  assertRange(range);
  // `|| ''` keeps SQLite from walking the status index (then fetching every row to test placedAt).
  const groups = await db.$queryRawUnsafe<{ status: string; n: unknown }[]>(
    `SELECT "status" || '' AS "status", COUNT(*) AS "n" FROM "Order"
      WHERE "placedAt" >= ${instantSql(range.from)} AND "placedAt" < ${instantSql(range.to)} GROUP BY 1`,
  );
  const byStatus: Record<string, number> = {};
  let allOrders = 0;
  let saleOrders = 0;
  for (const g of groups) {
    const n = num(g.n);
    byStatus[g.status] = n;
    allOrders += n;
    if ((SALE_STATUSES as readonly string[]).includes(g.status)) saleOrders += n;
  }
  return { saleOrders, allOrders, byStatus };
}

export interface AverageOrderValue {
  orders: number;
  /** Net revenue per sale order, rounded to whole cents; 0 without orders. */
  netCents: number;
  /** Gross (order total at purchase) per sale order, rounded to whole cents. */
  grossCents: number;
}

export async function averageOrderValue(db: Db, range: DateRange, opts?: MetricOptions): Promise<AverageOrderValue> {
  const r = await revenue(db, range, opts);
  return { orders: r.orders, netCents: Math.round(ratio(r.netCents, r.orders)), grossCents: Math.round(ratio(r.grossCents, r.orders)) };
}

export interface RefundRate {
  refundedCents: number;
  grossCents: number;
  /** refundedCents / grossCents of sale orders placed in the range (refunds are attributed to the order's placing day). */
  amountRate: number;
  ordersWithRefund: number;
  orders: number;
  /** Share of those sale orders with any refund (refundedCents > 0). */
  orderRate: number;
}

export async function refundRate(db: Db, range: DateRange, opts?: MetricOptions): Promise<RefundRate> {
  const [r, ordersWithRefund] = await Promise.all([
    revenue(db, range, opts),
    db.order.count({ where: { ...saleOrdersIn(range), refundedCents: { gt: 0 } } }),
  ]);
  return {
    refundedCents: r.refundedCents,
    grossCents: r.grossCents,
    amountRate: ratio(r.refundedCents, r.grossCents),
    ordersWithRefund,
    orders: r.orders,
    orderRate: ratio(ordersWithRefund, r.orders),
  };
}

export interface DayRevenue {
  /** Local date in the shop's zone. */
  date: string;
  revenueCents: number;
  grossCents: number;
  orders: number;
}

/**
 * Net revenue and sale-order count per local day of the shop's zone, every day of the range
 * present (zero-filled). Day boundaries are computed in JS (DST-correct) and the database
 * buckets rows with one CASE over those instants, so only one row per day comes back.
 */
export async function revenueByDay(db: Db, range: DateRange, opts: MetricOptions): Promise<DayRevenue[]> {
  assertRange(range);
  const days = daysOf(range, opts.timeZone);
  if (days.length === 0) return [];
  const rows = await db.$queryRawUnsafe<{ bucket: unknown; gross: unknown; refunded: unknown; orders: unknown }[]>(
    `SELECT ${dayBucketSql(days, 0, days.length - 1)} AS "bucket", SUM("totalCents") AS "gross", SUM("refundedCents") AS "refunded", COUNT(*) AS "orders"
       FROM "Order"
      WHERE "status" IN ${SALE_STATUS_SQL} AND "placedAt" >= ${instantSql(range.from)} AND "placedAt" < ${instantSql(range.to)}
      GROUP BY 1`,
  );
  const out = days.map((d) => ({ date: d.date, revenueCents: 0, grossCents: 0, orders: 0 }));
  for (const row of rows) {
    const day = out[num(row.bucket)];
    day.grossCents = num(row.gross);
    day.revenueCents = day.grossCents - num(row.refunded);
    day.orders = num(row.orders);
  }
  return out;
}

/** The day index of "placedAt" as a nested CASE that bisects the boundaries: ~log2(days) comparisons per row instead of ~days/2. */
function dayBucketSql(days: DayBucket[], lo: number, hi: number): string {
  if (lo === hi) return String(lo);
  const mid = (lo + hi) >> 1;
  return `CASE WHEN "placedAt" < ${instantSql(days[mid].to)} THEN ${dayBucketSql(days, lo, mid)} ELSE ${dayBucketSql(days, mid + 1, hi)} END`;
}
