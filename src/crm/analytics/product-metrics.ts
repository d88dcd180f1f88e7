import type { Db } from '../../db/database-client.js';
import { AppError } from '../../shared/app-error.js';
import { assertRange, type DateRange } from './date-ranges.js';
import { instantSql, num, SALE_STATUS_SQL } from './sql-support.js';

export interface TopProductsOptions {
  timeZone: string;
  /** At most this many products (1–1000, default 10). */
  limit?: number;
  /** Rank by item revenue (default) or by units sold. */
  by?: 'revenue' | 'quantity';
}

export interface TopProduct {
  productId: number | null;
  sku: string;
  nameZh: string;
  nameEn: string;
  quantity: number;
  /** Σ OrderItem.totalCents; order-level refunds, shipping and discounts are not spread over items. */
  revenueCents: number;
  orders: number;
}

/**
 * Best-selling products over the items of sale orders placed in the range, grouped by SKU
 * (items of deleted products still count under their SKU and item name). Ties break by SKU.
 */
export async function topProducts(db: Db, range: DateRange, opts: TopProductsOptions): Promise<TopProduct[]> {
  assertRange(range);
  const limit = opts.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new AppError('VALIDATION_FAILED', `limit must be 1–1000, got ${limit}`);
  const by = opts.by ?? 'revenue';
  const order = by === 'quantity' ? `"quantity" DESC, "revenue" DESC` : `"revenue" DESC, "quantity" DESC`;
  const rows = await db.$queryRawUnsafe<{ sku: string; productId: unknown; name: string; quantity: unknown; revenue: unknown; orders: unknown }[]>(
    `SELECT i."sku" AS "sku", MAX(i."productId") AS "productId", MAX(i."name") AS "name",
            SUM(i."quantity") AS "quantity", SUM(i."totalCents") AS "revenue", COUNT(DISTINCT i."orderId") AS "orders"
       FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o."id"
      WHERE o."status" IN ${SALE_STATUS_SQL} AND o."placedAt" >= ${instantSql(range.from)} AND o."placedAt" < ${instantSql(range.to)}
      GROUP BY i."sku"
      ORDER BY ${order}, "sku" ASC
      LIMIT ${limit}`,
  );
  const products = await db.product.findMany({ where: { sku: { in: rows.map((r) => r.sku) } }, select: { id: true, sku: true, nameZh: true, nameEn: true } });
  const bySku = new Map(products.map((p) => [p.sku, p]));
  return rows.map((r) => {
    const p = bySku.get(r.sku);
    return {
      productId: p?.id ?? (r.productId === null ? null : num(r.productId)),
      sku: r.sku,
      nameZh: p?.nameZh ?? r.name,
      nameEn: p?.nameEn ?? r.name,
      quantity: num(r.quantity),
      revenueCents: num(r.revenue),
      orders: num(r.orders),
    };
  });
}
