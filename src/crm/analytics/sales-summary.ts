import type { Db } from '../../db/database-client.js';
import { dayRange, daysOf, localDateString, type DayBucket } from './date-ranges.js';
import { bucketIndexSql, join, raw, SALE_IN, sql, type Sql } from './ask-sql.js';
import { instantSql, num } from './sql-support.js';

/**
 * Summaries for the managers' assistant on big shops (issue 9: p99 ≤ 200 ms on 1M orders):
 * sales per local day (SalesDaySummary) and each customer's first/last sale order
 * (CustomerSalesSummary), refreshed on a schedule. A query reads the summary for days whose
 * orders did not change since the refresh and recomputes the others live (`dirtySince`), so
 * answers are exact. Changes are seen through Order.updatedAt, which Prisma sets on every update;
 * a raw SQL update that leaves it alone needs a full refresh (`refreshSummaries({ full: true })`).
 */
export const SUMMARY_SETTING = 'ask.summary';
/** More changed orders than this since the refresh: queries skip the summary and run live. */
export const MAX_DIRTY_ORDERS = 5000;

export type DayRowKind = 'order' | 'sku' | 'category';

export interface DayRow {
  day: string;
  kind: DayRowKind;
  /** '' for order rows, else the SKU or the category. */
  key: string;
  status: string;
  orders: number;
  units: number;
  grossCents: number;
  refundedCents: number;
  refundOrders: number;
  name: string | null;
}

export interface SummaryState {
  timeZone: string;
  /** Changes at or after this instant are not in the summaries. */
  refreshedAt: Date;
}

export async function summaryState(db: Db): Promise<SummaryState | null> {
  const row = await db.setting.findUnique({ where: { key: SUMMARY_SETTING } });
  if (!row) return null;
  const v = JSON.parse(row.value) as { timeZone?: string; refreshedAt?: string };
  return v.timeZone && v.refreshedAt ? { timeZone: v.timeZone, refreshedAt: new Date(v.refreshedAt) } : null;
}

/**
 * Forgets the summaries: queries run live until the next (full) refresh. For writers that set
 * Order.updatedAt themselves (the demo seed's bulk insert gives orders their historical times,
 * which would look unchanged since a refresh) and for wiping the shop.
 */
export async function invalidateSummaries(db: Pick<Db, 'setting' | 'salesDaySummary' | 'customerSalesSummary'>): Promise<void> {
  await db.setting.deleteMany({ where: { key: SUMMARY_SETTING } });
  await db.salesDaySummary.deleteMany();
  await db.customerSalesSummary.deleteMany();
}

/** Orders changed since an instant: their local days and customers, or null when there are too many. */
export async function dirtySince(db: Db, since: Date, timeZone: string): Promise<{ days: Set<string>; customers: Set<number> } | null> {
  const rows = await db.order.findMany({ where: { updatedAt: { gte: since } }, select: { placedAt: true, customerId: true }, take: MAX_DIRTY_ORDERS + 1 });
  if (rows.length > MAX_DIRTY_ORDERS) return null;
  return { days: new Set(rows.map((r) => localDateString(r.placedAt, timeZone))), customers: new Set(rows.map((r) => r.customerId)) };
}

/** `placedAt` inside any of the days (adjacent days merged into one range). */
function daysCondition(days: DayBucket[]): Sql {
  const ranges: { from: Date; to: Date }[] = [];
  for (const d of days) {
    const last = ranges.at(-1);
    if (last && last.to.getTime() === d.from.getTime()) last.to = d.to;
    else ranges.push({ from: d.from, to: d.to });
  }
  return join(ranges.map((r) => raw(`(o."placedAt" >= ${instantSql(r.from)} AND o."placedAt" < ${instantSql(r.to)})`)), ' OR ', '(', ')');
}

const SHARE = raw('(CASE WHEN o."subtotalCents" > 0 THEN CAST(i."totalCents" AS DOUBLE PRECISION) / o."subtotalCents" ELSE 0 END)');

