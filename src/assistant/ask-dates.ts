/**
 * Calendar arithmetic on local dates (YYYY-MM-DD strings in the shop's zone) for the assistant:
 * spans, their comparison periods and labels. Pure functions; instants come from the CRM's
 * date-range helpers (dayRange), which know the zone.
 */
export interface Span {
  /** First local date, inclusive. */
  from: string;
  /** Last local date, inclusive. */
  to: string;
}

const utc = (date: string): Date => new Date(`${date}T00:00:00Z`);
const iso = (d: Date): string => d.toISOString().slice(0, 10);

export function isLocalDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(utc(s).getTime()) && iso(utc(s)) === s;
}

export function addDays(date: string, days: number): string {
  const d = utc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}

/** The same day `months` months away, clamped to that month's last day (Mar 31 − 1 month = Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((utc(b).getTime() - utc(a).getTime()) / 86_400_000);
}

export function spanDays(s: Span): number {
  return daysBetween(s.from, s.to) + 1;
}

function isMonday(date: string): boolean {
  return utc(date).getUTCDay() === 1;
}

function lastDayOfMonth(date: string): string {
  return addDays(addMonths(`${date.slice(0, 8)}01`, 1), -1);
}

/**
 * The period a comparison is made with. `previous_year`: the same dates a year earlier.
 * `previous_period`: a span starting on the 1st of a month moves back by the months it touches
 * (last month → the month before; this month so far → the same days of last month; Q1 → Q4); one
 * starting on a Monday moves back by whole weeks (this week so far → the same weekdays last
 * week); any other span is the same number of days just before it.
 */
export function comparisonSpan(s: Span, kind: 'previous_period' | 'previous_year'): Span {
  if (kind === 'previous_year') return { from: addMonths(s.from, -12), to: addMonths(s.to, -12) };
  if (s.from.endsWith('-01')) {
    const months = (Number(s.to.slice(0, 4)) - Number(s.from.slice(0, 4))) * 12 + Number(s.to.slice(5, 7)) - Number(s.from.slice(5, 7)) + 1;
    const to = s.to === lastDayOfMonth(s.to) ? lastDayOfMonth(addMonths(s.to, -months)) : addMonths(s.to, -months);
    return { from: addMonths(s.from, -months), to };
  }
  const days = spanDays(s);
  if (isMonday(s.from)) {
    const shift = Math.ceil(days / 7) * 7;
    return { from: addDays(s.from, -shift), to: addDays(s.to, -shift) };
  }
  return { from: addDays(s.from, -days), to: addDays(s.from, -1) };
}

/** "12/1–12/3" (zh) or "Dec 1–3" (en); the year is shown when it is not `currentYear` or the span crosses years. */
export function spanLabel(s: Span, lang: 'zh' | 'en', currentYear: number): string {
  const [fy, fm, fd] = s.from.split('-').map(Number);
  const [ty, tm, td] = s.to.split('-').map(Number);
  const showYear = fy !== ty || fy !== currentYear;
  if (lang === 'zh') {
    const one = (y: number, m: number, d: number, withYear: boolean) => (withYear ? `${y}/${m}/${d}` : `${m}/${d}`);
    if (s.from === s.to) return one(fy, fm, fd, showYear);
    return `${one(fy, fm, fd, showYear)}–${one(ty, tm, td, fy !== ty)}`;
  }
  const month = (m: number) => ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1];
  if (s.from === s.to) return `${month(fm)} ${fd}${showYear ? `, ${fy}` : ''}`;
  if (fy === ty && fm === tm) return `${month(fm)} ${fd}–${td}${showYear ? `, ${fy}` : ''}`;
  if (fy === ty) return `${month(fm)} ${fd} – ${month(tm)} ${td}${showYear ? `, ${fy}` : ''}`;
  return `${month(fm)} ${fd}, ${fy} – ${month(tm)} ${td}, ${ty}`;
}
