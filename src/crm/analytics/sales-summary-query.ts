import type { Db } from '../../db/database-client.js';
import { SALE_STATUSES } from '../crm-constants.js';
import { mondayOf, timeBuckets } from './ask-sql.js';
import { dayRange, localDateString } from './date-ranges.js';
import { dayBucket, dirtySince, liveDayRows, storedDayRows, summaryState, type DayRow, type DayRowKind } from './sales-summary.js';
import type { SalesFigures, SalesQuery, SalesRow } from './sales-figures.js';

/**
 * Sales figures from the day summary: stored rows for days whose orders did not change since the
 * refresh, live rows for the others. Returns undefined when the summary cannot answer (none yet,
 * another zone, a filter other than status, a breakdown by region or segment, a range that is not
 * whole local days, too many changes): the caller then computes everything live.
 */
const SALE = new Set<string>(SALE_STATUSES);

export async function salesFromSummary(db: Db, q: SalesQuery): Promise<SalesFigures | undefined> {
  const f = q.filters ?? {};
  if (Object.entries(f).some(([k, v]) => v !== undefined && k !== 'status')) return undefined;
  if (q.groupBy === 'region' || q.groupBy === 'segment') return undefined;
  const state = await summaryState(db);
  if (!state || state.timeZone !== q.timeZone) return undefined;
  const fromDay = localDateString(q.range.from, q.timeZone);
  const toDay = localDateString(q.range.to.getTime() - 1, q.timeZone);
  if (dayRange(fromDay, q.timeZone).from.getTime() !== q.range.from.getTime() || dayRange(toDay, q.timeZone).to.getTime() !== q.range.to.getTime()) return undefined;
  const dirty = await dirtySince(db, state.refreshedAt, q.timeZone);
  if (!dirty) return undefined;
  const live = [...dirty.days].filter((d) => d >= fromDay && d <= toDay).sort();
  const kinds: DayRowKind[] = ['order', ...(q.groupBy === 'product' ? ['sku' as const] : q.groupBy === 'category' ? ['category' as const] : [])];
  const [stored, fresh] = await Promise.all([
    storedDayRows(db, fromDay, toDay, new Set(live), kinds),
    liveDayRows(db, live.map((d) => dayBucket(d, q.timeZone))),
  ]);
  const rows = [...stored, ...fresh.filter((r) => kinds.includes(r.kind))].filter((r) => !f.status || r.status === f.status);
  const byStatus: Record<string, number> = {};
  const total = empty(null);
  for (const r of rows) {
    if (r.kind !== 'order') continue;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.orders;
    if (SALE.has(r.status)) add(total, r);
  }
  const out: SalesFigures = { total: finish(total), byStatus };
  if (!q.groupBy) return out;
  if (q.groupBy === 'day' || q.groupBy === 'week' || q.groupBy === 'month') {
    const buckets = new Map(timeBuckets(q.range, q.groupBy, q.timeZone).map((b) => [b.key, empty(b.key)]));
    const keyOf = q.groupBy === 'day' ? (d: string) => d : q.groupBy === 'week' ? mondayOf : (d: string) => d.slice(0, 7);
    for (const r of rows) if (r.kind === 'order' && SALE.has(r.status)) { const b = buckets.get(keyOf(r.day)); if (b) add(b, r); }
    out.rows = [...buckets.values()].map(finish);
    return out;
  }
  const groups = new Map<string, SalesRow & { units: number }>();
  for (const r of rows) {
    if (r.kind === 'order' || !SALE.has(r.status)) continue;
    const g = groups.get(r.key) ?? { ...empty(r.key), units: 0 };
    add(g, r);
    g.units += r.units;
    if (r.name && !g.nameZh) g.nameZh = r.name;
    groups.set(r.key, g);
  }
  if (q.groupBy === 'product') {
    const products = await db.product.findMany({ where: { sku: { in: [...groups.keys()] } }, select: { sku: true, nameZh: true, nameEn: true } });
    for (const p of products) Object.assign(groups.get(p.sku)!, { nameZh: p.nameZh, nameEn: p.nameEn });
    for (const g of groups.values()) g.nameEn ??= g.nameZh ?? String(g.key);
  }
  out.rows = [...groups.values()]
    .map((g) => ({ ...finish(g), units: g.units, ...(q.groupBy === 'product' ? { nameZh: g.nameZh ?? String(g.key), nameEn: g.nameEn } : {}) }))
    .map((g) => (g.key === '' ? { ...g, key: null } : g))
    .sort((a, b) => b.netCents - a.netCents || (b.units ?? 0) - (a.units ?? 0) || String(a.key).localeCompare(String(b.key)));
  return out;
}

function empty(key: string | null): SalesRow {
  return { key, orders: 0, grossCents: 0, refundedCents: 0, netCents: 0, refundOrders: 0 };
}

function add(into: SalesRow, r: DayRow): void {
  into.orders += r.orders;
  into.grossCents += r.grossCents;
  into.refundedCents += r.refundedCents;
  into.refundOrders += r.refundOrders;
}

function finish<T extends SalesRow>(r: T): T {
  const grossCents = Math.round(r.grossCents);
  const refundedCents = Math.round(r.refundedCents);
  return { ...r, grossCents, refundedCents, netCents: grossCents - refundedCents };
}
