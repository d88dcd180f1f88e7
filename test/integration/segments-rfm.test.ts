import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database-client.js';
import {
  computeRfm, loadRfmThresholds, onOrderChanged, recomputeLifecycle, recomputeSegments, rescoreCustomer, RFM_THRESHOLDS_KEY, segmentCounts,
} from '../../src/crm/segments/index.js';
import { buildCustomer, buildOrder, buildProduct } from '../factories/shop-builders.js';
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from '../factories/test-database.js';

/*
 * Ten buyers with hand-picked R (days since last order), F (sale orders) and M (net cents),
 * every order at 10:00 Shanghai time, now = 2025-06-30 12:00 Shanghai:
 *
 *   cust  F  order amounts (net)                 M      R  | R F M  FM  segment             lifecycle
 *   c1    1  1000                              1000    400 | 1 1 1  1   lost                churned
 *   c2    1  6000                              6000      3 | 5 1 3  2   potential_loyalist  new
 *   c3    2  1000 1000                         2000    200 | 2 2 1  2   hibernating         dormant
 *   c4    2  4500 4500                         9000     40 | 3 2 4  3   need_attention      active
 *   c5    3  1000 1500 1500                    4000    100 | 2 3 2  3   at_risk             at_risk
 *   c6    3  4000 4000 5000(−1000 refund)     12000     10 | 4 3 4  4   loyal               active
 *   c7    4  1000 2000 2000 2000               7000     70 | 3 4 3  4   loyal               active
 *   c8    5  4000 ×5                          20000      1 | 5 4 5  5   champions           active
 *   c9    6  500 ×6                            3000    250 | 1 5 2  4   at_risk             dormant
 *   c10   8  3750 ×8                          30000     20 | 4 5 5  5   loyal               active
 *   c11   only a cancelled order                            | unscored                       lead
 *   c12   no orders                                         | unscored                       lead
 *
 * Nearest-rank quintile breakpoints over the ten (values sorted, elements 2, 4, 6, 8):
 *   R 1 3 10 20 40 70 100 200 250 400        → [3, 20, 70, 200]
 *   F 1 1 2 2 3 3 4 5 6 8                    → [1, 2, 3, 5]
 *   M 1000 2000 3000 4000 6000 7000 9000 12000 20000 30000 → [2000, 4000, 7000, 12000]
 */
const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;
const NOW = new Date('2025-06-30T12:00:00+08:00');
const at10 = (daysAgo: number) => new Date(new Date('2025-06-30T10:00:00+08:00').getTime() - daysAgo * DAY);

const SHOP: { key: string; amounts: number[]; refundOnLast?: number; recency: number }[] = [
  { key: 'c1', amounts: [1000], recency: 400 },
  { key: 'c2', amounts: [6000], recency: 3 },
  { key: 'c3', amounts: [1000, 1000], recency: 200 },
  { key: 'c4', amounts: [4500, 4500], recency: 40 },
  { key: 'c5', amounts: [1000, 1500, 1500], recency: 100 },
  { key: 'c6', amounts: [4000, 4000, 5000], refundOnLast: 1000, recency: 10 },
  { key: 'c7', amounts: [1000, 2000, 2000, 2000], recency: 70 },
  { key: 'c8', amounts: [4000, 4000, 4000, 4000, 4000], recency: 1 },
  { key: 'c9', amounts: [500, 500, 500, 500, 500, 500], recency: 250 },
  { key: 'c10', amounts: [3750, 3750, 3750, 3750, 3750, 3750, 3750, 3750], recency: 20 },
];
const EXPECTED: Record<string, [number, number, number, string] | null> = {
  c1: [1, 1, 1, 'lost'], c2: [5, 1, 3, 'potential_loyalist'], c3: [2, 2, 1, 'hibernating'], c4: [3, 2, 4, 'need_attention'],
  c5: [2, 3, 2, 'at_risk'], c6: [4, 3, 4, 'loyal'], c7: [3, 4, 3, 'loyal'], c8: [5, 4, 5, 'champions'],
  c9: [1, 5, 2, 'at_risk'], c10: [4, 5, 5, 'loyal'], c11: null, c12: null,
};
const STAGES: Record<string, string> = {
  c1: 'churned', c2: 'new', c3: 'dormant', c4: 'active', c5: 'at_risk', c6: 'active',
  c7: 'active', c8: 'active', c9: 'dormant', c10: 'active', c11: 'lead', c12: 'lead',
};

