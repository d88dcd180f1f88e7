import { addMonths, dayOf } from './ask-calendar.js';
import {
  blackFriday, cyberMonday, dateIn, day, dayOfMonth, EN_MONTH_NAMES, EN_WEEKDAY_RE, fixedDay, month, MONTH_RE, monthAt, monthIn, monthNameRecent,
  monthOf, monthSpan, ORD, quarter, QUARTER_ORD, quarterAt, quarterRecent, rolling, rollingUnit, spanIn, week, weekdayEn, weekdayZh,
  year, yearless, ZH_WEEKDAY, ago, weekend, currentPeriod, firstMonths, monthsSpan,
  type Found, type TimeContext, type TimeUnit,
} from './ask-time-periods.js';

export type { TimeContext, TimeHit, TimeUnit } from './ask-time-periods.js';
export { currentPeriod };

export interface TimeRule { re: RegExp; hit: (m: RegExpExecArray, c: TimeContext) => Found | null }

const g = (source: string): RegExp => new RegExp(source, 'g');
const N = '(\\d{1,4})';

/**
 * The time expressions, most specific first: where two overlap, the earlier rule wins. Input is
 * the normalised question (simplified, lower-case, counting numerals as digits).
 */
export const TIME_RULES: readonly TimeRule[] = [
  // explicit dates: 2025-11-01, 2025/11/1, 2025年11月1日, 20251101, Nov 1 2025, 1 Nov 2025
  { re: g('(?<!\\d|\\d\\.)((?:19|20)\\d{2})\\s*[-/.年]\\s*(\\d{1,2})\\s*[-/.月]\\s*(\\d{1,2})\\s*[日号]?(?!\\d|\\.\\d)'), hit: (m) => fixedDay(+m[1], +m[2], +m[3]) },
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
  // the first N months, quarters or days of a year or month: 今年前10个月, 前三季度, 11月前10天, 1-10月
  { re: g('(今年|去年|前年|((?:19|20)\\d{2})年)?的?前(\\d{1,2})个月(?!\\d)'), hit: (m, c) => (m[1] ? firstMonths(m[2] ? +m[2] : c.y - ({ 今年: 0, 去年: 1, 前年: 2 } as Record<string, number>)[m[1]], +m[3]) : null) },
  { re: g('(今年|去年|((?:19|20)\\d{2})年)?的?前([1-4])(?:个)?季度'), hit: (m, c) => firstMonths(m[2] ? +m[2] : m[1] === '去年' ? c.y - 1 : c.y, +m[3] * 3) },
  { re: g('(?<![\\d.])(\\d{1,2})\\s*月(?:份)?的?前(\\d{1,2})天'), hit: (m, c) => monthSpan(+m[1], 1, +m[2], c) },
  { re: g('(?<![\\d.年])(\\d{1,2})\\s*[-~到至]\\s*(\\d{1,2})\\s*月(?!\\s*\\d)'), hit: (m, c) => monthsSpan(+m[1], +m[2], c) },
  // a span inside one month: 11月1号到15号, nov 1-15, between nov 1 and 15
  { re: g('(?<!\\d)(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*[日号]?\\s*(?:到|至|-|~|—)\\s*(\\d{1,2})\\s*[日号](?!\\s*\\d)'), hit: (m, c) => monthSpan(+m[1], +m[2], +m[3], c) },
  { re: g(`\\b${MONTH_RE}\\s*(\\d{1,2})${ORD}\\s*(?:-|~|to|through|thru|until|till|and)\\s*(\\d{1,2})${ORD}\\b(?!\\s*(?:[a-z]{3}|/|\\.|:))`), hit: (m, c) => monthSpan(monthOf(m[1]), +m[2], +m[3], c) },
  { re: g(`\\b(\\d{1,2})${ORD}\\s*(?:-|~|to|through|until|till|and)\\s*(\\d{1,2})${ORD}\\s+(?:of\\s+)?${MONTH_RE}(?!\\s*\\d)`), hit: (m, c) => monthSpan(monthOf(m[3]), +m[1], +m[2], c) },
  // shopping festivals and holidays (a date without a year: its most recent occurrence)
  { re: g('双\\s*11|(?<![\\d.])11\\.11(?![\\d.])|\\bsingles\'?\\s*day\\b|\\bdouble\\s*(?:11|eleven)\\b'), hit: (_m, c) => yearless(dateIn(11, 11), c, '双十一', "Singles' Day") },
  { re: g('双\\s*12|(?<![\\d.])12\\.12(?![\\d.])|\\bdouble\\s*(?:12|twelve)\\b'), hit: (_m, c) => yearless(dateIn(12, 12), c, '双十二', 'Double 12') },
  { re: g('(?<![\\d.])6\\.?18(?![\\d.%])|六一八'), hit: (_m, c) => yearless(dateIn(6, 18), c, '618', '618') },
  { re: g('黑五|黑色星期五|\\bblack\\s*friday\\b'), hit: (_m, c) => yearless(blackFriday, c, '黑五', 'Black Friday') },
  { re: g('网络星期一|\\bcyber\\s*monday\\b'), hit: (_m, c) => yearless(cyberMonday, c, '网络星期一', 'Cyber Monday') },
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
  // N days/weeks/months ago, weekends
  { re: g('(\\d{1,3})\\s*(天|日|周|个星期|星期|个月|月|年)(?:以前|之前|前)(?!\\d)|\\b(\\d{1,3})\\s*(days?|weeks?|wks?|months?|years?)\\s+ago\\b'), hit: (m, c) => ago(+(m[1] ?? m[3]), m[2] ?? m[4], c) },
  { re: g('上(?:个)?周末|上(?:个)?礼拜(?:六日|末)|\\blast\\s+weekend\\b|\\b(?:this\\s+)?past\\s+weekend\\b'), hit: (_m, c) => weekend(c, -1) },
  { re: g('(?:这|本)(?:个)?周末|\\bthis\\s+weekend\\b'), hit: (_m, c) => weekend(c, 0) },
  { re: g('下(?:个)?周末|\\bnext\\s+weekend\\b'), hit: (_m, c) => weekend(c, 1) },
  { re: g('周末|\\b(?:the|on\\s+the|over\\s+the)\\s+weekend\\b'), hit: (_m, c) => weekend(c, null) },
  { re: g('\\b(?:since\\s+)?the\\s+(?:start|beginning)\\s+of\\s+(?:the|this)\\s+(week|month|quarter|year)\\b'), hit: (m, c) => currentPeriod(m[1] as TimeUnit, c) },
  // relative periods
  { re: g('大前天'), hit: (_m, c) => day(c, -3) },
  { re: g('前天|\\b(?:the\\s+)?day\\s+before\\s+yesterday\\b'), hit: (_m, c) => day(c, -2) },
  // only ever the other side of a comparison ("yesterday vs the day before"): its unit is what counts
  { re: g('\\b(?:the\\s+)?(?:day|one)\\s+before\\b'), hit: (_m, c) => day(c, -2) },
  { re: g('昨天|昨日|昨儿|\\byesterday\\b|\\byday\\b|\\byest\\b'), hit: (_m, c) => day(c, -1) },
  { re: g('今天|今日|当天|今儿|\\btoday\\b|\\btdy\\b|\\btonight\\b|\\bso\\s+far\\s+today\\b'), hit: (_m, c) => day(c, 0) },
  { re: g('明天|明日|\\btomorrow\\b'), hit: (_m, c) => day(c, 1) },
  // weekdays: 上周三, 这周五, 周一, since monday, last friday
  { re: g('(上上|上|这个?|本|下)?\\s*(?:个)?(?:周|星期|礼拜)([一二三四五六日天1-7])(?![共下些点样直定起般切次])'), hit: (m, c) => weekdayZh(m[1], ZH_WEEKDAY[m[2]], c) },
  { re: g(`\\b(?:(last|this|next|previous)\\s+)?${EN_WEEKDAY_RE}\\b`), hit: (m, c) => weekdayEn(m, c) },
  { re: g('上上(?:个)?(?:周|星期|礼拜)|\\bthe\\s+week\\s+before\\s+last\\b'), hit: (_m, c) => week(c, -2) },
  { re: g('上(?:一|个|1)?(?:个)?(?:周|星期|礼拜)|\\b(?:last|previous|prev|prior)\\s+(?:week|wk)\\b|\\b(?:the\\s+)?week\\s+before\\b'), hit: (_m, c) => week(c, -1) },
  { re: g('(?:本|这|这一|这个|当)(?:周|星期|礼拜)|周初(?:至今|到现在|以来)?|\\b(?:this|current)\\s+(?:week|wk)\\b|\\bweek\\s+to\\s+date\\b|\\bwtd\\b'), hit: (_m, c) => week(c, 0) },
  { re: g('下(?:个|一)?(?:周|星期|礼拜)|\\bnext\\s+(?:week|wk)\\b'), hit: (_m, c) => week(c, 1) },
  { re: g('上上(?:个)?月|\\bthe\\s+month\\s+before\\s+last\\b'), hit: (_m, c) => month(c, -2) },
  { re: g('上(?:一|1)?个?月(?:份)?|\\b(?:last|previous|prev|prior)\\s+(?:month|mo|mth)\\b|\\b(?:the\\s+)?month\\s+before\\b'), hit: (_m, c) => month(c, -1) },
  { re: g('(?:本|这|这一|这个|当)个?月(?:份)?|月初(?:至今|到现在|以来)?|\\b(?:this|current)\\s+(?:month|mo|mth)\\b|\\bmonth\\s+to\\s+date\\b|\\bmtd\\b'), hit: (_m, c) => month(c, 0) },
  { re: g('下(?:一|1)?个?月|\\bnext\\s+month\\b'), hit: (_m, c) => month(c, 1) },
  { re: g('上(?:一|1)?个?季度|\\b(?:last|previous|prev|prior)\\s+(?:quarter|qtr)\\b|\\b(?:the\\s+)?quarter\\s+before\\b'), hit: (_m, c) => quarter(c, -1) },
  { re: g('(?:本|这|这一|这个|当)个?季度|\\b(?:this|current)\\s+(?:quarter|qtr)\\b|\\bquarter\\s+to\\s+date\\b|\\bqtd\\b'), hit: (_m, c) => quarter(c, 0) },
  { re: g('前年|\\bthe\\s+year\\s+before\\s+last\\b'), hit: (_m, c) => year(c, -2) },
  { re: g('去年|上(?:一|1)?年(?!级)|\\b(?:last|previous|prev|prior)\\s+(?:year|yr)\\b|\\b(?:the\\s+)?year\\s+before\\b'), hit: (_m, c) => year(c, -1) },
  { re: g('上上(?:个)?季度|\\bthe\\s+quarter\\s+before\\s+last\\b'), hit: (_m, c) => quarter(c, -2) },
  { re: g('今年|本年度?|年初(?:至今|到现在|以来)?|\\b(?:this|current)\\s+(?:year|yr)\\b|\\byear\\s+to\\s+date\\b|\\bytd\\b'), hit: (_m, c) => year(c, 0) },
  { re: g('明年|\\bnext\\s+year\\b'), hit: (_m, c) => year(c, 1) },
  // halves: 上半年, second half, H1 (the year's own when named with it: 去年下半年)
  { re: g('上半年|\\b(?:the\\s+)?first\\s+half(?:\\s+of\\s+(?:the\\s+)?year)?\\b|\\bh1\\b'), hit: (_m, c) => yearless(spanIn(1, 1, 6, 30), c, '上半年', 'first half') },
  { re: g('下半年|\\b(?:the\\s+)?second\\s+half(?:\\s+of\\s+(?:the\\s+)?year)?\\b|\\bh2\\b'), hit: (_m, c) => yearless(spanIn(7, 1, 12, 31), c, '下半年', 'second half') },
  // quarters and months without a year: Q1, 第一季度, first quarter, 10月, october
  { re: g('第\\s*([1-4])\\s*(?:季度|季)|(?<!\\d)([1-4])\\s*季度|\\bq([1-4])\\b|\\b(?:the\\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)\\s+quarter\\b'), hit: (m, c) => quarterRecent(+(m[1] ?? m[2] ?? m[3] ?? QUARTER_ORD[m[4]]), c) },
  { re: g('(?<![\\d.])(\\d{1,2})\\s*月份?(?!\\s*\\d)'), hit: (m, c) => (+m[1] >= 1 && +m[1] <= 12 ? yearless(monthIn(+m[1]), c, `${+m[1]}月`, EN_MONTH_NAMES[+m[1] - 1]) : null) },
  { re: g(`\\b${MONTH_RE}(?=$|[^a-z])`), hit: (m, c) => monthNameRecent(m, c) },
  // a year: 2024年, in 2024, 2024
  { re: g('(?<![\\d.])((?:1[89]|20)\\d{2})\\s*(?:年(?:度|全年)?|(?![\\d.%]))'), hit: (m) => ({ from: dayOf(+m[1], 1, 1), to: dayOf(+m[1], 12, 31), zh: `${m[1]}年`, en: m[1], year: +m[1] }) },
  // a bare day of the month: 15号 (this month's, or last month's if it has not come yet)
  { re: g('(?<![\\d月.])(\\d{1,2})\\s*(?:号|日)(?![\\d])'), hit: (m, c) => dayOfMonth(+m[1], c) },
];
