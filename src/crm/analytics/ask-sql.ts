import { empty, join, raw, sqltag as sql, type Sql } from '@prisma/client/runtime/client';
import { EXCEPTION_EVENT_TYPES, SALE_STATUSES } from '../crm-constants.js';
import { daysOf, type DateRange } from './date-ranges.js';
import { instantSql } from './sql-support.js';

/**
 * SQL pieces for the managers' assistant's figures (issue 9). Every value that came from a
 * question (a region, a category, a product name) is a bound parameter of Prisma's tagged
 * template; only constants and instants from Date#toISOString are inlined (see instantSql).
 * Nothing here turns text into SQL.
 */
export { empty, join, raw, sql, type Sql };

/** Optional narrowing of a figure; every field is a value from the typed query, bound as a parameter. */
export interface FigureFilters {
  /** An order status (already checked against ORDER_STATUSES by the caller). */
  status?: string;
  /** Start of a region name: the order's shipping region (orders) or the customer's region (customers). */
  region?: string;
  /** An exception event type, or `any`. */
  exception?: string;
  category?: string;
  /** A SKU or part of a product name (zh or en). */
  product?: string;
  /** An RFM segment key. */
  segment?: string;
  /** A conversation channel (conversations, CSAT, automation). */
  channel?: string;
  /** A ticket type (tickets). */
  ticketType?: string;
}

export type TimeUnit = 'day' | 'week' | 'month';

export interface TimeBucket {
  /** day: YYYY-MM-DD; week: the Monday, YYYY-MM-DD; month: YYYY-MM. */
  key: string;
  from: Date;
  to: Date;
}

/** `x >= from AND x < to` for a quoted column. */
export function inRange(column: string, range: DateRange): Sql {
  return raw(`${column} >= ${instantSql(range.from)} AND ${column} < ${instantSql(range.to)}`);
}

export const SALE_IN = raw(`(${SALE_STATUSES.map((s) => `'${s}'`).join(', ')})`);

/** Escapes LIKE wildcards of user text; pair with ESCAPE '\'. */
export function likeText(text: string, mode: 'prefix' | 'contains'): string {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase();
  return mode === 'prefix' ? `${escaped}%` : `%${escaped}%`;
}

/**
 * Conditions on an order row aliased `o` for the filters that apply to orders. `status` is left
 * to the caller (it decides between the sale statuses and one status). With `placedFrom` (the
 * range's start) an exception filter reads the exception events from that instant on through the
 * (type, at) index, instead of probing every order's events.
 */
export function orderFilterSql(f: FigureFilters, placedFrom?: Date): Sql[] {
  const parts: Sql[] = [];
  if (f.region) parts.push(sql`LOWER(COALESCE(o."shipRegion", '')) LIKE ${likeText(f.region, 'prefix')} ESCAPE '\\'`);
  if (f.exception) {
    const types = f.exception === 'any' ? join(EXCEPTION_EVENT_TYPES.map((t) => raw(`'${t}'`))) : sql`${f.exception}`;
    parts.push(placedFrom
      ? sql`o."id" IN (SELECT x."orderId" FROM "OrderEvent" x WHERE x."type" IN (${types}) AND x."at" >= ${raw(instantSql(placedFrom))})`
      : sql`EXISTS (SELECT 1 FROM "OrderEvent" x WHERE x."orderId" = o."id" AND x."type" IN (${types}))`);
  }
  if (f.category || f.product) {
    parts.push(sql`EXISTS (SELECT 1 FROM "OrderItem" xi LEFT JOIN "Product" xp ON xp."id" = xi."productId" WHERE xi."orderId" = o."id" AND ${join(itemFilterSql(f, 'xi', 'xp'), ' AND ')})`);
  }
  if (f.segment) parts.push(sql`EXISTS (SELECT 1 FROM "Customer" xc WHERE xc."id" = o."customerId" AND xc."rfmSegment" = ${f.segment})`);
  return parts;
}

/** Conditions on an order item (alias `i`) and its product (alias `p`, left-joined) for category/product filters. */
export function itemFilterSql(f: FigureFilters, i = 'i', p = 'p'): Sql[] {
  const parts: Sql[] = [];
  if (f.category) parts.push(sql`${raw(`${p}."category"`)} = ${f.category}`);
  if (f.product) {
    const like = likeText(f.product, 'contains');
    parts.push(sql`(${raw(`${i}."sku"`)} = ${f.product.toUpperCase()} OR LOWER(${raw(`${i}."name"`)}) LIKE ${like} ESCAPE '\\' OR LOWER(COALESCE(${raw(`${p}."nameZh"`)}, '')) LIKE ${like} ESCAPE '\\' OR LOWER(COALESCE(${raw(`${p}."nameEn"`)}, '')) LIKE ${like} ESCAPE '\\')`);
  }
  return parts;
}

/** AND of conditions (TRUE when none). */
export function allOf(parts: Sql[]): Sql {
  return parts.length ? join(parts, ' AND ') : raw('1 = 1');
}

/** The local days, Monday-weeks or months a range touches, in order, clipped to the range. */
export function timeBuckets(range: DateRange, unit: TimeUnit, timeZone: string): TimeBucket[] {
  const out: TimeBucket[] = [];
  for (const day of daysOf(range, timeZone)) {
    const key = unit === 'day' ? day.date : unit === 'month' ? day.date.slice(0, 7) : mondayOf(day.date);
    const last = out.at(-1);
    if (last && last.key === key) last.to = day.to;
    else out.push({ key, from: day.from, to: day.to });
  }
  return out;
}

/** The Monday on or before a YYYY-MM-DD date. */
export function mondayOf(date: string): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() - ((t.getUTCDay() + 6) % 7));
  return t.toISOString().slice(0, 10);
}

/** The bucket index of a DateTime column as a CASE that bisects the boundaries (~log2(n) comparisons a row). */
export function bucketIndexSql(column: string, buckets: readonly { to: Date }[]): Sql {
  const build = (lo: number, hi: number): string => {
    if (lo === hi) return String(lo);
    const mid = (lo + hi) >> 1;
    return `CASE WHEN ${column} < ${instantSql(buckets[mid].to)} THEN ${build(lo, mid)} ELSE ${build(mid + 1, hi)} END`;
  };
  return raw(buckets.length ? build(0, buckets.length - 1) : '0');
}
