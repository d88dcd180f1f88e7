import type { Db } from '../../db/database-client.js';
import { assertRange, type DateRange } from './date-ranges.js';
import { allOf, bucketIndexSql, likeText, raw, SALE_IN, sql, timeBuckets, type FigureFilters, type Sql, type TimeUnit } from './ask-sql.js';
import { instantSql, num, ratio } from './sql-support.js';

/**
 * Customer figures for the managers' assistant, narrowed by the customer's region and segment.
 * A customer is new in a range when their first-ever sale order falls in it, returning when
 * they bought before it; the repurchase rate is the share of the range's buyers with two or more
 * sale orders ever placed before its end (see customer-metrics.ts for the same definitions).
 */
function customerFilterSql(f: FigureFilters, c = 'c'): Sql[] {
  const parts: Sql[] = [];
  if (f.region) parts.push(sql`LOWER(COALESCE(${raw(`${c}."region"`)}, '')) LIKE ${likeText(f.region, 'prefix')} ESCAPE '\\'`);
  if (f.segment) parts.push(sql`${raw(`${c}."rfmSegment"`)} = ${f.segment}`);
  return parts;
}

/** Per buyer in the range: first sale order ever, sale orders ever before the range's end, net revenue inside the range. */
function buyersSql(range: DateRange, f: FigureFilters): Sql {
  const from = instantSql(range.from);
  const to = instantSql(range.to);
  const narrowed = customerFilterSql(f);
  return sql`
    SELECT o."customerId" AS "customerId", MIN(o."placedAt") AS "firstAt", COUNT(*) AS "ordersEver",
           SUM(CASE WHEN o."placedAt" >= ${raw(from)} THEN o."totalCents" - o."refundedCents" ELSE 0 END) AS "netInRange"
      FROM "Order" o
     WHERE o."status" IN ${SALE_IN} AND o."placedAt" < ${raw(to)}
       AND o."customerId" IN (SELECT b."customerId" FROM "Order" b ${narrowed.length ? raw('JOIN "Customer" c ON c."id" = b."customerId"') : raw('')}
                               WHERE b."status" IN ${SALE_IN} AND b."placedAt" >= ${raw(from)} AND b."placedAt" < ${raw(to)} ${narrowed.length ? sql`AND ${allOf(narrowed)}` : raw('')})
     GROUP BY o."customerId"
    HAVING MAX(o."placedAt") >= ${raw(from)}`;
}

export interface BuyerFigures {
  /** Customers with a sale order in the range. */
  buyers: number;
  newCustomers: number;
  returningCustomers: number;
  /** Buyers with two or more sale orders ever (up to the range's end). */
  repeatBuyers: number;
  repurchaseRate: number;
  newRevenueCents: number;
  returningRevenueCents: number;
  /** New customers per time bucket, when asked. */
  rows?: { key: string; newCustomers: number }[];
}

export async function buyerFigures(db: Db, range: DateRange, opts: { filters?: FigureFilters; groupBy?: TimeUnit | null; timeZone: string }): Promise<BuyerFigures> {
  assertRange(range);
  const f = opts.filters ?? {};
  const from = raw(instantSql(range.from));
  const inner = buyersSql(range, f);
  const totals = db.$queryRaw<Record<string, unknown>[]>(sql`
    SELECT COUNT(*) AS "buyers", SUM(CASE WHEN t."firstAt" >= ${from} THEN 1 ELSE 0 END) AS "newCustomers",
           SUM(CASE WHEN t."ordersEver" >= 2 THEN 1 ELSE 0 END) AS "repeat",
           SUM(CASE WHEN t."firstAt" >= ${from} THEN t."netInRange" ELSE 0 END) AS "newRevenue", SUM(t."netInRange") AS "revenue"
      FROM (${inner}) t`);
  let rowsQuery: Promise<{ key: string; newCustomers: number }[]> | undefined;
  if (opts.groupBy) {
    const buckets = timeBuckets(range, opts.groupBy, opts.timeZone);
    rowsQuery = db.$queryRaw<Record<string, unknown>[]>(sql`
      SELECT ${bucketIndexSql('t."firstAt"', buckets)} AS "k", COUNT(*) AS "n" FROM (${inner}) t WHERE t."firstAt" >= ${from} GROUP BY 1`)
      .then((rows) => {
        const byIndex = new Map(rows.map((r) => [num(r.k), num(r.n)]));
        return buckets.map((b, i) => ({ key: b.key, newCustomers: byIndex.get(i) ?? 0 }));
      });
  }
  const [[t], rows] = await Promise.all([totals, rowsQuery]);
  const buyers = num(t.buyers);
  const newCustomers = num(t.newCustomers);
  const repeatBuyers = num(t.repeat);
  const newRevenueCents = num(t.newRevenue);
  return {
    buyers, newCustomers, returningCustomers: buyers - newCustomers, repeatBuyers, repurchaseRate: ratio(repeatBuyers, buyers),
    newRevenueCents, returningRevenueCents: num(t.revenue) - newRevenueCents, ...(rows ? { rows } : {}),
  };
}

export interface CustomerCount {
  total: number;
  /** By region or segment when asked; key null = not recorded / not scored. */
  rows?: { key: string | null; customers: number }[];
}

/** Customers on file now (merged-away and erased ones left out): a snapshot, no range. */
export async function customerCount(db: Db, opts: { filters?: FigureFilters; groupBy?: 'region' | 'segment' | null } = {}): Promise<CustomerCount> {
  const f = opts.filters ?? {};
  const where = allOf([sql`c."mergedIntoId" IS NULL AND c."erasedAt" IS NULL`, ...customerFilterSql(f)]);
  if (!opts.groupBy) {
    const [r] = await db.$queryRaw<Record<string, unknown>[]>(sql`SELECT COUNT(*) AS "n" FROM "Customer" c WHERE ${where}`);
    return { total: num(r.n) };
  }
  const key = raw(opts.groupBy === 'region' ? 'c."region"' : 'c."rfmSegment"');
  const rows = await db.$queryRaw<Record<string, unknown>[]>(sql`SELECT ${key} AS "k", COUNT(*) AS "n" FROM "Customer" c WHERE ${where} GROUP BY 1`);
  const out = rows.map((r) => ({ key: r.k === null ? null : String(r.k), customers: num(r.n) })).sort((a, b) => b.customers - a.customers || String(a.key).localeCompare(String(b.key)));
  return { total: out.reduce((s, r) => s + r.customers, 0), rows: out };
}
