import type { Db } from '../../db/database-client.js';
import { join, raw, SALE_IN, sql, type Sql } from './ask-sql.js';
import { DAY_MS } from './date-ranges.js';
import { dirtySince, summaryState } from './sales-summary.js';
import { instantSql, instantOf, num } from './sql-support.js';

/**
 * Customer figures from CustomerSalesSummary (first/last sale order per customer, refreshed on a
 * schedule), with the customers whose orders changed since the refresh computed live — so the
 * answers are exact. Undefined when there is no summary or too many changes.
 */
export async function changedCustomers(db: Db, asOf?: Date): Promise<Set<number> | undefined> {
  const state = await summaryState(db);
  if (!state || (asOf && asOf.getTime() < state.refreshedAt.getTime())) return undefined;
  const dirty = await dirtySince(db, state.refreshedAt, state.timeZone);
  return dirty?.customers;
}

/**
 * "Had a sale order before `from`" per buyer (alias b): the summary's first sale order, through a
 * hash join instead of one index probe per buyer; changed customers are probed live.
 */
export function priorFromSummary(changed: Set<number>, from: string): { join: Sql; prior: Sql } {
  const live = sql`EXISTS (SELECT 1 FROM "Order" p WHERE p."customerId" = b."customerId" AND p."status" IN ${SALE_IN} AND p."placedAt" < ${raw(from)})`;
  const ids = [...changed];
  return {
    join: raw('LEFT JOIN "CustomerSalesSummary" cs ON cs."customerId" = b."customerId"'),
    prior: ids.length
      ? sql`CASE WHEN b."customerId" IN (${join(ids)}) THEN (CASE WHEN ${live} THEN 1 ELSE 0 END) WHEN cs."firstSaleAt" < ${raw(from)} THEN 1 ELSE 0 END`
      : sql`CASE WHEN cs."firstSaleAt" < ${raw(from)} THEN 1 ELSE 0 END`,
  };
}

/** Dormant customers (a sale order before asOf, none in the last `days` days) as {id, lastAt, total} rows, newest lapse first. */
export async function dormantFromSummary(db: Db, opts: { asOf: Date; days: number; sampleSize: number }): Promise<{ id: number; lastAt: Date; total: number }[] | undefined> {
  const changed = await changedCustomers(db, opts.asOf);
  if (!changed) return undefined;
  const cutoff = raw(instantSql(opts.asOf.getTime() - opts.days * DAY_MS));
  const ids = [...changed];
  const notChanged = ids.length ? sql`AND s."customerId" NOT IN (${join(ids)})` : sql``;
  const [[counted], sample, live] = await Promise.all([
    db.$queryRaw<Record<string, unknown>[]>(sql`
      SELECT COUNT(*) AS "n" FROM "CustomerSalesSummary" s JOIN "Customer" c ON c."id" = s."customerId"
       WHERE c."mergedIntoId" IS NULL AND s."lastSaleAt" < ${cutoff} ${notChanged}`),
    db.$queryRaw<Record<string, unknown>[]>(sql`
      SELECT s."customerId" AS "id", s."lastSaleAt" AS "lastAt" FROM "CustomerSalesSummary" s JOIN "Customer" c ON c."id" = s."customerId"
       WHERE c."mergedIntoId" IS NULL AND s."lastSaleAt" < ${cutoff} ${notChanged}
       ORDER BY s."lastSaleAt" DESC, s."customerId" ASC LIMIT ${Math.max(opts.sampleSize, 1)}`),
    ids.length
      ? db.$queryRaw<Record<string, unknown>[]>(sql`
        SELECT o."customerId" AS "id", MAX(o."placedAt") AS "lastAt" FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId"
         WHERE c."mergedIntoId" IS NULL AND o."customerId" IN (${join(ids)}) AND o."status" IN ${SALE_IN} AND o."placedAt" < ${raw(instantSql(opts.asOf))}
         GROUP BY o."customerId"`)
      : Promise.resolve([]),
  ]);
  const cut = opts.asOf.getTime() - opts.days * DAY_MS;
  const liveDormant = live.map((r) => ({ id: num(r.id), lastAt: instantOf(r.lastAt) })).filter((r) => r.lastAt.getTime() < cut);
  const total = num(counted.n) + liveDormant.length;
  return [...sample.map((r) => ({ id: num(r.id), lastAt: instantOf(r.lastAt) })), ...liveDormant]
    .sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime() || a.id - b.id)
    .slice(0, Math.max(opts.sampleSize, 1))
    .map((r) => ({ ...r, total }));
}
