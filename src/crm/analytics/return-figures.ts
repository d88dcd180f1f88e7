import type { Db } from '../../db/database-client.js';
import { assertRange, type DateRange } from './date-ranges.js';
import { allOf, inRange, itemFilterSql, orderFilterSql, sql, type FigureFilters } from './ask-sql.js';
import { num } from './sql-support.js';

export interface ReturnedProduct {
  sku: string;
  nameZh: string;
  nameEn: string;
  /** Return requests that named this product (or covered its whole order). */
  requests: number;
  units: number;
  /** Item value of those units at the price paid. */
  valueCents: number;
}

type Raw = Record<string, unknown>;

/**
 * Products most often asked back, over the return requests made in the range. A return request
 * is an order event `return_requested` (the shop's order feed) or, for an order without one, a
 * `return` ticket (the chat's return flow). A request covers the SKU it names (event detail
 * `return of SKU`, ticket details.items) or, naming none, every item of its order.
 */
export async function topReturnedProducts(db: Db, range: DateRange, opts: { filters?: FigureFilters; limit?: number } = {}): Promise<ReturnedProduct[]> {
  assertRange(range);
  const f = opts.filters ?? {};
  const limit = Math.min(Math.max(opts.limit ?? 10, 1), 100);
  const [fromEvents, tickets] = await Promise.all([
    db.$queryRaw<Raw[]>(sql`
      SELECT i."sku" AS "sku", COUNT(DISTINCT e."orderId") AS "requests", SUM(i."quantity") AS "units", SUM(i."totalCents") AS "value",
             MAX(i."name") AS "itemName", MAX(p."nameZh") AS "nameZh", MAX(p."nameEn") AS "nameEn"
        FROM "OrderEvent" e JOIN "Order" o ON o."id" = e."orderId" JOIN "OrderItem" i ON i."orderId" = e."orderId" LEFT JOIN "Product" p ON p."id" = i."productId"
       WHERE ${allOf([
         sql`e."type" = 'return_requested'`, inRange('e."at"', range),
         sql`(e."detail" IS NULL OR e."detail" NOT LIKE 'return of %' OR e."detail" = 'return of the whole order' OR e."detail" = 'return of ' || i."sku")`,
         ...orderFilterSql({ ...f, category: undefined, product: undefined, status: undefined }), ...itemFilterSql(f),
       ])}
       GROUP BY i."sku"`),
    db.ticket.findMany({
      where: { type: 'return', createdAt: { gte: range.from, lt: range.to }, orderId: { not: null }, order: { events: { none: { type: 'return_requested' } } } },
      select: { details: true, order: { select: { shipRegion: true, customer: { select: { rfmSegment: true } }, items: { select: { sku: true, name: true, quantity: true, totalCents: true, product: { select: { nameZh: true, nameEn: true, category: true } } } } } } },
      take: 5000,
    }),
  ]);
  const bySku = new Map<string, ReturnedProduct>();
  for (const r of fromEvents) {
    const sku = String(r.sku);
    bySku.set(sku, { sku, nameZh: String(r.nameZh ?? r.itemName ?? sku), nameEn: String(r.nameEn ?? r.itemName ?? sku), requests: num(r.requests), units: num(r.units), valueCents: num(r.value) });
  }
  for (const t of tickets) {
    const order = t.order;
    if (!order) continue;
    if (f.region && !(order.shipRegion ?? '').toLowerCase().startsWith(f.region.toLowerCase())) continue;
    if (f.segment && order.customer.rfmSegment !== f.segment) continue;
    const named = ticketSkus(t.details);
    for (const item of order.items) {
      if (named && !named.includes(item.sku)) continue;
      if (f.category && item.product?.category !== f.category) continue;
      if (f.product && !matchesProduct(f.product, item.sku, [item.name, item.product?.nameZh, item.product?.nameEn])) continue;
      const entry = bySku.get(item.sku) ?? { sku: item.sku, nameZh: item.product?.nameZh ?? item.name, nameEn: item.product?.nameEn ?? item.name, requests: 0, units: 0, valueCents: 0 };
      entry.requests += 1;
      entry.units += item.quantity;
      entry.valueCents += item.totalCents;
      bySku.set(item.sku, entry);
    }
  }
  return [...bySku.values()].sort((a, b) => b.requests - a.requests || b.units - a.units || a.sku.localeCompare(b.sku)).slice(0, limit);
}

/** The SKUs a return ticket names in details.items, or undefined for the whole order. */
function ticketSkus(details: string | null): string[] | undefined {
  if (!details) return undefined;
  try {
    const items = (JSON.parse(details) as { items?: unknown }).items;
    return Array.isArray(items) && items.length > 0 && items.every((s) => typeof s === 'string') ? (items as string[]) : undefined;
  } catch {
    return undefined;
  }
}

function matchesProduct(needle: string, sku: string, names: (string | null | undefined)[]): boolean {
  const n = needle.toLowerCase();
  return sku === needle.toUpperCase() || names.some((x) => (x ?? '').toLowerCase().includes(n));
}
