import { AppError } from '../../shared/app-error.js';

/** A half-open interval of instants, [from, to). Analytics never sees "today": callers convert with these helpers. */
export interface DateRange {
  from: Date;
  to: Date;
}

export const PERIODS = [
  'today', 'yesterday', 'this_week', 'last_week', 'this_month', 'last_month',
  'last_7_days', 'last_30_days', 'last_90_days', 'this_year',
] as const;
export type Period = (typeof PERIODS)[number];

/** A calendar date without a zone; month is 1-based. */
interface LocalDate {
  y: number;
  m: number;
  d: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch (err) {
      throw new AppError('VALIDATION_FAILED', `Unknown time zone: ${timeZone}`, { cause: err, userMessage: `Unknown time zone: ${timeZone}` });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone. */
function wallClock(instant: number, timeZone: string): LocalDate & { h: number; mi: number; s: number } {
  const out = { y: 0, m: 0, d: 0, h: 0, mi: 0, s: 0 };
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type === 'year') out.y = Number(p.value);
    else if (p.type === 'month') out.m = Number(p.value);
    else if (p.type === 'day') out.d = Number(p.value);
    else if (p.type === 'hour') out.h = Number(p.value);
    else if (p.type === 'minute') out.mi = Number(p.value);
    else if (p.type === 'second') out.s = Number(p.value);
  }
  return out;
}

/** The zone's offset from UTC at an instant, in ms (Shanghai: +8 h). */
function offsetAt(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - whole;
}

function sameDate(a: LocalDate, b: LocalDate): boolean {
  return a.y === b.y && a.m === b.m && a.d === b.d;
}

/** Adds days to a calendar date (UTC arithmetic on dates, so DST cannot shift it). */
function addDays(date: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function parseDateString(s: string): LocalDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const date = m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : undefined;
  if (!date || !sameDate(addDays(date, 0), date)) {
    throw new AppError('VALIDATION_FAILED', `Not a date (YYYY-MM-DD): ${s}`, { userMessage: `Not a date (YYYY-MM-DD): ${s}` });
  }
  return date;
}

/** The calendar date an instant falls on in a zone. */
function localDateOf(instant: Date | number, timeZone: string): LocalDate {
  const w = wallClock(typeof instant === 'number' ? instant : instant.getTime(), timeZone);
  return { y: w.y, m: w.m, d: w.d };
}

/**
 * The first instant of a calendar date in a zone. Usually local midnight; where a DST jump
 * skips midnight (e.g. America/Santiago) it is the first wall-clock time that exists that day.
 */
function startOfDay(date: LocalDate, timeZone: string): number {
  const utcMidnight = Date.UTC(date.y, date.m - 1, date.d);
  const first = utcMidnight - offsetAt(utcMidnight, timeZone);
  const second = utcMidnight - offsetAt(first, timeZone);
  const candidates = [first, second].filter((t) => sameDate(localDateOf(t, timeZone), date));
  if (candidates.length > 0) return Math.min(...candidates);
  // Midnight fell in a gap: the day starts where the gap ends, an hour or so after both guesses.
  return Math.max(first, second);
}

export function formatLocalDate(date: LocalDate): string {
  return `${String(date.y).padStart(4, '0')}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;
}

/** 'YYYY-MM-DD' of an instant in the shop's zone. */
export function localDateString(instant: Date | number, timeZone: string): string {
  return formatLocalDate(localDateOf(instant, timeZone));
}

/** The whole calendar day (in the zone) of a date string, or of the date an instant falls on. 23 or 25 h on DST days. */
export function dayRange(date: string | Date, timeZone: string): DateRange {
  const local = typeof date === 'string' ? parseDateString(date) : localDateOf(date, timeZone);
  return localDaysRange(local, addDays(local, 1), timeZone);
}

function localDaysRange(first: LocalDate, endExclusive: LocalDate, timeZone: string): DateRange {
  return { from: new Date(startOfDay(first, timeZone)), to: new Date(startOfDay(endExclusive, timeZone)) };
}

/**
 * A named period around `now` in the shop's zone, always whole local days: weeks start on Monday;
 * `last_N_days` are the N days ending with today (today included); `this_*` periods run to
 * their calendar end, so the range may end after `now`.
 */
export function periodRange(period: Period, now: Date, timeZone: string): DateRange {
  const today = localDateOf(now, timeZone);
  const mondayOffset = (new Date(Date.UTC(today.y, today.m - 1, today.d)).getUTCDay() + 6) % 7;
  const monday = addDays(today, -mondayOffset);
  const firstOfMonth = { y: today.y, m: today.m, d: 1 };
  const nextMonth = today.m === 12 ? { y: today.y + 1, m: 1, d: 1 } : { y: today.y, m: today.m + 1, d: 1 };
  const lastMonth = today.m === 1 ? { y: today.y - 1, m: 12, d: 1 } : { y: today.y, m: today.m - 1, d: 1 };
  const tomorrow = addDays(today, 1);
  switch (period) {
    case 'today': return localDaysRange(today, tomorrow, timeZone);
    case 'yesterday': return localDaysRange(addDays(today, -1), today, timeZone);
    case 'this_week': return localDaysRange(monday, addDays(monday, 7), timeZone);
    case 'last_week': return localDaysRange(addDays(monday, -7), monday, timeZone);
    case 'this_month': return localDaysRange(firstOfMonth, nextMonth, timeZone);
    case 'last_month': return localDaysRange(lastMonth, firstOfMonth, timeZone);
    case 'last_7_days': return localDaysRange(addDays(today, -6), tomorrow, timeZone);
    case 'last_30_days': return localDaysRange(addDays(today, -29), tomorrow, timeZone);
    case 'last_90_days': return localDaysRange(addDays(today, -89), tomorrow, timeZone);
    case 'this_year': return localDaysRange({ y: today.y, m: 1, d: 1 }, { y: today.y + 1, m: 1, d: 1 }, timeZone);
  }
}

/** One local day of a range: its label and the instants it covers, clipped to the range. */
export interface DayBucket {
  date: string;
  from: Date;
  to: Date;
}

/** The local days a range touches, in order; the first and last are clipped to the range. */
export function daysOf(range: DateRange, timeZone: string): DayBucket[] {
  const out: DayBucket[] = [];
  const end = range.to.getTime();
  let date = localDateOf(range.from, timeZone);
  let start = range.from.getTime();
  while (start < end) {
    const next = addDays(date, 1);
    const nextStart = Math.min(startOfDay(next, timeZone), end);
    out.push({ date: formatLocalDate(date), from: new Date(start), to: new Date(nextStart) });
    date = next;
    start = nextStart;
    if (out.length > 3700) throw new AppError('VALIDATION_FAILED', 'Date range longer than ten years', { userMessage: 'The period is too long.' });
  }
  return out;
}

/** Checks a range is well-formed before it reaches SQL. */
export function assertRange(range: DateRange): void {
  if (!(range.from instanceof Date) || !(range.to instanceof Date) || Number.isNaN(range.from.getTime()) || Number.isNaN(range.to.getTime())) {
    throw new AppError('VALIDATION_FAILED', 'Range needs valid from/to dates');
  }
  if (range.to.getTime() < range.from.getTime()) throw new AppError('VALIDATION_FAILED', 'Range ends before it starts');
}

export { DAY_MS };
