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
}

type Found = Omit<TimeHit, 'start' | 'end'>;
export interface TimeRule { re: RegExp; hit: (m: RegExpExecArray, c: TimeContext) => Found | null }

const MONTH_RE = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const MONTH_KEYS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const EN_MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const monthOf = (s: string): number => MONTH_KEYS.indexOf(s.slice(0, 3)) + 1;
const ORD = '(?:st|nd|rd|th)?';
const ZH_WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7 };
const ZH_WEEKDAY_NAMES = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const EN_WEEKDAYS = ['', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const EN_WEEKDAY_RE = '(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?';
const enWeekday = (s: string): number => ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(s.slice(0, 3)) + 1;
const QUARTER_ORD: Record<string, number> = { first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4 };
const cap = (s: string): string => s[0].toUpperCase() + s.slice(1);

/** The most recent occurrence of a yearless period that has begun (10月 in January is last October). */
function recent(inYear: (y: number) => DayRange | undefined, c: TimeContext): DayRange | undefined {
  const r = inYear(c.y);
  if (r && r.from <= c.today) return r;
  return inYear(c.y - 1);
}

function yearless(inYear: (y: number) => DayRange | undefined, c: TimeContext, zh: string | null, en: string | null): Found | null {
  const r = recent(inYear, c);
  if (!r) return null;
  return { ...r, zh, en, inYear: (y) => inYear(y) ?? inYear(y - 1) ?? r };
}

const dateIn = (m: number, d: number) => (y: number): DayRange | undefined => {
  const day = validDay(y, m, d);
  return day === undefined ? undefined : { from: day, to: day };
};
const monthIn = (m: number) => (y: number): DayRange => ({ from: monthStart(y, m), to: monthEnd(y, m) });
const quarterIn = (q: number) => (y: number): DayRange => ({ from: monthStart(y, q * 3 - 2), to: monthEnd(y, q * 3) });
const spanIn = (m1: number, d1: number, m2: number, d2: number) => (y: number): DayRange => ({ from: dayOf(y, m1, d1), to: dayOf(y, m2, d2) });
const fixedDay = (y: number, m: number, d: number): Found | null => {
  const day = validDay(y, m, d);
  return day === undefined ? null : { from: day, to: day, zh: null, en: null };
};
const rolling = (c: TimeContext, from: Day, zh: string, en: string): Found => ({ from, to: c.today, zh, en });

function rollingUnit(n: number, unit: string, c: TimeContext): Found | null {
  if (!(n > 0 && n <= 3660)) return null;
  if (/^(天|日|d)/.test(unit)) return rolling(c, c.today - n + 1, `近${n}天`, `last ${n} days`);
  if (/^(周|星期|礼拜|w)/.test(unit)) return rolling(c, c.today - 7 * n + 1, `近${n}周`, `last ${n} weeks`);
  if (/^(个?月|m)/.test(unit)) return rolling(c, addMonths(c.today, -n) + 1, `近${n}个月`, `last ${n} months`);
  if (/^(年|y)/.test(unit)) return rolling(c, addMonths(c.today, -12 * n) + 1, `近${n}年`, `last ${n} years`);
  return null;
}

function week(c: TimeContext, offset: number): Found {
  const ws = weekStart(c.today) + 7 * offset;
  const names: Record<number, [string, string]> = { [-2]: ['上上周', 'the week before last'], [-1]: ['上周', 'last week'], 0: ['本周', 'this week'], 1: ['下周', 'next week'] };
  const [zh, en] = names[offset];
  return { from: ws, to: offset === 0 ? c.today : ws + 6, zh, en, unit: 'week', offset };
}

function month(c: TimeContext, offset: number): Found {
  const from = monthStart(c.y, c.m + offset);
  const t = ymd(from);
  const names: Record<number, [string, string]> = { [-2]: ['上上个月', 'the month before last'], [-1]: ['上个月', 'last month'], 0: ['本月', 'this month'], 1: ['下个月', 'next month'] };
  const [zh, en] = names[offset];
  return { from, to: offset === 0 ? c.today : monthEnd(t.y, t.m), zh, en, unit: 'month', offset };
}

function quarter(c: TimeContext, offset: number): Found {
  const q0 = Math.floor((c.m - 1) / 3);
  const from = monthStart(c.y, q0 * 3 + 1 + offset * 3);
  const t = ymd(from);
  const [zh, en] = offset === 0 ? ['本季度', 'this quarter'] : offset === -1 ? ['上季度', 'last quarter'] : ['下季度', 'next quarter'];
  return { from, to: offset === 0 ? c.today : monthEnd(t.y, t.m + 2), zh, en, unit: 'quarter', offset };
}

function year(c: TimeContext, offset: number): Found {
  const y = c.y + offset;
  const names: Record<number, [string, string]> = { [-2]: ['前年', 'the year before last'], [-1]: ['去年', 'last year'], 0: ['今年', 'this year'], 1: ['明年', 'next year'] };
  const [zh, en] = names[offset];
  return { from: dayOf(y, 1, 1), to: offset === 0 ? c.today : dayOf(y, 12, 31), zh, en, unit: 'year', offset, year: y };
}

function day(c: TimeContext, offset: number): Found {
  const names: Record<number, [string, string]> = { [-3]: ['大前天', '3 days ago'], [-2]: ['前天', 'the day before yesterday'], [-1]: ['昨天', 'yesterday'], 0: ['今天', 'today'], 1: ['明天', 'tomorrow'] };
  const [zh, en] = names[offset];
  return { from: c.today + offset, to: c.today + offset, zh, en, unit: 'day', offset };
}

function weekday(c: TimeContext, wd: number, offset: number | null, prefixZh: string, prefixEn: string): Found {
  const thisWeek = weekStart(c.today) + wd - 1;
  const d = offset === null ? (thisWeek <= c.today ? thisWeek : thisWeek - 7) : thisWeek + 7 * offset;
  return { from: d, to: d, zh: `${prefixZh}${ZH_WEEKDAY_NAMES[wd]}`, en: `${prefixEn}${cap(EN_WEEKDAYS[wd])}` };
}

const g = (source: string): RegExp => new RegExp(source, 'g');
const N = '(\\d{1,4})';

/**
 * The time expressions, most specific first: where two overlap, the earlier rule wins. Input is
 * the normalised question (simplified, lower-case, counting numerals as digits).
 */
export const TIME_RULES: readonly TimeRule[] = [
  // explicit dates: 2025-11-01, 2025/11/1, 2025年11月1日, 20251101, Nov 1 2025, 1 Nov 2025
  { re: g('(?<![\\d.])((?:19|20)\\d{2})\\s*[-/.年]\\s*(\\d{1,2})\\s*[-/.月]\\s*(\\d{1,2})\\s*[日号]?(?![\\d.])'), hit: (m) => fixedDay(+m[1], +m[2], +m[3]) },
  { re: g('(?<![\\da-z])((?:19|20)\\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])(?![\\d])'), hit: (m) => fixedDay(+m[1], +m[2], +m[3]) },
  { re: g(`\\b${MONTH_RE}\\s*(\\d{1,2})${ORD},?\\s+((?:19|20)\\d{2})\\b`), hit: (m) => fixedDay(+m[3], monthOf(m[1]), +m[2]) },
  { re: g(`\\b(\\d{1,2})${ORD}\\s+(?:of\\s+)?${MONTH_RE},?\\s+((?:19|20)\\d{2})\\b`), hit: (m) => fixedDay(+m[3], monthOf(m[2]), +m[1]) },
  // quarters with a year: 2026年第一季度, 2026 q1, q1 2026, the first quarter of 2026
  { re: g('((?:19|20)\\d{2})\\s*年?\\s*的?\\s*(?:第\\s*([1-4])\\s*季度?|q([1-4])|([1-4])\\s*季度)'), hit: (m) => quarterAt(+m[1], +(m[2] ?? m[3] ?? m[4])) },
  { re: g('\\bq([1-4])\\s*(?:of\\s+|,\\s*)?((?:19|20)\\d{2})\\b'), hit: (m) => quarterAt(+m[2], +m[1]) },
  { re: g('\\b(?:the\\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)\\s+quarter\\s+(?:of\\s+|in\\s+)?((?:19|20)\\d{2})\\b'), hit: (m) => quarterAt(+m[2], QUARTER_ORD[m[1]]) },
  // months with a year: 2026年10月, 2025-11, Nov 2025, 2025 November
  { re: g('((?:19|20)\\d{2})\\s*年\\s*(\\d{1,2})\\s*月份?'), hit: (m) => monthAt(+m[1], +m[2]) },
  { re: g('(?<![\\d.])((?:19|20)\\d{2})[-/.](\\d{1,2})(?![\\d./-])'), hit: (m) => monthAt(+m[1], +m[2]) },
  { re: g(`\\b${MONTH_RE}\\s*,?\\s*((?:19|20)\\d{2})\\b`), hit: (m) => monthAt(+m[2], monthOf(m[1])) },
  { re: g(`\\b((?:19|20)\\d{2})\\s+${MONTH_RE}\\b`), hit: (m) => monthAt(+m[1], monthOf(m[2])) },
  // a span inside one month: 11月1号到15号, nov 1-15, between nov 1 and 15
  { re: g('(?<!\\d)(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*[日号]?\\s*(?:到|至|-|~|—)\\s*(\\d{1,2})\\s*[日号](?!\\s*\\d)'), hit: (m, c) => monthSpan(+m[1], +m[2], +m[3], c) },
  { re: g(`\\b${MONTH_RE}\\s*(\\d{1,2})${ORD}\\s*(?:-|~|to|through|thru|until|till|and)\\s*(\\d{1,2})${ORD}\\b(?!\\s*(?:[a-z]{3}|/|\\.|:))`), hit: (m, c) => monthSpan(monthOf(m[1]), +m[2], +m[3], c) },
  { re: g(`\\b(\\d{1,2})${ORD}\\s*(?:-|~|to|through|until|till|and)\\s*(\\d{1,2})${ORD}\\s+(?:of\\s+)?${MONTH_RE}(?!\\s*\\d)`), hit: (m, c) => monthSpan(monthOf(m[3]), +m[1], +m[2], c) },
  // shopping festivals and holidays (a date without a year: its most recent occurrence)
  { re: g('双\\s*11|(?<![\\d.])11\\.11(?![\\d.])|\\bsingles\'?\\s*day\\b|\\bdouble\\s*(?:11|eleven)\\b'), hit: (_m, c) => yearless(dateIn(11, 11), c, '双十一', "Singles' Day") },
  { re: g('双\\s*12|(?<![\\d.])12\\.12(?![\\d.])|\\bdouble\\s*(?:12|twelve)\\b'), hit: (_m, c) => yearless(dateIn(12, 12), c, '双十二', 'Double 12') },
  { re: g('(?<![\\d.])6\\.?18(?![\\d.%])|六一八'), hit: (_m, c) => yearless(dateIn(6, 18), c, '618', '618') },
  { re: g('黑五|黑色星期五|\\bblack\\s*friday\\b'), hit: (_m, c) => yearless(blackFriday, c, '黑五', 'Black Friday') },
  { re: g('圣诞节?|\\b(?:christmas|xmas)(?:\\s+day)?\\b'), hit: (_m, c) => yearless(dateIn(12, 25), c, '圣诞节', 'Christmas') },
  { re: g('元旦|\\bnew\\s+year\'?s\\s+day\\b'), hit: (_m, c) => yearless(dateIn(1, 1), c, '元旦', "New Year's Day") },
  { re: g('情人节|\\bvalentine\'?s?(?:\\s+day)?\\b'), hit: (_m, c) => yearless(dateIn(2, 14), c, '情人节', "Valentine's Day") },
  { re: g('国庆(?:节|假期|长假|黄金周|期间)?|十一(?:黄金周|假期|长假|期间)|\\bgolden\\s+week\\b'), hit: (_m, c) => yearless(spanIn(10, 1, 10, 7), c, '国庆', 'Golden Week') },
  { re: g('劳动节|五一(?:假期|长假|期间)?'), hit: (_m, c) => yearless(spanIn(5, 1, 5, 5), c, '五一', 'May Day holiday') },
  // month and day without a year: 11月1号, 11.1, 11/15, nov 1, 1st of november
  { re: g('(?<![\\d.])(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*[日号]?(?!\\d)'), hit: (m, c) => yearless(dateIn(+m[1], +m[2]), c, null, null) },
  { re: g('(?<![\\d./:])(\\d{1,2})[./](\\d{1,2})(?![\\d./%:])'), hit: (m, c) => yearless(dateIn(+m[1], +m[2]), c, null, null) },
  { re: g(`\\b${MONTH_RE}\\s*(\\d{1,2})${ORD}(?![\\d:])`), hit: (m, c) => (m[1] === 'may' && !m[0].includes(' ') ? null : yearless(dateIn(monthOf(m[1]), +m[2]), c, null, null)) },
  { re: g(`\\b(?:the\\s+)?(\\d{1,2})${ORD}\\s+(?:of\\s+)?${MONTH_RE}\\b`), hit: (m, c) => yearless(dateIn(monthOf(m[2]), +m[1]), c, null, null) },
  // rolling windows: 近7天, 最近30天, 过去3个月, 近半年, last 30 days, past 3 months, 30d
  { re: g('(?:近|最近|过去|前|这|之前|往前)\\s*的?\\s*(\\d{1,4})\\s*(天|日|周|个星期|星期|个礼拜|礼拜|个月|月|年)(?:内|以内|之内|来|里)?|(\\d{1,4})\\s*(天|日|周|个月|年)(?:内|以内|之内|来)'), hit: (m, c) => rollingUnit(+(m[1] ?? m[3]), m[2] ?? m[4], c) },
  { re: g('(?:近|最近|过去)\\s*半\\s*年'), hit: (_m, c) => rolling(c, addMonths(c.today, -6) + 1, '近半年', 'last 6 months') },
  { re: g(`\\b(?:in\\s+|over\\s+|during\\s+|within\\s+|for\\s+)?(?:the\\s+)?(?:last|past|previous|prior|recent|trailing)\\s+${N}\\s*(days?|d|weeks?|wks?|w|months?|mos?|m|years?|yrs?|y)\\b`), hit: (m, c) => rollingUnit(+m[1], m[2], c) },
  { re: g(`(?<![\\d.])${N}\\s*(days|d)\\b(?!\\s+ago)`), hit: (m, c) => rollingUnit(+m[1], m[2], c) },
  { re: g('\\b(?:in\\s+|over\\s+|during\\s+)?(?:the\\s+)?(?:(?:past|last|trailing)\\s+12\\s+months|(?:past|trailing)\\s+year)\\b(?!\\s*\'s)|(?:近|最近|过去)\\s*(?:1|一)\\s*年'), hit: (_m, c) => rolling(c, addMonths(c.today, -12) + 1, '近一年', 'last 12 months') },
  { re: g('\\b(?:in\\s+|over\\s+|during\\s+)?(?:the\\s+)?past\\s+(week|month)\\b'), hit: (m, c) => rollingUnit(1, m[1], c) },
  // relative periods
  { re: g('大前天'), hit: (_m, c) => day(c, -3) },
  { re: g('前天|\\b(?:the\\s+)?day\\s+before\\s+yesterday\\b'), hit: (_m, c) => day(c, -2) },
  { re: g('昨天|昨日|昨儿|\\byesterday\\b|\\byday\\b|\\byest\\b'), hit: (_m, c) => day(c, -1) },
  { re: g('今天|今日|当天|今儿|\\btoday\\b|\\btdy\\b|\\btonight\\b|\\bso\\s+far\\s+today\\b'), hit: (_m, c) => day(c, 0) },
  { re: g('明天|明日|\\btomorrow\\b'), hit: (_m, c) => day(c, 1) },
  // weekdays: 上周三, 这周五, 周一, since monday, last friday
  { re: g('(上上|上|这个?|本|下)?\\s*(?:个)?(?:周|星期|礼拜)([一二三四五六日天1-7])'), hit: (m, c) => weekdayZh(m[1], ZH_WEEKDAY[m[2]], c) },
  { re: g(`\\b(?:(last|this|next|previous)\\s+)?${EN_WEEKDAY_RE}\\b`), hit: (m, c) => weekdayEn(m, c) },
  { re: g('上上(?:个)?(?:周|星期|礼拜)|\\bthe\\s+week\\s+before\\s+last\\b'), hit: (_m, c) => week(c, -2) },
  { re: g('上(?:一|个|1)?(?:个)?(?:周|星期|礼拜)|\\b(?:last|previous|prev|prior)\\s+(?:week|wk)\\b|\\b(?:the\\s+)?week\\s+before\\b'), hit: (_m, c) => week(c, -1) },
  { re: g('(?:本|这|这一|这个|当)(?:周|星期|礼拜)|周初(?:至今|到现在|以来)?|\\b(?:this|current)\\s+(?:week|wk)\\b|\\bweek\\s+to\\s+date\\b|\\bwtd\\b'), hit: (_m, c) => week(c, 0) },
  { re: g('下(?:个|一)?(?:周|星期|礼拜)|\\bnext\\s+(?:week|wk)\\b'), hit: (_m, c) => week(c, 1) },
  { re: g('上上(?:个)?月|\\bthe\\s+month\\s+before\\s+last\\b'), hit: (_m, c) => month(c, -2) },
  { re: g('上(?:一|1)?个?月(?:份)?|\\b(?:last|previous|prev|prior)\\s+(?:month|mo|mth)\\b|\\b(?:the\\s+)?month\\s+before\\b'), hit: (_m, c) => month(c, -1) },
  { re: g('(?:本|这|这一|这个|当)个?月(?:份)?|月初(?:至今|到现在|以来)?|\\b(?:this|current)\\s+(?:month|mo|mth)\\b|\\bmonth\\s+to\\s+date\\b|\\bmtd\\b'), hit: (_m, c) => month(c, 0) },
  { re: g('下(?:一|1)?个?月|\\bnext\\s+month\\b'), hit: (_m, c) => month(c, 1) },
  { re: g('上(?:一|1)?个?季度|\\b(?:last|previous|prev|prior)\\s+(?:quarter|qtr)\\b'), hit: (_m, c) => quarter(c, -1) },
  { re: g('(?:本|这|这一|这个|当)个?季度|\\b(?:this|current)\\s+(?:quarter|qtr)\\b|\\bquarter\\s+to\\s+date\\b|\\bqtd\\b'), hit: (_m, c) => quarter(c, 0) },
  { re: g('前年|\\bthe\\s+year\\s+before\\s+last\\b'), hit: (_m, c) => year(c, -2) },
  { re: g('去年|上(?:一|1)?年(?!级)|\\b(?:last|previous|prev|prior)\\s+(?:year|yr)\\b|\\b(?:the\\s+)?year\\s+before\\b'), hit: (_m, c) => year(c, -1) },
  { re: g('今年|本年度?|年初(?:至今|到现在|以来)?|\\b(?:this|current)\\s+(?:year|yr)\\b|\\byear\\s+to\\s+date\\b|\\bytd\\b'), hit: (_m, c) => year(c, 0) },
  { re: g('明年|\\bnext\\s+year\\b'), hit: (_m, c) => year(c, 1) },
  // halves: 上半年, second half, H1 (the year's own when named with it: 去年下半年)
  { re: g('上半年|\\b(?:the\\s+)?first\\s+half(?:\\s+of\\s+(?:the\\s+)?year)?\\b|\\bh1\\b'), hit: (_m, c) => yearless(spanIn(1, 1, 6, 30), c, '上半年', 'first half') },
  { re: g('下半年|\\b(?:the\\s+)?second\\s+half(?:\\s+of\\s+(?:the\\s+)?year)?\\b|\\bh2\\b'), hit: (_m, c) => yearless(spanIn(7, 1, 12, 31), c, '下半年', 'second half') },
  // quarters and months without a year: Q1, 第一季度, first quarter, 10月, october
  { re: g('第\\s*([1-4])\\s*(?:季度|季)|(?<!\\d)([1-4])\\s*季度|\\bq([1-4])\\b|\\b(?:the\\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)\\s+quarter\\b'), hit: (m, c) => quarterRecent(+(m[1] ?? m[2] ?? m[3] ?? QUARTER_ORD[m[4]]), c) },
  { re: g('(?<![\\d.])(\\d{1,2})\\s*月份?(?!\\s*\\d)'), hit: (m, c) => (+m[1] >= 1 && +m[1] <= 12 ? yearless(monthIn(+m[1]), c, `${+m[1]}月`, EN_MONTH_NAMES[+m[1] - 1]) : null) },
  { re: g(`(?:\\b(in|of|for|during|since|from|until|through|to|by)\\s+)?\\b${MONTH_RE}(?=$|[^a-z])`), hit: (m, c) => monthNameRecent(m, c) },
  // a year: 2024年, in 2024, 2024
  { re: g('(?<![\\d.])((?:1[89]|20)\\d{2})\\s*(?:年(?:度|全年)?|(?![\\d.%]))'), hit: (m) => ({ from: dayOf(+m[1], 1, 1), to: dayOf(+m[1], 12, 31), zh: `${m[1]}年`, en: m[1], year: +m[1] }) },
  // a bare day of the month: 15号 (this month's, or last month's if it has not come yet)
  { re: g('(?<![\\d月.])(\\d{1,2})\\s*(?:号|日)(?![\\d])'), hit: (m, c) => dayOfMonth(+m[1], c) },
];

/** This day/week/month/quarter/year, to today. */
export function currentPeriod(unit: TimeUnit, c: TimeContext): Found {
  return { day, week, month, quarter, year }[unit](c, 0);
}

function quarterAt(y: number, q: number): Found {
  return { ...quarterIn(q)(y), zh: `${y}年Q${q}`, en: `Q${q} ${y}` };
}

function quarterRecent(q: number, c: TimeContext): Found | null {
  return yearless(quarterIn(q), c, `Q${q}`, `Q${q}`);
}

function monthAt(y: number, m: number): Found | null {
  if (m < 1 || m > 12) return null;
  return { ...monthIn(m)(y), zh: `${y}年${m}月`, en: `${EN_MONTH_NAMES[m - 1]} ${y}` };
}

function monthNameRecent(m: RegExpExecArray, c: TimeContext): Found | null {
  // "may" and "march" are also words: only with a preposition before them
  if ((m[2] === 'may' || m[2] === 'march' || m[2] === 'mar') && !m[1]) return null;
  const mo = monthOf(m[2]);
  return yearless(monthIn(mo), c, `${mo}月`, EN_MONTH_NAMES[mo - 1]);
}

function monthSpan(mo: number, d1: number, d2: number, c: TimeContext): Found | null {
  if (d2 < d1) return null;
  const inYear = (y: number): DayRange | undefined => {
    const from = validDay(y, mo, d1);
    const to = validDay(y, mo, d2);
    return from === undefined || to === undefined ? undefined : { from, to };
  };
  return yearless(inYear, c, null, null);
}

function dayOfMonth(d: number, c: TimeContext): Found | null {
  if (d < 1 || d > 31) return null;
  let day = validDay(c.y, c.m, d);
  if (day === undefined || day > c.today) {
    const prev = ymd(monthStart(c.y, c.m - 1));
    day = validDay(prev.y, prev.m, d);
  }
  return day === undefined ? null : { from: day, to: day, zh: null, en: null, dayOfMonth: d };
}

function blackFriday(y: number): DayRange {
  const nov1 = dayOf(y, 11, 1);
  const firstFriday = nov1 + ((5 - new Date(nov1 * 86_400_000).getUTCDay() + 7) % 7);
  return { from: firstFriday + 21, to: firstFriday + 21 };
}

function weekdayZh(prefix: string | undefined, wd: number, c: TimeContext): Found {
  if (!prefix) return weekday(c, wd, null, '', '');
  if (prefix === '上上') return weekday(c, wd, -2, '上上', 'the week before last, ');
  if (prefix === '上') return weekday(c, wd, -1, '上', 'last ');
  if (prefix === '下') return weekday(c, wd, 1, '下', 'next ');
  return weekday(c, wd, 0, '本', 'this ');
}

function weekdayEn(m: RegExpExecArray, c: TimeContext): Found | null {
  const [, rel, short] = m;
  // "sun", "sat", "wed" and "mon" alone are too often something else
  if (!rel && m[0].length <= 3) return null;
  const wd = enWeekday(short);
  if (rel === 'last' || rel === 'previous') return weekday(c, wd, -1, '上', 'last ');
  if (rel === 'this') return weekday(c, wd, 0, '本', 'this ');
  if (rel === 'next') return weekday(c, wd, 1, '下', 'next ');
  return weekday(c, wd, null, '', '');
}
