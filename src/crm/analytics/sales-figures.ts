import type { Db } from '../../db/database-client.js';
import { assertRange, type DateRange } from './date-ranges.js';
import { allOf, bucketIndexSql, inRange, itemFilterSql, orderFilterSql, raw, SALE_IN, sql, timeBuckets, type FigureFilters, type Sql, type TimeUnit } from './ask-sql.js';
import { num } from './sql-support.js';
import { salesFromSummary } from './sales-summary-query.js';

/**
 * Order figures for the managers' assistant: one total and, on request, a breakdown by time,
 * product, category, shipping region or customer segment, with filters. Revenue is the value
 * of sale orders (paid, not cancelled) placed in the range net of their refunds; gross and
 * refunded are kept beside it. Broken down by product or category, an order's net, gross and
 * refund are spread over its items in proportion to their share of the order's subtotal, so the
 * rows add up to the total.
 */
export type SalesGroup = TimeUnit | 'product' | 'category' | 'region' | 'segment';

export interface SalesRow {
  /** Bucket key (date, SKU, category, region, segment); null = not recorded. */
  key: string | null;
  orders: number;
  grossCents: number;
  refundedCents: number;
  netCents: number;
  /** Orders with any refund. */
  refundOrders: number;
  /** Units sold (product and category rows only). */
  units?: number;
  /** Product names (product rows only). */
  nameZh?: string;
  nameEn?: string;
}

export interface SalesFigures {
  total: SalesRow;
  rows?: SalesRow[];
  /** Every order placed in the range by status (sale or not), for the order count. */
  byStatus: Record<string, number>;
}

export interface SalesQuery {
  range: DateRange;
  timeZone: string;
  filters?: FigureFilters;
  groupBy?: SalesGroup | null;
}

type Raw = Record<string, unknown>;

/** An item's share of its order: its total over the order's subtotal (0 for a free order). */
const SHARE = raw('(CASE WHEN o."subtotalCents" > 0 THEN i."totalCents" * 1.0 / o."subtotalCents" ELSE 0 END)');

function statusCondition(f: FigureFilters): Sql {
  return f.status ? sql`o."status" IN ${SALE_IN} AND o."status" = ${f.status}` : sql`o."status" IN ${SALE_IN}`;
}

function row(r: Raw, key: string | null): SalesRow {
  const grossCents = Math.round(num(r.gross));
  const refundedCents = Math.round(num(r.refunded));
  return { key, orders: num(r.orders), grossCents, refundedCents, netCents: grossCents - refundedCents, refundOrders: num(r.refundOrders) };
}

export async function salesFigures(db: Db, q: SalesQuery): Promise<SalesFigures> {
  assertRange(q.range);
  // the day summary answers most questions on a big shop in a few ms (changed days recomputed live)
  const summarised = await salesFromSummary(db, q);
  if (summarised) return summarised;
  const f = q.filters ?? {};
  // a category or product filter counts only the matching items' share of each order
  const itemLevel = Boolean(f.category || f.product);
  const where = itemLevel
    ? allOf([inRange('o."placedAt"', q.range), ...orderFilterSql({ ...f, category: undefined, product: undefined }, q.range.from), ...itemFilterSql(f)])
    : allOf([inRange('o."placedAt"', q.range), ...orderFilterSql(f, q.range.from)]);
  const status = f.status ? sql`AND o."status" = ${f.status}` : sql``;
  const totalQuery = itemLevel
    ? db.$queryRaw<Raw[]>(sql`
      SELECT o."status" || '' AS "status", COUNT(DISTINCT o."id") AS "orders", SUM(o."totalCents" * ${SHARE}) AS "gross", SUM(o."refundedCents" * ${SHARE}) AS "refunded",
             COUNT(DISTINCT CASE WHEN o."refundedCents" > 0 THEN o."id" END) AS "refundOrders"
        FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o."id" LEFT JOIN "Product" p ON p."id" = i."productId"
       WHERE ${where} ${status} GROUP BY 1`)
    : db.$queryRaw<Raw[]>(sql`
      SELECT o."status" || '' AS "status", COUNT(*) AS "orders", SUM(o."totalCents") AS "gross", SUM(o."refundedCents") AS "refunded",
             SUM(CASE WHEN o."refundedCents" > 0 THEN 1 ELSE 0 END) AS "refundOrders"
        FROM "Order" o WHERE ${where} ${status} GROUP BY 1`);
  const [byStatusRows, rows] = await Promise.all([totalQuery, q.groupBy ? groupedRows(db, q, f) : Promise.resolve(undefined)]);
  const byStatus: Record<string, number> = {};
  const sale: Raw = { orders: 0, gross: 0, refunded: 0, refundOrders: 0 };
  const saleStatuses = new Set(['paid', 'processing', 'shipped', 'delivered', 'completed', 'partially_refunded', 'refunded']);
  for (const r of byStatusRows) {
    byStatus[String(r.status)] = num(r.orders);
    if (!saleStatuses.has(String(r.status))) continue;
    for (const k of ['orders', 'gross', 'refunded', 'refundOrders'] as const) sale[k] = num(sale[k]) + num(r[k]);
  }
  return { total: row(sale, null), rows, byStatus };
}