/** The day rows of some local days (in order), computed from the orders themselves. */
export async function liveDayRows(db: Db, days: DayBucket[]): Promise<DayRow[]> {
  if (days.length === 0) return [];
  const bucket = bucketIndexSql('o."placedAt"', days);
  const where = daysCondition(days);
  const itemsBy = (key: Sql) => db.$queryRaw<Record<string, unknown>[]>(sql`
    SELECT t."b" AS "b", t."status" AS "status", t."k" AS "k", COUNT(*) AS "orders", SUM(t."units") AS "units", SUM(t."gross") AS "gross",
           SUM(t."refunded") AS "refunded", SUM(t."rf") AS "refundOrders", MAX(t."name") AS "name"
      FROM (SELECT ${bucket} AS "b", o."status" AS "status", ${key} AS "k", o."id" AS "id", SUM(i."quantity") AS "units",
                   SUM(o."totalCents" * ${SHARE}) AS "gross", SUM(o."refundedCents" * ${SHARE}) AS "refunded",
                   MAX(CASE WHEN o."refundedCents" > 0 THEN 1 ELSE 0 END) AS "rf", MAX(i."name") AS "name"
              FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o."id" LEFT JOIN "Product" p ON p."id" = i."productId"
             WHERE ${where} AND o."status" IN ${SALE_IN}
             GROUP BY 1, 2, 3, 4) t
     GROUP BY 1, 2, 3`);
  const [orders, skus, categories] = await Promise.all([
    db.$queryRaw<Record<string, unknown>[]>(sql`
      SELECT ${bucket} AS "b", o."status" AS "status", COUNT(*) AS "orders", SUM(o."totalCents") AS "gross", SUM(o."refundedCents") AS "refunded",
             SUM(CASE WHEN o."refundedCents" > 0 THEN 1 ELSE 0 END) AS "refundOrders"
        FROM "Order" o WHERE ${where} GROUP BY 1, 2`),
    itemsBy(raw('i."sku"')),
    itemsBy(raw(`COALESCE(p."category", '')`)),
  ]);
  const rowOf = (kind: DayRowKind, r: Record<string, unknown>): DayRow => ({
    day: days[num(r.b)].date, kind, key: kind === 'order' ? '' : String(r.k), status: String(r.status), orders: num(r.orders), units: num(r.units),
    grossCents: num(r.gross), refundedCents: num(r.refunded), refundOrders: num(r.refundOrders), name: kind === 'sku' && r.name !== null && r.name !== undefined ? String(r.name) : null,
  });
  return [...orders.map((r) => rowOf('order', r)), ...skus.map((r) => rowOf('sku', r)), ...categories.map((r) => rowOf('category', r))];
}

/** Summary rows of the days in [fromDay, toDay] except `skip`. */
export async function storedDayRows(db: Db, fromDay: string, toDay: string, skip: Set<string>, kinds: DayRowKind[]): Promise<DayRow[]> {
  const rows = await db.salesDaySummary.findMany({ where: { day: { gte: fromDay, lte: toDay, ...(skip.size ? { notIn: [...skip] } : {}) }, kind: { in: kinds } } });
  return rows.map((r) => ({ ...r, kind: r.kind as DayRowKind }));
}

/**
 * Brings the summaries up to date: everything (first run, another zone, `full`) or only the days
 * and customers whose orders changed since the last refresh. The new state records the instant
 * the refresh started, so a change made while it runs is picked up next time.
 */
export async function refreshSummaries(db: Db, opts: { timeZone: string; now?: Date; full?: boolean }): Promise<{ days: number; customers: number | 'all' }> {
  const started = opts.now ?? new Date();
  const state = await summaryState(db);
  const dirty = state && state.timeZone === opts.timeZone && !opts.full ? await dirtySince(db, state.refreshedAt, opts.timeZone) : null;
  let days: DayBucket[];
  if (dirty) {
    days = [...dirty.days].sort().map((d) => dayBucket(d, opts.timeZone));
  } else {
    const first = await db.order.findFirst({ orderBy: { placedAt: 'asc' }, select: { placedAt: true } });
    const last = await db.order.findFirst({ orderBy: { placedAt: 'desc' }, select: { placedAt: true } });
    days = first && last ? daysOf({ from: dayRange(first.placedAt, opts.timeZone).from, to: dayRange(last.placedAt, opts.timeZone).to }, opts.timeZone) : [];
    await db.salesDaySummary.deleteMany();
  }
  for (let i = 0; i < days.length; i += 31) {
    const chunk = days.slice(i, i + 31);
    const rows = await liveDayRows(db, chunk);
    await db.$transaction([
      db.salesDaySummary.deleteMany({ where: { day: { in: chunk.map((d) => d.date) } } }),
      db.salesDaySummary.createMany({ data: rows }),
    ]);
  }
  await refreshCustomers(db, dirty ? [...dirty.customers] : null);
  const value = JSON.stringify({ timeZone: opts.timeZone, refreshedAt: started.toISOString() });
  await db.setting.upsert({ where: { key: SUMMARY_SETTING }, create: { key: SUMMARY_SETTING, value }, update: { value } });
  return { days: days.length, customers: dirty ? dirty.customers.size : 'all' };
}

/** One whole local day as a bucket. */
export function dayBucket(date: string, timeZone: string): DayBucket {
  const r = dayRange(date, timeZone);
  return { date, from: r.from, to: r.to };
}

/** CustomerSalesSummary for some customers (null = everyone), from their sale orders. */
async function refreshCustomers(db: Db, ids: number[] | null): Promise<void> {
  const only = ids ? sql`AND o."customerId" IN (${join(ids.length ? ids : [-1])})` : sql``;
  await db.$transaction([
    ids ? db.customerSalesSummary.deleteMany({ where: { customerId: { in: ids } } }) : db.customerSalesSummary.deleteMany(),
    db.$executeRaw(sql`
      INSERT INTO "CustomerSalesSummary" ("customerId", "firstSaleAt", "lastSaleAt", "saleOrders")
      SELECT o."customerId", MIN(o."placedAt"), MAX(o."placedAt"), COUNT(*) FROM "Order" o
       WHERE o."status" IN ${SALE_IN} ${only} GROUP BY o."customerId"`),
  ]);
}

