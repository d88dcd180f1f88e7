import type { Db } from '../../db/database-client.js';
import { AppError } from '../../shared/app-error.js';
import { RFM_SEGMENTS, SALE_STATUSES, type RfmSegment } from '../crm-constants.js';
import { assertRange, DAY_MS, type DateRange } from './date-ranges.js';
import type { MetricOptions } from './sales-metrics.js';
import { instantOf, instantSql, num, ratio, SALE_STATUS_SQL } from './sql-support.js';

/**
 * Per customer with a sale order in [from, to) (the IN list keeps the scan to those customers'
 * orders through the (customerId, placedAt) index instead of grouping the whole table): the first sale order ever, the number of sale
 * orders ever placed before `to`, and the net revenue inside the range.
 */
function activeCustomersSql(range: DateRange): string {
  const from = instantSql(range.from);
  return `SELECT "customerId", MIN("placedAt") AS "firstAt", COUNT(*) AS "ordersEver",
                 SUM(CASE WHEN "placedAt" >= ${from} THEN "totalCents" - "refundedCents" ELSE 0 END) AS "netInRange"
            FROM "Order"
           WHERE "status" IN ${SALE_STATUS_SQL} AND "placedAt" < ${instantSql(range.to)}
             AND "customerId" IN (SELECT "customerId" FROM "Order" WHERE "status" IN ${SALE_STATUS_SQL} AND "placedAt" >= ${from} AND "placedAt" < ${instantSql(range.to)})
           GROUP BY "customerId"
          HAVING MAX("placedAt") >= ${from}`;
}

export interface NewVsReturning {
  /** Customers with a sale order in the range. */
  customers: number;
  /** …whose first-ever sale order is in the range. */
  newCustomers: number;
  /** …who had a sale order before the range. */
  returningCustomers: number;
  newRevenueCents: number;
  returningRevenueCents: number;
}

export async function newVsReturningCustomers(db: Db, range: DateRange, _opts?: MetricOptions): Promise<NewVsReturning> {
  assertRange(range);
  const from = instantSql(range.from);
  const [row] = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT COUNT(*) AS "customers",
            SUM(CASE WHEN "firstAt" >= ${from} THEN 1 ELSE 0 END) AS "newCustomers",
            SUM(CASE WHEN "firstAt" >= ${from} THEN "netInRange" ELSE 0 END) AS "newRevenue",
            SUM("netInRange") AS "revenue"
       FROM (${activeCustomersSql(range)}) t`,
  );
  const customers = num(row.customers);
  const newCustomers = num(row.newCustomers);
  const newRevenueCents = num(row.newRevenue);
  return { customers, newCustomers, returningCustomers: customers - newCustomers, newRevenueCents, returningRevenueCents: num(row.revenue) - newRevenueCents };
}

export interface RepurchaseRate {
  customers: number;
  repeatCustomers: number;
  rate: number;
}

/**
 * Repurchase rate = repeatCustomers / customers, where `customers` are the distinct customers
 * with at least one sale order placed in [from, to), and `repeatCustomers` are those of them
 * with two or more sale orders placed at any time before `to` (orders before the range count;
 * orders after it do not). 0 when nobody bought in the range.
 */
export async function repurchaseRate(db: Db, range: DateRange, _opts?: MetricOptions): Promise<RepurchaseRate> {
  assertRange(range);
  const [row] = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT COUNT(*) AS "customers", SUM(CASE WHEN "ordersEver" >= 2 THEN 1 ELSE 0 END) AS "repeat"
       FROM (${activeCustomersSql(range)}) t`,
  );
  const customers = num(row.customers);
  const repeatCustomers = num(row.repeat);
  return { customers, repeatCustomers, rate: ratio(repeatCustomers, customers) };
}

export interface DormantCustomer {
  customerId: number;
  name: string;
  lastOrderAt: Date;
  orders: number;
  netCents: number;
}

export interface DormantCustomers {
  count: number;
  /** The most recently lapsed first (the likeliest to win back), then by id. */
  sample: DormantCustomer[];
}

/**
 * Customers with a sale order before `asOf` but none in the last `days` days (the `days × 24 h`
 * before `asOf`). Merged-away customers are left out.
 */