let t: TestDatabase;
let db: Db;
let productId = 0;
const ids: Record<string, number> = {};

async function buildShop(): Promise<void> {
  productId = (await buildProduct(db, { sku: 'RFM-1', priceCents: 100 })).id;
  for (const c of SHOP) {
    ids[c.key] = (await buildCustomer(db, { name: c.key })).id;
    // Oldest first, a week apart, the last one `recency` days ago.
    for (const [i, amount] of c.amounts.entries()) {
      const isLast = i === c.amounts.length - 1;
      await buildOrder(db, {
        customerId: ids[c.key], status: 'completed', placedAt: at10(c.recency + 7 * (c.amounts.length - 1 - i)),
        items: [{ productId, quantity: 1, unitPriceCents: amount }], refundedCents: isLast ? c.refundOnLast ?? 0 : 0,
      });
    }
  }
  ids.c11 = (await buildCustomer(db, { name: 'c11' })).id;
  await buildOrder(db, { customerId: ids.c11, status: 'cancelled', placedAt: at10(5), items: [{ productId, quantity: 1, unitPriceCents: 9000 }] });
  // A stale segment that a full run must clear.
  ids.c12 = (await buildCustomer(db, { name: 'c12', rfmSegment: 'champions', lifecycleStage: 'active' })).id;
}

