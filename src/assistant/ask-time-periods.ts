/**
 * The periods the ask parser's time words name, as day ranges with their echo names: the
 * building blocks of the rule table in ask-time-rules.ts.
 */
import {
  addMonths, dayOf, monthEnd, monthStart, validDay, weekStart, ymd, type Day, type DayRange,
} from './ask-calendar.js';

/** What "now" is, in the shop's time zone. */
export interface TimeContext { today: Day; y: number; m: number; d: number }

export type TimeUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** One time expression found in a question (positions in the normalised text). */
export interface TimeHit extends DayRange {
  start: number;
  end: number;
  /** Canonical names for the echo ("本周" / "this week"); null: the dates speak for themselves. */
  zh: string | null;
  en: string | null;
  /** For relative periods (上周 = week −1): lets "比上周" imply "this week" when nothing else is named. */
  unit?: TimeUnit;
  offset?: number;
  /** A period named without a year (双十一, 10月, Q1): the same period in another year. */
  inYear?: (y: number) => DayRange;
  /** 今年/去年/前年: the year it names, for "去年双十一". */
  year?: number;
  /** A bare day of the month (15号): a range end that takes its month from the start. */
  dayOfMonth?: number;
  /** A weekday named alone (周三): a range end that falls in the start's week. */
  weekday?: number;
}

export type Found = Omit<TimeHit, 'start' | 'end'>;