export async function dormantCustomers(db: Db, opts: { asOf: Date; days: number; sampleSize?: number }): Promise<DormantCustomers> {
  if (!Number.isInteger(opts.days) || opts.days < 1) throw new AppError('VALIDATION_FAILED', `days must be a positive integer, got ${opts.days}`);
  const sampleSize = opts.sampleSize ?? 10;
  if (!Number.isInteger(sampleSize) || sampleSize < 0 || sampleSize > 1000) throw new AppError('VALIDATION_FAILED', 'sampleSize must be 0–1000');
  const cutoff = instantSql(opts.asOf.getTime() - opts.days * DAY_MS);
  // One index probe per customer (customerId, placedAt) beats grouping every order; the window
  // count gives the total alongside the sample in one statement.
  // the summary (refreshed on a schedule, changed customers live) when there is one; else one probe per customer.
  // Loaded here: its SQL builder pulls in Prisma's runtime, which `shopdesk analytics --help` must not load.
  const { dormantFromSummary } = await import('./customer-summary-query.js');
  const rows: { id: unknown; lastAt: unknown; total: unknown }[] = (await dormantFromSummary(db, { asOf: opts.asOf, days: opts.days, sampleSize })) ?? await db.$queryRawUnsafe<{ id: unknown; lastAt: unknown; total: unknown }[]>(
    `SELECT "id", "lastAt", COUNT(*) OVER () AS "total"
       FROM (SELECT c."id", (SELECT MAX(o."placedAt") FROM "Order" o
                              WHERE o."customerId" = c."id" AND o."status" IN ${SALE_STATUS_SQL} AND o."placedAt" < ${instantSql(opts.asOf)}) AS "lastAt"
               FROM "Customer" c WHERE c."mergedIntoId" IS NULL) t
      WHERE "lastAt" < ${cutoff}
      ORDER BY "lastAt" DESC, "id" ASC
      LIMIT ${Math.max(sampleSize, 1)}`,
  );
  const sampleRows = rows.slice(0, sampleSize);
  const ids = sampleRows.map((r) => num(r.id));
  const [names, totals] = await Promise.all([
    db.customer.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
    db.order.groupBy({
      by: ['customerId'],
      where: { customerId: { in: ids }, status: { in: [...SALE_STATUSES] }, placedAt: { lt: opts.asOf } },
      _count: { _all: true },
      _sum: { totalCents: true, refundedCents: true },
    }),
  ]);
  const nameOf = new Map(names.map((c) => [c.id, c.name]));
  const totalsOf = new Map(totals.map((t) => [t.customerId, t]));
  return {
    count: rows.length === 0 ? 0 : num(rows[0].total),
    sample: sampleRows.map((r) => {
      const id = num(r.id);
      const t = totalsOf.get(id);
      return {
        customerId: id, name: nameOf.get(id) ?? '', lastOrderAt: instantOf(r.lastAt),
        orders: t?._count._all ?? 0, netCents: (t?._sum.totalCents ?? 0) - (t?._sum.refundedCents ?? 0),
      };
    }),
  };
}

export interface SegmentCount {
  /** An RFM segment key, or null for customers not scored (no sale order yet). */
  segment: RfmSegment | null;
  nameZh: string;
  nameEn: string;
  customers: number;
}

/** Customers per stored RFM segment (every segment listed, zero-filled; unscored last). A snapshot: no range. */
export async function customersBySegment(db: Db): Promise<SegmentCount[]> {
  const groups = await db.customer.groupBy({ by: ['rfmSegment'], where: { mergedIntoId: null }, _count: { _all: true } });
  const countOf = new Map(groups.map((g) => [g.rfmSegment, g._count._all]));
  const keys = Object.keys(RFM_SEGMENTS) as RfmSegment[];
  return [
    ...keys.map((k) => ({ segment: k, nameZh: RFM_SEGMENTS[k].zh, nameEn: RFM_SEGMENTS[k].en, customers: countOf.get(k) ?? 0 })),
    { segment: null, nameZh: '未评分', nameEn: 'Not scored', customers: countOf.get(null) ?? 0 },
  ];
}

export interface RegionFigures {
  region: string | null;
  /** Set when grouping by city. */
  city?: string | null;
  /** All customers on file there (merged-away ones excluded). */
  customers: number;
  /** Customers there with a sale order placed in the range. */
  buyers: number;
  orders: number;
  revenueCents: number;
}

/** Customers and net sales by the customer's region (or region + city), highest revenue first. */
export async function customersByRegion(db: Db, range: DateRange, opts: MetricOptions & { by?: 'region' | 'city' }): Promise<RegionFigures[]> {
  assertRange(range);
  const byCity = opts.by === 'city';
  const cols = byCity ? `c."region", c."city"` : `c."region"`;
  const [sales, counts] = await Promise.all([
    db.$queryRawUnsafe<{ region: string | null; city?: string | null; buyers: unknown; orders: unknown; revenue: unknown }[]>(
      `SELECT ${cols}, COUNT(DISTINCT o."customerId") AS "buyers", COUNT(*) AS "orders", SUM(o."totalCents" - o."refundedCents") AS "revenue"
         FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId"
        WHERE o."status" IN ${SALE_STATUS_SQL} AND o."placedAt" >= ${instantSql(range.from)} AND o."placedAt" < ${instantSql(range.to)}
        GROUP BY ${cols}`,
    ),
    db.customer.groupBy({ by: byCity ? ['region', 'city'] : ['region'], where: { mergedIntoId: null }, _count: { _all: true } }),
  ]);
  const key = (region: string | null, city: string | null | undefined) => JSON.stringify(byCity ? [region, city ?? null] : [region]);
  const out = new Map<string, RegionFigures>();
  for (const g of counts) {
    const city = (g as { city?: string | null }).city ?? null;
    out.set(key(g.region, city), { region: g.region, ...(byCity ? { city } : {}), customers: g._count._all, buyers: 0, orders: 0, revenueCents: 0 });
  }
  for (const s of sales) {
    const k = key(s.region, s.city);
    const row = out.get(k) ?? { region: s.region, ...(byCity ? { city: s.city ?? null } : {}), customers: 0, buyers: 0, orders: 0, revenueCents: 0 };
    row.buyers = num(s.buyers);
    row.orders = num(s.orders);
    row.revenueCents = num(s.revenue);
    out.set(k, row);
  }
  return [...out.values()].sort((a, b) => b.revenueCents - a.revenueCents || b.customers - a.customers || compareNullLast(a.region, b.region) || compareNullLast(a.city ?? null, b.city ?? null));
}

/** Unknown region/city sorts after named ones; names compare by code point so the order never depends on the host's locale. */
function compareNullLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