async function stored() {
  const rows = await db.customer.findMany({ select: { id: true, rfmRecency: true, rfmFrequency: true, rfmMonetary: true, rfmSegment: true, lifecycleStage: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return Object.fromEntries(Object.entries(ids).map(([key, id]) => {
    const r = byId.get(id)!;
    return [key, { rfm: r.rfmSegment === null ? null : [r.rfmRecency, r.rfmFrequency, r.rfmMonetary, r.rfmSegment], stage: r.lifecycleStage }];
  }));
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await buildShop();
});

afterAll(async () => {
  await t?.destroy();
});

describe(`segments on a hand-scored shop (${TEST_PROVIDER})`, () => {
  it('scores every buyer by quintiles, maps segments and stages, and clears stale scores', async () => {
    const run = await recomputeSegments(db, { now: NOW, timeZone: TZ });
    expect(run.rfm.customers).toBe(10);
    expect(run.rfm.thresholds).toMatchObject({ recency: [3, 20, 70, 200], frequency: [1, 2, 3, 5], monetary: [2000, 4000, 7000, 12000], customers: 10, timeZone: TZ });
    expect(run.lifecycle.stages).toEqual({ lead: 2, new: 1, active: 5, at_risk: 1, dormant: 2, churned: 1 });
    const s = await stored();
    expect(Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.rfm]))).toEqual(EXPECTED);
    expect(Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.stage]))).toEqual(STAGES);
  });

  it('saves the breakpoints in the Setting table', async () => {
    const row = await db.setting.findUnique({ where: { key: RFM_THRESHOLDS_KEY } });
    expect(JSON.parse(row!.value)).toMatchObject({ recency: [3, 20, 70, 200], monetary: [2000, 4000, 7000, 12000] });
    expect((await loadRfmThresholds(db))?.frequency).toEqual([1, 2, 3, 5]);
  });

  it('writes nothing on a second run with the same data', async () => {
    const again = await recomputeSegments(db, { now: NOW, timeZone: TZ });
    expect([again.rfm.updated, again.lifecycle.updated]).toEqual([0, 0]);
  });

  it('counts stored segments and stages', async () => {
    const counts = await segmentCounts(db);
    expect(counts.rfm).toEqual({
      champions: 1, loyal: 3, potential_loyalist: 1, new_customers: 0, promising: 0, need_attention: 1,
      about_to_sleep: 0, at_risk: 2, cannot_lose: 0, hibernating: 1, lost: 1, unscored: 2,
    });
    expect(counts.lifecycle).toEqual({ lead: 2, new: 1, active: 5, at_risk: 1, dormant: 2, churned: 1 });
  });

  it('re-scores one customer after a new order against the stored breakpoints, leaving the others alone', async () => {
    const before = await stored();
    // c1 (lost, churned) buys 50 000 an hour ago: R 0 → 5, F 2 → 2, M 51 000 → 5, FM round(3.5) = 4.
    await buildOrder(db, { customerId: ids.c1, status: 'paid', placedAt: new Date(NOW.getTime() - 3_600_000), items: [{ productId, quantity: 1, unitPriceCents: 50000 }] });
    const result = await onOrderChanged(db, ids.c1, { now: NOW });
    expect(result).toEqual({ lifecycleStage: 'active', rfm: { r: 5, f: 2, m: 5, segment: 'champions' } });
    const after = await stored();
    expect(after.c1).toEqual({ rfm: [5, 2, 5, 'champions'], stage: 'active' });
    for (const key of Object.keys(ids).filter((k) => k !== 'c1')) expect(after[key]).toEqual(before[key]);
    expect((await loadRfmThresholds(db))?.monetary).toEqual([2000, 4000, 7000, 12000]);
  });

  it('turns a customer back into an unscored lead when their only order is cancelled', async () => {
    await db.order.updateMany({ where: { customerId: ids.c2 }, data: { status: 'cancelled' } });
    expect(await onOrderChanged(db, ids.c2, { now: NOW })).toEqual({ lifecycleStage: 'lead', rfm: null });
    expect((await stored()).c2).toEqual({ rfm: null, stage: 'lead' });
  });

  it('recomputes the lifecycle of a single customer only', async () => {
    const run = await recomputeLifecycle(db, { now: new Date(NOW.getTime() + 400 * DAY), customerId: ids.c8 });
    expect(run.stages).toEqual({ lead: 0, new: 0, active: 0, at_risk: 0, dormant: 0, churned: 1 });
    const s = await stored();
    expect([s.c8.stage, s.c10.stage]).toEqual(['churned', 'active']);
  });
});

describe(`rescoring without stored breakpoints (${TEST_PROVIDER})`, () => {
  it('runs the full computation once and returns the customer score', async () => {
    const fresh = await createTestDatabase();
    try {
      const p = await buildProduct(fresh.db, { priceCents: 1000 });
      const a = await buildCustomer(fresh.db);
      const b = await buildCustomer(fresh.db);
      await buildOrder(fresh.db, { customerId: a.id, status: 'completed', placedAt: at10(5), items: [{ productId: p.id, quantity: 1 }] });
      await buildOrder(fresh.db, { customerId: b.id, status: 'completed', placedAt: at10(300), items: [{ productId: p.id, quantity: 3 }] });
      expect(await loadRfmThresholds(fresh.db)).toBeNull();
      // R breakpoints [5, 5, 300, 300]; F all 1; M [1000, 1000, 3000, 3000]. a: R5 F1 M1 → new_customers; b: 300 days is above two breakpoints → R3, F1, M3 → FM 2 → about_to_sleep.
      expect(await rescoreCustomer(fresh.db, a.id, { now: NOW })).toEqual({ r: 5, f: 1, m: 1, segment: 'new_customers' });
      expect((await computeRfm(fresh.db, { now: NOW })).thresholds.recency).toEqual([5, 5, 300, 300]);
      expect((await fresh.db.customer.findUnique({ where: { id: b.id } }))?.rfmSegment).toBe('about_to_sleep');
    } finally {
      await fresh.destroy();
    }
  });
});
