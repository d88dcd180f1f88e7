import { AppError } from '../../shared/app-error.js';
import { createRng, mixSeed, type Rng } from './seeded-random.js';
import { DAY_MS, HOUR_MS, localDayStart, localParts, yymmdd } from './shop-time.js';

/** Generated orders use per-day sequences 0001–8999; 9xxx is reserved for the demo personas. */
export const MAX_ORDERS_PER_DAY = 8999;

/** Chinese New Year: orders dip for about two weeks around it (couriers stop). */
const SPRING_FESTIVAL = ['2023-01-22', '2024-02-10', '2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-03'];
/** Relative order volume per hour of the local day: lunch and late-evening peaks. */
const HOUR_WEIGHTS = [3, 2, 1, 0.5, 0.3, 0.3, 0.6, 1.5, 3, 4, 5, 6, 7, 6, 5, 5, 5, 5, 6, 7, 9, 10, 9, 6];
const HOURS = HOUR_WEIGHTS.map((_, h) => h);

export interface OrderPlan {
  /** Orders per day, oldest day first; the numbering sequence restarts every day. */
  days: { start: number; ymd: string; count: number }[];
  total: number;
  /** Placed-at instant (ms) and customer index of every order, in chronological order. */
  placedAt: Float64Array;
  customer: Int32Array;
  /** Per customer: first/last order instant (NaN if none), order count, and account creation instant. */
  firstAt: Float64Array;
  lastAt: Float64Array;
  count: Int32Array;
  createdAt: Float64Array;
}

function springFestivalFactor(start: number): number {
  for (const d of SPRING_FESTIVAL) {
    const diff = (start - Date.parse(`${d}T00:00:00+08:00`)) / DAY_MS;
    if (diff >= -7 && diff <= 7) return 0.35;
    if (diff >= -25 && diff < -10) return 1.2;
  }
  return 1;
}

/** How busy a shop-local day is: 双11, 618, 12.12, weekends, the Spring Festival dip, slow growth. */
export function dayWeight(start: number, timeZone: string, progress: number): number {
  const p = localParts(new Date(start + 12 * HOUR_MS), timeZone);
  let w = 0.7 + 0.5 * progress;
  if (p.weekday === 0 || p.weekday === 6) w *= 1.25;
  if (p.month === 11) w *= p.day === 11 ? 8 : p.day < 11 ? 1.6 : p.day === 12 ? 2 : 1;
  if (p.month === 6) w *= p.day === 18 ? 5 : p.day < 18 ? 1.4 : 1;
  if (p.month === 12 && p.day === 12) w *= 2.5;
  return w * springFestivalFactor(start);
}

/** Splits `total` over the days by weight, capping each day at MAX_ORDERS_PER_DAY. */
function allocate(total: number, weights: number[]): number[] {
  if (total > weights.length * MAX_ORDERS_PER_DAY) {
    throw new AppError('VALIDATION_FAILED', `Cannot seed ${total} orders over ${weights.length} days: at most ${MAX_ORDERS_PER_DAY} per day. Use more --months or fewer orders.`);
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map((e) => Math.min(MAX_ORDERS_PER_DAY, Math.floor(e)));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  while (left > 0) {
    let placed = false;
    for (const [, i] of byRemainder) {
      if (left === 0) break;
      if (counts[i] < MAX_ORDERS_PER_DAY) { counts[i]++; left--; placed = true; }
    }
    if (!placed) break;
  }
  return counts;
}

/** Fenwick tree for weighted sampling among customers who have already ordered. */
class WeightTree {
  private readonly tree: Float64Array;
  private size = 0;
  constructor(capacity: number) { this.tree = new Float64Array(capacity + 1); }
  add(index: number, weight: number): void {
    this.size = Math.max(this.size, index + 1);
    for (let i = index + 1; i < this.tree.length; i += i & -i) this.tree[i] += weight;
  }
  total(): number {
    let s = 0;
    for (let i = this.size; i > 0; i -= i & -i) s += this.tree[i];
    return s;
  }
  sample(r: number): number {
    let pos = 0;
    let step = 1;
    while (step * 2 < this.tree.length) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next < this.tree.length && this.tree[next] <= r) { pos = next; r -= this.tree[next]; }
    }
    return Math.min(pos, this.size - 1);
  }
}

export function planOrders(opts: { seed: number; customers: number; orders: number; now: Date; months: number; timeZone: string }): OrderPlan {
  const { seed, customers, orders, now, timeZone } = opts;
  const rng: Rng = createRng(mixSeed(seed, 0xa11ce));
  const dayCount = Math.max(1, Math.round(opts.months * 30.44));
  const days: OrderPlan['days'] = [];
  const weights: number[] = [];
  for (let d = dayCount - 1; d >= 0; d--) {
    const start = localDayStart(now, timeZone, -d).getTime();
    const elapsed = Math.min(1, (now.getTime() - start) / DAY_MS);
    days.push({ start, ymd: yymmdd(new Date(start + HOUR_MS), timeZone), count: 0 });
    weights.push(dayWeight(start, timeZone, 1 - d / dayCount) * elapsed);
  }
  allocate(orders, weights).forEach((c, i) => { days[i].count = c; });

  const placedAt = new Float64Array(orders);
  let k = 0;
  for (const day of days) {
    const span = Math.min(DAY_MS, now.getTime() - day.start);
    const from = k;
    for (let j = 0; j < day.count; j++) {
      let t = DAY_MS;
      for (let tries = 0; t >= span && tries < 20; tries++) t = rng.weighted(HOURS, HOUR_WEIGHTS) * HOUR_MS + Math.floor(rng.next() * HOUR_MS);
      if (t >= span) t = Math.floor(rng.next() * span); // today, early in the morning
      placedAt[k++] = day.start + t;
    }
    placedAt.subarray(from, k).sort();
  }

  // Customers appear in order of their first purchase; the rest repeat-buy by a long-tailed weight.
  const buyers = Math.min(customers, orders, Math.round(customers * 0.88));
  const customer = new Int32Array(orders);
  const firstAt = new Float64Array(customers).fill(Number.NaN);
  const lastAt = new Float64Array(customers).fill(Number.NaN);
  const count = new Int32Array(customers);
  const tree = new WeightTree(Math.max(1, buyers));
  let introduced = 0;
  for (let i = 0; i < orders; i++) {
    const remaining = orders - i;
    const isNew = introduced < buyers && (introduced === 0 || rng.next() < (buyers - introduced) / remaining);
    let c: number;
    if (isNew) {
      c = introduced++;
      tree.add(c, Math.min(20, (1 - rng.next()) ** (-1 / 1.3)));
      firstAt[c] = placedAt[i];
    } else {
      c = tree.sample(rng.next() * tree.total());
    }
    customer[i] = c;
    lastAt[c] = placedAt[i];
    count[c]++;
  }
  const windowStart = days[0].start;
  const createdAt = new Float64Array(customers);
  for (let c = 0; c < customers; c++) {
    createdAt[c] = Number.isNaN(firstAt[c])
      ? windowStart + rng.next() * (now.getTime() - windowStart)
      : firstAt[c] - Math.floor(rng.next() ** 3 * 60 * DAY_MS) - 60_000;
  }
  return { days, total: orders, placedAt, customer, firstAt, lastAt, count, createdAt };
}
