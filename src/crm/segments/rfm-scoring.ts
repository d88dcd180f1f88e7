import { RFM_SEGMENTS, type RfmSegment } from '../crm-constants.js';

/**
 * Pure RFM scoring. Each of R, F and M is scored 1–5 against four quintile breakpoints taken
 * over the shop's customers with at least one sale order. Breakpoints (not ranks) are stored,
 * so one customer can be re-scored later without re-ranking everybody, and equal values
 * always get equal scores (many customers share frequency 1: they all score F = 1).
 */

/** Four ascending breakpoints: the values at the 20th, 40th, 60th and 80th percentile (nearest rank). */
export type Breakpoints = [number, number, number, number];

export interface RfmThresholds {
  /** Days since the last sale order; lower is better. */
  recency: Breakpoints;
  /** Number of sale orders. */
  frequency: Breakpoints;
  /** Σ (totalCents − refundedCents) of sale orders. */
  monetary: Breakpoints;
  /** How many customers the breakpoints were taken over. */
  customers: number;
  computedAt: string;
  /** Zone whose calendar days recency was counted in; null = 24-hour periods. */
  timeZone: string | null;
}

export interface RfmValues {
  recencyDays: number;
  frequency: number;
  monetaryCents: number;
}

export interface RfmScore {
  r: number;
  f: number;
  m: number;
  segment: RfmSegment;
}

/** Nearest-rank quintile breakpoints of a list (need not be sorted); all zeros for an empty list. */
export function quintileBreakpoints(values: readonly number[]): Breakpoints {
  if (values.length === 0) return [0, 0, 0, 0];
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const at = (k: number) => sorted[Math.ceil((k * n) / 5) - 1];
  return [at(1), at(2), at(3), at(4)];
}

/** 1 + the number of breakpoints strictly below the value: 1 (bottom fifth) … 5 (top fifth). */
export function scoreHigherIsBetter(value: number, q: Breakpoints): number {
  return 1 + q.filter((b) => value > b).length;
}

/** Mirror image for recency: the fewest days since the last order scores 5. */
export function scoreLowerIsBetter(value: number, q: Breakpoints): number {
  return 5 - q.filter((b) => value > b).length;
}

/**
 * The 11-segment map on (R, FM) where FM = round((F + M) / 2), halves rounded up:
 *
 * | R \ FM | 1              | 2                  | 3                  | 4           | 5           |
 * |--------|----------------|--------------------|--------------------|-------------|-------------|
 * | 5      | new_customers  | potential_loyalist | potential_loyalist | champions   | champions   |
 * | 4      | promising      | potential_loyalist | potential_loyalist | loyal       | loyal       |
 * | 3      | about_to_sleep | about_to_sleep     | need_attention     | loyal       | loyal       |
 * | 2      | hibernating    | hibernating        | at_risk            | at_risk     | cannot_lose |
 * | 1      | lost           | lost               | at_risk            | at_risk     | cannot_lose |
 *
 * It is the common R×F grid (champions 5/4-5, loyal 3-4/4-5, cannot_lose 1-2/5, …) with the
 * bottom-left corner split: hibernating at R 2, lost at R 1.
 */
export const SEGMENT_GRID: Record<number, readonly [RfmSegment, RfmSegment, RfmSegment, RfmSegment, RfmSegment]> = {
  5: ['new_customers', 'potential_loyalist', 'potential_loyalist', 'champions', 'champions'],
  4: ['promising', 'potential_loyalist', 'potential_loyalist', 'loyal', 'loyal'],
  3: ['about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal', 'loyal'],
  2: ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cannot_lose'],
  1: ['lost', 'lost', 'at_risk', 'at_risk', 'cannot_lose'],
};

export function segmentFor(r: number, f: number, m: number): RfmSegment {
  const clamp = (x: number) => Math.min(5, Math.max(1, Math.round(x)));
  const fm = clamp((f + m) / 2);
  return SEGMENT_GRID[clamp(r)][fm - 1];
}

export function scoreRfm(values: RfmValues, t: Pick<RfmThresholds, 'recency' | 'frequency' | 'monetary'>): RfmScore {
  const r = scoreLowerIsBetter(values.recencyDays, t.recency);
  const f = scoreHigherIsBetter(values.frequency, t.frequency);
  const m = scoreHigherIsBetter(values.monetaryCents, t.monetary);
  return { r, f, m, segment: segmentFor(r, f, m) };
}

/** A segment's display name; unknown keys come back as given. */
export function segmentName(key: string, lang: 'zh' | 'en'): string {
  return key in RFM_SEGMENTS ? RFM_SEGMENTS[key as RfmSegment][lang] : key;
}