export const MONTH_RE = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const MONTH_KEYS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
export const EN_MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const monthOf = (s: string): number => MONTH_KEYS.indexOf(s.slice(0, 3)) + 1;
export const ORD = '(?:st|nd|rd|th)?';
export const ZH_WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7 };
const ZH_WEEKDAY_NAMES = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const EN_WEEKDAYS = ['', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
export const EN_WEEKDAY_RE = '(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?';
const enWeekday = (s: string): number => ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(s.slice(0, 3)) + 1;
export const QUARTER_ORD: Record<string, number> = { first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4 };
const cap = (s: string): string => s[0].toUpperCase() + s.slice(1);

/** The most recent occurrence of a yearless period that has begun (10月 in January is last October). */
function recent(inYear: (y: number) => DayRange | undefined, c: TimeContext): DayRange | undefined {
  const r = inYear(c.y);
  if (r && r.from <= c.today) return r;
  return inYear(c.y - 1);
}

export function yearless(inYear: (y: number) => DayRange | undefined, c: TimeContext, zh: string | null, en: string | null): Found | null {
  const r = recent(inYear, c);
  if (!r) return null;
  return { ...r, zh, en, inYear: (y) => inYear(y) ?? inYear(y - 1) ?? r };
}

export const dateIn = (m: number, d: number) => (y: number): DayRange | undefined => {
  const day = validDay(y, m, d);
  return day === undefined ? undefined : { from: day, to: day };
};
export const monthIn = (m: number) => (y: number): DayRange => ({ from: monthStart(y, m), to: monthEnd(y, m) });
const quarterIn = (q: number) => (y: number): DayRange => ({ from: monthStart(y, q * 3 - 2), to: monthEnd(y, q * 3) });
export const spanIn = (m1: number, d1: number, m2: number, d2: number) => (y: number): DayRange => ({ from: dayOf(y, m1, d1), to: dayOf(y, m2, d2) });
export const fixedDay = (y: number, m: number, d: number): Found | null => {
  const day = validDay(y, m, d);
  return day === undefined ? null : { from: day, to: day, zh: null, en: null };
};
export const rolling = (c: TimeContext, from: Day, zh: string, en: string): Found => ({ from, to: c.today, zh, en });

export function rollingUnit(n: number, unit: string, c: TimeContext): Found | null {
  if (!(n > 0 && n <= 3660)) return null;
  const en = (one: string, many: string): string => (n === 1 ? `the past ${one}` : `last ${n} ${many}`);
  if (/^(天|日|d)/.test(unit)) return rolling(c, c.today - n + 1, `近${n}天`, en('day', 'days'));
  if (/^(周|星期|礼拜|w)/.test(unit)) return rolling(c, c.today - 7 * n + 1, n === 1 ? '近一周' : `近${n}周`, en('week', 'weeks'));
  if (/^(个?月|m)/.test(unit)) return rolling(c, addMonths(c.today, -n) + 1, n === 1 ? '近一个月' : `近${n}个月`, en('month', 'months'));
  if (/^(年|y)/.test(unit)) return rolling(c, addMonths(c.today, -12 * n) + 1, n === 1 ? '近一年' : `近${n}年`, en('year', 'years'));
  return null;
}

export function week(c: TimeContext, offset: number): Found {
  const ws = weekStart(c.today) + 7 * offset;
  const names: Record<number, [string, string]> = { [-2]: ['上上周', 'the week before last'], [-1]: ['上周', 'last week'], 0: ['本周', 'this week'], 1: ['下周', 'next week'] };
  const [zh, en] = names[offset];
  return { from: ws, to: offset === 0 ? c.today : ws + 6, zh, en, unit: 'week', offset };
}

export function month(c: TimeContext, offset: number): Found {
  const from = monthStart(c.y, c.m + offset);
  const t = ymd(from);
  const names: Record<number, [string, string]> = { [-2]: ['上上个月', 'the month before last'], [-1]: ['上个月', 'last month'], 0: ['本月', 'this month'], 1: ['下个月', 'next month'] };
  const [zh, en] = names[offset];
  return { from, to: offset === 0 ? c.today : monthEnd(t.y, t.m), zh, en, unit: 'month', offset };
}

export function quarter(c: TimeContext, offset: number): Found {
  const q0 = Math.floor((c.m - 1) / 3);
  const from = monthStart(c.y, q0 * 3 + 1 + offset * 3);
  const t = ymd(from);
  const [zh, en] = offset === 0 ? ['本季度', 'this quarter'] : offset === -1 ? ['上季度', 'last quarter'] : offset === -2 ? ['上上季度', 'the quarter before last'] : ['下季度', 'next quarter'];
  return { from, to: offset === 0 ? c.today : monthEnd(t.y, t.m + 2), zh, en, unit: 'quarter', offset };
}

export function year(c: TimeContext, offset: number): Found {
  const y = c.y + offset;
  const names: Record<number, [string, string]> = { [-2]: ['前年', 'the year before last'], [-1]: ['去年', 'last year'], 0: ['今年', 'this year'], 1: ['明年', 'next year'] };
  const [zh, en] = names[offset];
  return { from: dayOf(y, 1, 1), to: offset === 0 ? c.today : dayOf(y, 12, 31), zh, en, unit: 'year', offset, year: y };
}

export function day(c: TimeContext, offset: number): Found {
  const names: Record<number, [string, string]> = { [-3]: ['大前天', '3 days ago'], [-2]: ['前天', 'the day before yesterday'], [-1]: ['昨天', 'yesterday'], 0: ['今天', 'today'], 1: ['明天', 'tomorrow'] };
  const [zh, en] = names[offset];
  return { from: c.today + offset, to: c.today + offset, zh, en, unit: 'day', offset };
}

function weekday(c: TimeContext, wd: number, offset: number | null, prefixZh: string, prefixEn: string): Found {
  const thisWeek = weekStart(c.today) + wd - 1;
  const d = offset === null ? (thisWeek <= c.today ? thisWeek : thisWeek - 7) : thisWeek + 7 * offset;
  return { from: d, to: d, zh: `${prefixZh}${ZH_WEEKDAY_NAMES[wd]}`, en: `${prefixEn}${cap(EN_WEEKDAYS[wd])}`, ...(offset === null ? { weekday: wd } : {}) };
}

/** Saturday and Sunday: of this week, last week, or (no word before it) the most recent that has begun. */
export function weekend(c: TimeContext, offset: number | null): Found {
  const sat = weekStart(c.today) + 5;
  const from = offset === null ? (sat <= c.today ? sat : sat - 7) : sat + 7 * offset;
  const [zh, en] = offset === -1 || (offset === null && from < weekStart(c.today)) ? ['上周末', 'last weekend'] : offset === 1 ? ['下周末', 'next weekend'] : ['本周末', 'this weekend'];
  return { from, to: from + 1, zh, en };
}

/** 3天前 / 2 weeks ago / 3个月前: that day, that Monday–Sunday week, that calendar month. */
export function ago(n: number, unit: string, c: TimeContext): Found | null {
  if (!(n > 0 && n <= 1000)) return null;
  if (/^(天|日|d)/.test(unit)) return { from: c.today - n, to: c.today - n, zh: `${n}天前`, en: `${n} days ago` };
  if (/^(周|星期|礼拜|w)/.test(unit)) {
    const ws = weekStart(c.today) - 7 * n;
    return { from: ws, to: ws + 6, zh: `${n}周前`, en: `${n} weeks ago` };
  }
  if (/^(个?月|m)/.test(unit)) {
    const from = monthStart(c.y, c.m - n);
    const t = ymd(from);
    return { from, to: monthEnd(t.y, t.m), zh: `${n}个月前`, en: `${n} months ago` };
  }
  if (/^(年|y)/.test(unit)) return { from: dayOf(c.y - n, 1, 1), to: dayOf(c.y - n, 12, 31), zh: `${n}年前`, en: `${n} years ago` };
  return null;
}


/** This day/week/month/quarter/year, to today. */
export function currentPeriod(unit: TimeUnit, c: TimeContext): Found {
  return { day, week, month, quarter, year }[unit](c, 0);
}

export function quarterAt(y: number, q: number): Found {
  return { ...quarterIn(q)(y), zh: `${y}年Q${q}`, en: `Q${q} ${y}` };
}

export function quarterRecent(q: number, c: TimeContext): Found | null {
  return yearless(quarterIn(q), c, `Q${q}`, `Q${q}`);
}

export function monthAt(y: number, m: number): Found | null {
  if (m < 1 || m > 12) return null;
  return { ...monthIn(m)(y), zh: `${y}年${m}月`, en: `${EN_MONTH_NAMES[m - 1]} ${y}` };
}

export function monthNameRecent(m: RegExpExecArray, c: TimeContext): Found | null {
  // "may" and "march" are also words: only with a preposition before them
  const preposition = /\b(?:in|of|for|during|since|from|until|through|to|by|and|between|vs\.?|versus)\s+$/.test(m.input.slice(0, m.index));
  if ((m[1] === 'may' || m[1] === 'march' || m[1] === 'mar') && !preposition) return null;
  const mo = monthOf(m[1]);
  return yearless(monthIn(mo), c, `${mo}月`, EN_MONTH_NAMES[mo - 1]);
}

/** 今年前10个月 / 前三季度: January to the end of month `n` of year `y`. */
export function firstMonths(y: number, n: number): Found | null {
  if (n < 1 || n > 12) return null;
  return { from: monthStart(y, 1), to: monthEnd(y, n), zh: null, en: null };
}

/** 1-10月: whole months m1..m2, placed like any yearless period. */
export function monthsSpan(m1: number, m2: number, c: TimeContext): Found | null {
  if (m1 < 1 || m2 > 12 || m2 < m1) return null;
  return yearless((y) => ({ from: monthStart(y, m1), to: monthEnd(y, m2) }), c, null, null);
}

export function monthSpan(mo: number, d1: number, d2: number, c: TimeContext): Found | null {
  if (d2 < d1) return null;
  const inYear = (y: number): DayRange | undefined => {
    const from = validDay(y, mo, d1);
    const to = validDay(y, mo, d2);
    return from === undefined || to === undefined ? undefined : { from, to };
  };
  return yearless(inYear, c, null, null);
}

export function dayOfMonth(d: number, c: TimeContext): Found | null {
  if (d < 1 || d > 31) return null;
  let day = validDay(c.y, c.m, d);
  if (day === undefined || day > c.today) {
    const prev = ymd(monthStart(c.y, c.m - 1));
    day = validDay(prev.y, prev.m, d);
  }
  return day === undefined ? null : { from: day, to: day, zh: null, en: null, dayOfMonth: d };
}

export function blackFriday(y: number): DayRange {
  const nov1 = dayOf(y, 11, 1);
  const firstFriday = nov1 + ((5 - new Date(nov1 * 86_400_000).getUTCDay() + 7) % 7);
  return { from: firstFriday + 21, to: firstFriday + 21 };
}

/** The Monday after Black Friday. */
export function cyberMonday(y: number): DayRange {
  const friday = blackFriday(y).from;
  return { from: friday + 3, to: friday + 3 };
}

export function weekdayZh(prefix: string | undefined, wd: number, c: TimeContext): Found {
  if (!prefix) return weekday(c, wd, null, '', '');
  if (prefix === '上上') return weekday(c, wd, -2, '上上', 'the week before last, ');
  if (prefix === '上') return weekday(c, wd, -1, '上', 'last ');
  if (prefix === '下') return weekday(c, wd, 1, '下', 'next ');
  return weekday(c, wd, 0, '本', 'this ');
}

export function weekdayEn(m: RegExpExecArray, c: TimeContext): Found | null {
  const [, rel, short] = m;
  // "sun", "sat", "wed" and "mon" alone are too often something else
  if (!rel && m[0].length <= 3) return null;
  const wd = enWeekday(short);
  if (rel === 'last' || rel === 'previous') return weekday(c, wd, -1, '上', 'last ');
  if (rel === 'this') return weekday(c, wd, 0, '本', 'this ');
  if (rel === 'next') return weekday(c, wd, 1, '下', 'next ');
  return weekday(c, wd, null, '', '');
}
