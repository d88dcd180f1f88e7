import type { Db } from '../../db/database-client.js';
import { RFM_SEGMENTS, type LifecycleStage, type RfmSegment } from '../crm-constants.js';
import { loadOrderStats } from './customer-order-stats.js';
import { emptyStageCounts, recomputeLifecycle, type LifecycleRun } from './lifecycle-service.js';
import { computeRfm, rescoreCustomer, type RfmRun } from './rfm-service.js';
import type { RfmScore } from './rfm-scoring.js';

export {
  AT_RISK_AFTER_DAYS, CHURNED_AFTER_DAYS, DORMANT_AFTER_DAYS, NEW_CUSTOMER_DAYS, lifecycleStage, type LifecycleInput,
} from './lifecycle-stage.js';
export {
  quintileBreakpoints, scoreRfm, segmentFor, segmentName, SEGMENT_GRID,
  type Breakpoints, type RfmScore, type RfmThresholds, type RfmValues,
} from './rfm-scoring.js';
export { computeRfm, loadRfmThresholds, rescoreCustomer, RFM_THRESHOLDS_KEY, type RfmRun } from './rfm-service.js';
export { recomputeLifecycle, type LifecycleRun } from './lifecycle-service.js';

/** Full segmentation run (nightly job, CLI): RFM with fresh breakpoints, then lifecycle stages, from one pass over the orders. */
export async function recomputeSegments(db: Db, opts: { now: Date; timeZone?: string }): Promise<{ rfm: RfmRun; lifecycle: LifecycleRun }> {
  const stats = await loadOrderStats(db, { now: opts.now });
  const rfm = await computeRfm(db, opts, stats);
  const lifecycle = await recomputeLifecycle(db, { now: opts.now }, stats);
  return { rfm, lifecycle };
}

/**
 * Call after an order of the customer is created, paid, cancelled or refunded: re-derives the
 * customer's lifecycle stage and re-scores RFM against the stored breakpoints.
 */
export async function onOrderChanged(db: Db, customerId: number, opts: { now: Date }): Promise<{ lifecycleStage: LifecycleStage; rfm: RfmScore | null }> {
  const stats = await loadOrderStats(db, { now: opts.now, customerId });
  const lifecycle = await recomputeLifecycle(db, { now: opts.now, customerId }, stats);
  const rfm = await rescoreCustomer(db, customerId, opts, stats.get(customerId) ?? null);
  const stage = (Object.entries(lifecycle.stages).find(([, n]) => n > 0)?.[0] ?? 'lead') as LifecycleStage;
  return { lifecycleStage: stage, rfm };
}

/** Stored customers per RFM segment and per lifecycle stage (merged-away customers left out). */
export async function segmentCounts(db: Db): Promise<{ rfm: Record<RfmSegment | 'unscored', number>; lifecycle: Record<LifecycleStage, number> }> {
  const where = { mergedIntoId: null };
  const [bySegment, byStage] = await Promise.all([
    db.customer.groupBy({ by: ['rfmSegment'], where, _count: { _all: true } }),
    db.customer.groupBy({ by: ['lifecycleStage'], where, _count: { _all: true } }),
  ]);
  const rfm: Record<string, number> = Object.fromEntries([...Object.keys(RFM_SEGMENTS), 'unscored'].map((k) => [k, 0]));
  for (const g of bySegment) rfm[g.rfmSegment ?? 'unscored'] = g._count._all;
  const lifecycle: Record<string, number> = emptyStageCounts();
  for (const g of byStage) lifecycle[g.lifecycleStage] = g._count._all;
  return { rfm: rfm as Record<RfmSegment | 'unscored', number>, lifecycle: lifecycle as Record<LifecycleStage, number> };
}
