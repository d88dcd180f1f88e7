import { SALE_STATUSES } from '../crm-constants.js';

/**
 * Helpers for the few raw aggregate queries. The SQL is written once for both providers:
 * identifiers are double-quoted, and instants are inlined as ISO-8601 text with an explicit
 * `+00:00` offset. That is byte-for-byte the format Prisma's better-sqlite3 adapter stores
 * DateTime in (so SQLite's text comparison orders correctly), and PostgreSQL reads the same
 * literal as a `timestamp(3)` in UTC (the offset of a literal is ignored for `timestamp`).
 * The literal comes from Date#toISOString, never from user text, so inlining it is safe.
 */
export function instantSql(instant: Date | number): string {
  const iso = new Date(instant).toISOString();
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(iso)) throw new RangeError(`Instant out of range: ${iso}`);
  return `'${iso.slice(0, -1)}+00:00'`;
}

/** `IN (...)` list of the statuses that count as sales; constants only. */
export const SALE_STATUS_SQL = `(${SALE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Aggregates come back as bigint (both providers), number, string or null; money fits a double. */
export function num(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return Number(String(v));
}

/** MAX/MIN of a DateTime come back as text on SQLite and as Date on PostgreSQL. */
export function instantOf(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v));
}

/** A share, 0 when the denominator is 0 (no orders, no customers). */
export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
