import type { Db } from '../../db/database-client.js';
import { LIFECYCLE_STAGES, type LifecycleStage } from '../crm-constants.js';
import { addToGroup, applyCustomerUpdates, loadOrderStats, type CustomerOrderStats, type GroupedUpdates } from './customer-order-stats.js';
import { lifecycleStage } from './lifecycle-stage.js';

export interface LifecycleRun {
  /** Customers per stage after the run (only the one customer when `customerId` is given). */
  stages: Record<LifecycleStage, number>;
  /** Rows whose stored stage changed. */
  updated: number;
}

export function emptyStageCounts(): Record<LifecycleStage, number> {
  return Object.fromEntries(LIFECYCLE_STAGES.map((s) => [s, 0])) as Record<LifecycleStage, number>;
}

/** Recomputes and stores Customer.lifecycleStage for everyone, or for one customer; only changed rows are written. */
export async function recomputeLifecycle(
  db: Db, opts: { now: Date; customerId?: number }, preloaded?: Map<number, CustomerOrderStats>,
): Promise<LifecycleRun> {
  const stats = preloaded ?? await loadOrderStats(db, opts);
  const customers = await db.customer.findMany({
    where: opts.customerId !== undefined ? { id: opts.customerId } : {},
    select: { id: true, lifecycleStage: true },
  });
  const stages = emptyStageCounts();
  const groups: GroupedUpdates = new Map();
  for (const c of customers) {
    const s = stats.get(c.id);
    const stage = lifecycleStage({ saleOrders: s?.saleOrders ?? 0, firstOrderAt: s?.firstAt ?? null, lastOrderAt: s?.lastAt ?? null, now: opts.now });
    stages[stage] += 1;
    if (stage !== c.lifecycleStage) addToGroup(groups, { lifecycleStage: stage }, c.id);
  }
  return { stages, updated: await applyCustomerUpdates(db, groups) };
}