async function groupedRows(db: Db, q: SalesQuery, f: FigureFilters): Promise<SalesRow[]> {
  const g = q.groupBy!;
  const buckets = g === 'day' || g === 'week' || g === 'month' ? timeBuckets(q.range, g, q.timeZone) : undefined;
  const key = buckets ? bucketIndexSql('o."placedAt"', buckets)
    : raw(g === 'region' ? 'o."shipRegion"' : g === 'segment' ? 'c."rfmSegment"' : g === 'product' ? 'i."sku"' : 'p."category"');
  const customer = raw(g === 'segment' ? 'JOIN "Customer" c ON c."id" = o."customerId"' : '');
  // by product or category, or narrowed to some products: each order's figures spread over its items
  const itemLevel = g === 'product' || g === 'category' || Boolean(f.category || f.product);
  const rows = itemLevel
    ? await db.$queryRaw<Raw[]>(sql`
      SELECT ${key} AS "k", COUNT(DISTINCT o."id") AS "orders", SUM(o."totalCents" * ${SHARE}) AS "gross", SUM(o."refundedCents" * ${SHARE}) AS "refunded",
             COUNT(DISTINCT CASE WHEN o."refundedCents" > 0 THEN o."id" END) AS "refundOrders", SUM(i."quantity") AS "units",
             MAX(i."name") AS "itemName", MAX(p."nameZh") AS "nameZh", MAX(p."nameEn") AS "nameEn"
        FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o."id" LEFT JOIN "Product" p ON p."id" = i."productId" ${customer}
       WHERE ${allOf([statusCondition(f), inRange('o."placedAt"', q.range), ...orderFilterSql({ ...f, category: undefined, product: undefined }, q.range.from), ...itemFilterSql(f)])}
       GROUP BY 1`)
    : await db.$queryRaw<Raw[]>(sql`
      SELECT ${key} AS "k", COUNT(*) AS "orders", SUM(o."totalCents") AS "gross", SUM(o."refundedCents") AS "refunded",
             SUM(CASE WHEN o."refundedCents" > 0 THEN 1 ELSE 0 END) AS "refundOrders"
        FROM "Order" o ${customer} WHERE ${allOf([statusCondition(f), inRange('o."placedAt"', q.range), ...orderFilterSql(f, q.range.from)])} GROUP BY 1`);
  if (buckets) {
    const byIndex = new Map(rows.map((r) => [num(r.k), r]));
    return buckets.map((b, i) => row(byIndex.get(i) ?? {}, b.key));
  }
  return rows
    .map((r) => ({
      ...row(r, r.k === null ? null : String(r.k)),
      ...(itemLevel ? { units: num(r.units) } : {}),
      ...(g === 'product' ? { nameZh: String(r.nameZh ?? r.itemName ?? r.k), nameEn: String(r.nameEn ?? r.itemName ?? r.k) } : {}),
    }))
    .sort((a, b) => b.netCents - a.netCents || (b.units ?? 0) - (a.units ?? 0) || String(a.key).localeCompare(String(b.key)));
}
