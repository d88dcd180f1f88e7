import type { Db } from '../../db/database-client.js';
import { assertRange, type DateRange } from './date-ranges.js';
import { allOf, bucketIndexSql, inRange, likeText, raw, SALE_IN, sql, timeBuckets, type FigureFilters, type Sql, type TimeUnit } from './ask-sql.js';
import { instantSql, num, ratio } from './sql-support.js';
import { changedCustomers, priorFromSummary } from './customer-summary-query.js';

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

/**
 * Per buyer in the range: sale orders and net revenue inside it, their first order inside it, and
 * whether they had a sale order before it (`prior`, one index probe per buyer on (customerId,
 * placedAt)). New = no prior order; two or more sale orders ever up to the range's end = two in
 * the range, or one in it and a prior one. Only the range's orders are read, never a buyer's whole history.
 */
function buyersSql(range: DateRange, f: FigureFilters, changed: Set<number> | undefined): Sql {
  const from = raw(instantSql(range.from));
  const narrowed = customerFilterSql(f);
  // with the customer summary: a hash join on it (changed customers probed live); without: one probe per buyer
  const summary = changed ? priorFromSummary(changed, instantSql(range.from)) : undefined;
  const prior = summary?.prior ?? sql`CASE WHEN EXISTS (SELECT 1 FROM "Order" p WHERE p."customerId" = b."customerId" AND p."status" IN ${SALE_IN} AND p."placedAt" < ${from}) THEN 1 ELSE 0 END`;
  return sql`
    SELECT b."customerId" AS "customerId", b."n" AS "n", b."net" AS "net", b."firstAt" AS "firstAt", ${prior} AS "prior"
      FROM (SELECT o."customerId" AS "customerId", COUNT(*) AS "n", SUM(o."totalCents" - o."refundedCents") AS "net", MIN(o."placedAt") AS "firstAt"
              FROM "Order" o ${narrowed.length ? raw('JOIN "Customer" c ON c."id" = o."customerId"') : raw('')}
             WHERE o."status" IN ${SALE_IN} AND ${inRange('o."placedAt"', range)} ${narrowed.length ? sql`AND ${allOf(narrowed)}` : raw('')}
             GROUP BY o."customerId") b ${summary?.join ?? raw('')}`;
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
  /** New customers per time bucket (of their first order), when asked. */
  rows?: { key: string; newCustomers: number }[];
}

export async function buyerFigures(db: Db, range: DateRange, opts: { filters?: FigureFilters; groupBy?: TimeUnit | null; timeZone: string }): Promise<BuyerFigures> {
  assertRange(range);
  const f = opts.filters ?? {};
  const inner = buyersSql(range, f, await changedCustomers(db));
  const buckets = opts.groupBy ? timeBuckets(range, opts.groupBy, opts.timeZone) : [];
  const key = opts.groupBy ? bucketIndexSql('t."firstAt"', buckets) : raw('0');
  // one row per bucket of the buyers' first order in the range; totals are their sums
  const rows = await db.$queryRaw<Record<string, unknown>[]>(sql`
    SELECT ${key} AS "k", COUNT(*) AS "buyers", SUM(1 - t."prior") AS "newCustomers",
           SUM(CASE WHEN t."n" >= 2 OR t."prior" = 1 THEN 1 ELSE 0 END) AS "repeat",
           SUM(CASE WHEN t."prior" = 0 THEN t."net" ELSE 0 END) AS "newRevenue", SUM(t."net") AS "revenue"
      FROM (${inner}) t GROUP BY 1`);
  const sum = (k: string) => rows.reduce((a, r) => a + num(r[k]), 0);
  const buyers = sum('buyers');
  const newCustomers = sum('newCustomers');
  const repeatBuyers = sum('repeat');
  const newRevenueCents = sum('newRevenue');
  const out: BuyerFigures = {
    buyers, newCustomers, returningCustomers: buyers - newCustomers, repeatBuyers, repurchaseRate: ratio(repeatBuyers, buyers),
    newRevenueCents, returningRevenueCents: sum('revenue') - newRevenueCents,
  };
  if (opts.groupBy) {
    const byIndex = new Map(rows.map((r) => [num(r.k), num(r.newCustomers)]));
    out.rows = buckets.map((b, i) => ({ key: b.key, newCustomers: byIndex.get(i) ?? 0 }));
  }
  return out;
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
