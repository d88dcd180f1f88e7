import { z } from 'zod';
import type { Db } from '../../db/database-client.js';
import { localDateString } from '../analytics/date-ranges.js';
import { addToGroup, applyCustomerUpdates, loadOrderStats, type CustomerOrderStats, type GroupedUpdates } from './customer-order-stats.js';
import { quintileBreakpoints, scoreRfm, type RfmScore, type RfmThresholds, type RfmValues } from './rfm-scoring.js';

/** Setting key under which the last computed quintile breakpoints are kept. */
export const RFM_THRESHOLDS_KEY = 'rfm.thresholds';

const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 900_000;

const breakpoints = z.tuple([z.number(), z.number(), z.number(), z.number()]);
const thresholdsSchema = z.object({
  recency: breakpoints, frequency: breakpoints, monetary: breakpoints,
  customers: z.number().int(), computedAt: z.string(), timeZone: z.string().nullable(),
});

/**
 * Whole days between the last order and `now`: calendar days in `timeZone`, or elapsed 24-hour
 * periods without one. Local midnights fall on quarter-hour UTC instants in every zone, so the
 * local date is memoised per quarter-hour (20k customers would otherwise cost 20k Intl calls).
 */
function recencyCounter(now: Date, timeZone: string | null): (lastAt: Date) => number {
  if (!timeZone) return (lastAt) => Math.max(0, Math.floor((now.getTime() - lastAt.getTime()) / DAY_MS));
  const memo = new Map<number, number>();
  const dayNumber = (t: Date) => {
    const key = Math.floor(t.getTime() / QUARTER_HOUR_MS);
    let day = memo.get(key);
    if (day === undefined) {
      day = Date.parse(localDateString(t, timeZone)) / DAY_MS;
      memo.set(key, day);
    }
    return day;
  };
  const today = dayNumber(now);
  return (lastAt) => Math.max(0, today - dayNumber(lastAt));
}

function valuesOf(stats: CustomerOrderStats, recency: (lastAt: Date) => number): RfmValues {
  return { recencyDays: recency(stats.lastAt), frequency: stats.saleOrders, monetaryCents: stats.netCents };
}

function patchOf(score: RfmScore | null) {
  return score
    ? { rfmRecency: score.r, rfmFrequency: score.f, rfmMonetary: score.m, rfmSegment: score.segment as string }
    : { rfmRecency: null, rfmFrequency: null, rfmMonetary: null, rfmSegment: null };
}

export async function loadRfmThresholds(db: Db): Promise<RfmThresholds | null> {
  const row = await db.setting.findUnique({ where: { key: RFM_THRESHOLDS_KEY } });
  if (!row) return null;
  const parsed = thresholdsSchema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : null;
}

export interface RfmRun {
  /** Customers scored (those with at least one sale order up to `now`). */
  customers: number;
  /** Customer rows whose stored scores changed. */
  updated: number;
  thresholds: RfmThresholds;
}

/**
 * Scores every customer with a sale order up to `now` (R from days since the last one, F from
 * their number, M from net spend), stores rfmRecency/rfmFrequency/rfmMonetary as 1–5 scores and
 * rfmSegment, clears them for customers without sale orders, and saves the breakpoints under
 * `rfm.thresholds` for rescoreCustomer. Only changed rows are written, grouped per identical value.
 */
export async function computeRfm(db: Db, opts: { now: Date; timeZone?: string }, preloaded?: Map<number, CustomerOrderStats>): Promise<RfmRun> {
  const stats = preloaded ?? await loadOrderStats(db, { now: opts.now });
  const recency = recencyCounter(opts.now, opts.timeZone ?? null);
  const values = new Map<number, RfmValues>();
  for (const [id, s] of stats) values.set(id, valuesOf(s, recency));
  const all = [...values.values()];
  const thresholds: RfmThresholds = {
    recency: quintileBreakpoints(all.map((v) => v.recencyDays)),
    frequency: quintileBreakpoints(all.map((v) => v.frequency)),
    monetary: quintileBreakpoints(all.map((v) => v.monetaryCents)),
    customers: all.length,
    computedAt: opts.now.toISOString(),
    timeZone: opts.timeZone ?? null,
  };
  const current = await db.customer.findMany({ select: { id: true, rfmRecency: true, rfmFrequency: true, rfmMonetary: true, rfmSegment: true } });
  const groups: GroupedUpdates = new Map();
  for (const c of current) {
    const v = values.get(c.id);
    const patch = patchOf(v ? scoreRfm(v, thresholds) : null);
    if (patch.rfmRecency !== c.rfmRecency || patch.rfmFrequency !== c.rfmFrequency || patch.rfmMonetary !== c.rfmMonetary || patch.rfmSegment !== c.rfmSegment) {
      addToGroup(groups, patch, c.id);
    }
  }
  const updated = await applyCustomerUpdates(db, groups);
  const value = JSON.stringify(thresholds);
  await db.setting.upsert({ where: { key: RFM_THRESHOLDS_KEY }, create: { key: RFM_THRESHOLDS_KEY, value }, update: { value } });
  return { customers: all.length, updated, thresholds };
}

/**
 * Re-scores one customer against the stored breakpoints (after an order change), so the rest
 * of the shop keeps its scores until the next full run. Without stored breakpoints it runs the
 * full computeRfm once. Returns the new score, or null when the customer has no sale order.
 */
export async function rescoreCustomer(db: Db, customerId: number, opts: { now: Date }, preloaded?: CustomerOrderStats | null): Promise<RfmScore | null> {
  const thresholds = await loadRfmThresholds(db);
  if (!thresholds) {
    await computeRfm(db, { now: opts.now });
    const c = await db.customer.findUnique({ where: { id: customerId }, select: { rfmRecency: true, rfmFrequency: true, rfmMonetary: true, rfmSegment: true } });
    if (!c || c.rfmRecency === null || c.rfmFrequency === null || c.rfmMonetary === null || c.rfmSegment === null) return null;
    return { r: c.rfmRecency, f: c.rfmFrequency, m: c.rfmMonetary, segment: c.rfmSegment as RfmScore['segment'] };
  }
  const stats = preloaded !== undefined ? preloaded : (await loadOrderStats(db, { now: opts.now, customerId })).get(customerId) ?? null;
  const score = stats ? scoreRfm(valuesOf(stats, recencyCounter(opts.now, thresholds.timeZone)), thresholds) : null;
  await db.customer.updateMany({ where: { id: customerId }, data: patchOf(score) });
  return score;
}
