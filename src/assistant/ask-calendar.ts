import type { Compare } from './ask-query.js';

/**
 * Calendar arithmetic for the ask parser on whole days: a `Day` is a count of days since
 * 1970-01-01, so adding days is adding numbers and nothing depends on the host's time zone.
 */
export type Day = number;

const DAY_MS = 86_400_000;

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Today's date in `timeZone` (building an Intl.DateTimeFormat is slow: one per zone is kept). */
export function todayIn(now: Date, timeZone: string): Day {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return Date.parse(`${format.format(now)}T00:00:00Z`) / DAY_MS;
}

export function dayOf(y: number, m: number, d: number): Day {
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** The day, or undefined when there is no such date (2月30日). */
export function validDay(y: number, m: number, d: number): Day | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const day = dayOf(y, m, d);
  return ymd(day).d === d ? day : undefined;
}

export function ymd(day: Day): { y: number; m: number; d: number } {
  const t = new Date(day * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function isoDay(day: Day): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function parseIsoDay(iso: string): Day {
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

/** Monday of the week `day` falls in (weeks start on Monday). */
export function weekStart(day: Day): Day {
  const dow = new Date(day * DAY_MS).getUTCDay();
  return day - ((dow + 6) % 7);
}

export function monthStart(y: number, m: number): Day {
  return dayOf(y, m, 1);
}

export function monthEnd(y: number, m: number): Day {
  return dayOf(y, m + 1, 1) - 1;
}

/** The same day of the month `n` months away, clamped to that month's last day (3/31 − 1 month = 2/28). */
export function addMonths(day: Day, n: number): Day {
  const { y, m, d } = ymd(day);
  const target = monthStart(y, m + n);
  const t = ymd(target);
  return Math.min(target + d - 1, monthEnd(t.y, t.m));
}

/** An inclusive range of days. */
export interface DayRange { from: Day; to: Day }

/**
 * The range a comparison sets beside `range`. `previous_year` is the same dates a year earlier;
 * `previous_period` is the period just before: whole or to-date months step back by months
 * (12/1–12/3 → 11/1–11/3, Q4 → Q3), anything else by its own length (last week → the week before).
 */
export function comparisonRange(range: DayRange, compare: Compare): DayRange {
  if (compare === 'previous_year') return { from: addMonths(range.from, -12), to: addMonths(range.to, -12) };
  const a = ymd(range.from);
  const b = ymd(range.to);
  if (a.d === 1) {
    const months = (b.y - a.y) * 12 + (b.m - a.m) + 1;
    const toIsMonthEnd = range.to === monthEnd(b.y, b.m);
    const from = addMonths(range.from, -months);
    const backTo = addMonths(range.to, -months);
    const t = ymd(backTo);
    return { from, to: toIsMonthEnd ? monthEnd(t.y, t.m) : backTo };
  }
  const length = range.to - range.from + 1;
  // weeks and week-to-date step back by whole weeks (Mon–Thu → last Mon–Thu)
  const shift = range.from === weekStart(range.from) ? Math.ceil(length / 7) * 7 : length;
  return { from: range.from - shift, to: range.to - shift };
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "12/1–12/3", "12/3", "2024/12/30–2025/1/5" (years shown when not the current one). */
export function zhRangeText(range: DayRange, today: Day): string {
  const a = ymd(range.from);
  const b = ymd(range.to);
  const thisYear = ymd(today).y;
  const withYear = a.y !== thisYear || b.y !== thisYear;
  const fmt = (p: { y: number; m: number; d: number }, year: boolean): string => `${year ? `${p.y}/` : ''}${p.m}/${p.d}`;
  if (range.from === range.to) return fmt(a, withYear);
  return `${fmt(a, withYear)}–${fmt(b, withYear && b.y !== a.y)}`;
}

/** "Nov 24–30", "Dec 3", "Nov 28–Dec 3", "Dec 30, 2024–Jan 5, 2025". */
export function enRangeText(range: DayRange, today: Day): string {
  const a = ymd(range.from);
  const b = ymd(range.to);
  const thisYear = ymd(today).y;
  const md = (p: { m: number; d: number }): string => `${EN_MONTHS[p.m - 1]} ${p.d}`;
  if (a.y !== b.y) return `${md(a)}, ${a.y}–${md(b)}, ${b.y}`;
  const year = a.y !== thisYear ? `, ${a.y}` : '';
  if (range.from === range.to) return `${md(a)}${year}`;
  if (a.m === b.m) return `${md(a)}–${b.d}${year}`;
  return `${md(a)}–${md(b)}${year}`;
}
