import { describe, expect, it } from 'vitest';
import { createRng, rngFor } from './seeded-random.js';
import { localDayStart, localMidnight, yymmdd } from './shop-time.js';
import { planOrders, MAX_ORDERS_PER_DAY } from './order-planner.js';

describe('seeded random', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('gives each entity its own stream, independent of generation order', () => {
    expect(rngFor(1, 2, 3).int(0, 1e9)).toBe(rngFor(1, 2, 3).int(0, 1e9));
    expect(rngFor(1, 2, 3).int(0, 1e9)).not.toBe(rngFor(1, 2, 4).int(0, 1e9));
  });
});

describe('shop time', () => {
  it('puts an evening UTC instant on the next Shanghai day in order numbers', () => {
    expect(yymmdd(new Date('2025-11-10T17:30:00Z'), 'Asia/Shanghai')).toBe('251111');
    expect(localMidnight(2025, 11, 11, 'Asia/Shanghai').toISOString()).toBe('2025-11-10T16:00:00.000Z');
    expect(localDayStart(new Date('2025-11-10T17:30:00Z'), 'Asia/Shanghai', -1).toISOString()).toBe('2025-11-09T16:00:00.000Z');
  });
});

describe('order planner', () => {
  it('peaks on 双11 and never exceeds the per-day sequence space', () => {
    const plan = planOrders({ seed: 1, customers: 500, orders: 5000, now: new Date('2025-11-20T04:00:00Z'), months: 12, timeZone: 'Asia/Shanghai' });
    const byDay = new Map(plan.days.map((d) => [d.ymd, d.count]));
    const median = [...byDay.values()].sort((a, b) => a - b)[Math.floor(byDay.size / 2)];
    expect(byDay.get('251111')).toBeGreaterThan(4 * median);
    expect(Math.max(...byDay.values())).toBeLessThanOrEqual(MAX_ORDERS_PER_DAY);
    expect(plan.days.reduce((s, d) => s + d.count, 0)).toBe(5000);
    for (let i = 1; i < plan.total; i++) expect(plan.placedAt[i]).toBeGreaterThanOrEqual(plan.placedAt[i - 1]);
    for (let c = 0; c < 500; c++) if (plan.count[c] > 0) expect(plan.createdAt[c]).toBeLessThan(plan.firstAt[c]);
  });
});
