import {
  comparisonRange, enRangeText, isoDay, monthEnd, todayIn, validDay, weekStart, ymd, zhRangeText, type Day, type DayRange,
} from './ask-calendar.js';
import type { Compare } from './ask-query.js';
import { currentPeriod, TIME_RULES, type TimeContext, type TimeHit, type TimeUnit } from './ask-time-rules.js';

/** How the time words of a question were read. */
export interface TimeReading {
  /** The period asked about, or null when the question names none. */
  period: (DayRange & { zh: string | null; en: string | null }) | null;
  compare: Compare | null;
  /** "week over week" with no period named: the unit whose current period is meant. */
  compareUnit: TimeUnit | null;
  /** Where time and comparison words were found (blanked before the rest is parsed). */
  spans: [number, number][];
}

export function timeContext(now: Date, timeZone: string): TimeContext {
  const today = todayIn(now, timeZone);
  return { today, ...ymd(today) };
}

// Comparison words that need no period after them.
const PREVIOUS_YEAR = /同比(?:增长|下降|变化|增幅|涨幅)?|去年同期|上年同期|往年同期|同期|\byoy\b|\by\/y\b|\byear[\s-]+(?:over|on)[\s-]+year\b|\b(?:vs\.?|versus|compared\s+(?:with|to)|against)?\s*(?:the\s+)?same\s+(?:period|time|month|week|day|days|quarter|dates?)\s+(?:of\s+|in\s+)?(?:last|the\s+previous|previous|a)\s+year\b|\ba\s+year\s+(?:ago|earlier|before)\b/g;
const PREVIOUS_PERIOD = /环比(?:增长|下降|变化|增幅|涨幅)?|上一期|上期|前一期|\bmom\b|\bwow\b|\bdod\b|\bqoq\b|\b[wmdq]\/[wmdq]\b|\b(?:month|week|day|quarter)[\s-]+(?:over|on)[\s-]+(?:month|week|day|quarter)\b|\b(?:vs\.?|versus|compared\s+(?:with|to)|against)?\s*(?:the\s+)?(?:previous|prior|preceding|last)\s+period\b|\bperiod[\s-]+over[\s-]+period\b/g;
// A connector before a period makes it the comparison's other side: 比上周, vs last week, 和去年比
const CONNECTOR = /(?:\bvs\.?|\bversus|\bv\.?s\.?|\bcompared?\s+(?:\w+\s+)?(?:with|to)|\bagainst|\brelative\s+to|\bthan|比|跟|和|与|同|对比|相比|较|比较|比起|对照|同比|环比)\s*(?:the\s+|with\s+|to\s+)?$/;
const LONE_CONNECTOR = /(?:\bvs\.?|\bversus|\bv\.?s\.?|\bcompared?\s+(?:\w+\s+)?(?:with|to)|\bagainst|\brelative\s+to|\bthan|(?<![同环])比|跟|和|与|对比|相比|较|比较|比起|对照)\s*(?:the\s+|with\s+|to\s+)?$/;
const TARGET_BEFORE = /(?:跟|和|与|同|较|对比|相比)\s*$/;
const TARGET_AFTER = /^\s*(?:比|相比|对比|比较|比的话|相比较)/;
const MAX_HITS = 12;
const COMPARE_UNIT: [RegExp, TimeUnit][] = [[/\bwow\b|\bw\/w\b|\bweek[\s-]+(?:over|on)/, 'week'], [/\bdod\b|\bd\/d\b|\bday[\s-]+(?:over|on)/, 'day'], [/\bqoq\b|\bq\/q\b|\bquarter[\s-]+(?:over|on)/, 'quarter']];
const RANGE_JOIN = /^\s*(?:到|至|~|-|—|\.\.|to|until|till|through|thru)\s*$/;
const AND_JOIN = /^\s*(?:and|和|与|跟|,)\s*$/;
const BETWEEN_BEFORE = /(?:between|从|在|自)\s*$/;
const BETWEEN_AFTER = /^\s*(?:之间|期间|中间)/;
const OPEN_END_AFTER = /^\s*(?:(?:到|至|-|~|until|till|to|through|up\s+to)\s*(?:the\s+)?(?:现在|今天|目前|今日|当前|此刻|now|today|date|present)(?:\s*为止)?|以来|至今|迄今|起|开始|之后|以后|to\s+date|till\s+now|until\s+now|so\s+far)/;
const OPEN_START_BEFORE = /(?:\bsince|自从|自|从)\s*$/;

/**
 * Reads the time words of a normalised question: the period, and a comparison if one is asked
 * for. Conventions (all in the shop's time zone): weeks start on Monday; this week/month/year
 * runs to today; "last N days" includes today; ranges include both ends; a period without a year
 * is its most recent occurrence that has begun; future periods are read as asked.
 */
export function parseTime(text: string, c: TimeContext): TimeReading {
  const spans: [number, number][] = [];
  let compare: Compare | null = null;
  let compareUnit: TimeUnit | null = null;
  for (const [re, kind] of [[PREVIOUS_YEAR, 'previous_year'], [PREVIOUS_PERIOD, 'previous_period']] as const) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].trim() === '' || overlaps(spans, m.index, m.index + m[0].length)) continue;
      spans.push([m.index, m.index + m[0].length]);
      compare ??= kind;
      compareUnit ??= COMPARE_UNIT.find(([re]) => re.test(m[0]))?.[1] ?? null;
    }
  }
  const hits = mergeRanges(text, c, combineYears(text, collect(text, c, spans)));
  for (const h of hits) spans.push([h.start, h.end]);

  // the other side of a comparison: "跟去年比", "vs last week", "比上周" (a lone period after 环比/同比
  // is the period asked about: "销售额同比 上个月")
  let target = hits.find((h) => TARGET_BEFORE.test(text.slice(Math.max(0, h.start - 24), h.start)) && TARGET_AFTER.test(text.slice(h.end)));
  for (let i = hits.length - 1; i >= 0 && !target; i--) {
    const before = text.slice(i > 0 ? hits[i - 1].end : Math.max(0, hits[i].start - 24), hits[i].start);
    const lone = hits.length === 1 && (hits[i].offset ?? 0) < 0;
    if ((i > 0 && CONNECTOR.test(before)) || (lone && LONE_CONNECTOR.test(before))) target = hits[i];
  }
  let primary: TimeHit | (DayRange & { zh: string | null; en: string | null }) | undefined = hits.find((h) => h !== target);
  if (target) {
    if (!primary) primary = currentOf(target, c);
    if (primary) compare = compareKind(target, primary) ?? compare;
  }
  const period = primary ? { from: primary.from, to: primary.to, zh: primary.zh, en: primary.en } : null;
  return { period, compare, compareUnit, spans };
}

function overlaps(spans: [number, number][], start: number, end: number): boolean {
  return spans.some(([s, e]) => start < e && end > s);
}

function collect(text: string, c: TimeContext, taken: [number, number][]): TimeHit[] {
  const used: [number, number][] = [...taken];
  const hits: TimeHit[] = [];
  for (const rule of TIME_RULES) {
    rule.re.lastIndex = 0;
    // a question names a period or two; a pasted list of dates is not read past a dozen
    for (let m = rule.re.exec(text); m && hits.length < MAX_HITS; m = rule.re.exec(text)) {
      if (m[0].length === 0) {
        rule.re.lastIndex++;
        continue;
      }
      // a leading space or preposition the rule allowed is not part of the period
      const start = m.index;
      const end = start + m[0].length;
      if (overlaps(used, start, end)) continue;
      const found = rule.hit(m, c);
      if (!found) continue;
      used.push([start, end]);
      hits.push({ ...found, start, end });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** 去年双十一, 今年10月, october last year: a yearless period placed in the year named beside it. */
function combineYears(text: string, hits: TimeHit[]): TimeHit[] {
  const out: TimeHit[] = [];
  for (let i = 0; i < hits.length; i++) {
    const a = hits[i];
    const b = hits[i + 1];
    if (b) {
      const gap = text.slice(a.end, b.start);
      const yearFirst = a.year !== undefined && b.inYear && /^\s*的?\s*$/.test(gap);
      const yearAfter = a.inYear && b.year !== undefined && /^\s*(?:of|in|,)?\s*$/.test(gap);
      if (yearFirst || yearAfter) {
        const [y, p] = yearFirst ? [a, b] : [b, a];
        const r = p.inYear?.(y.year ?? 0) ?? p;
        const zh = y.zh && p.zh ? `${y.zh}${p.zh}` : null;
        const en = y.en && p.en ? `${p.en} ${y.en}` : null;
        out.push({ from: r.from, to: r.to, zh, en, start: a.start, end: b.end });
        i++;
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

/** 11月1号到11月15号, between nov 1 and nov 15, 10月到现在, since monday: one range each. */
function mergeRanges(text: string, c: TimeContext, hits: TimeHit[]): TimeHit[] {
  const out: TimeHit[] = [];
  for (let i = 0; i < hits.length; i++) {
    const a = hits[i];
    const b = hits[i + 1];
    if (b) {
      const gap = text.slice(a.end, b.start);
      const joined = RANGE_JOIN.test(gap)
        || (AND_JOIN.test(gap) && (BETWEEN_BEFORE.test(text.slice(0, a.start)) || BETWEEN_AFTER.test(text.slice(b.end))));
      const range = joined ? spanOf(a, b) : undefined;
      if (range) {
        const after = BETWEEN_AFTER.exec(text.slice(b.end));
        const startMatch = BETWEEN_BEFORE.exec(text.slice(Math.max(0, a.start - 8), a.start));
        out.push({
          ...range, zh: null, en: null,
          start: a.start - (startMatch?.[0].length ?? 0), end: b.end + (after?.[0].length ?? 0),
        });
        i++;
        continue;
      }
    }
    out.push(openEnded(text, c, a));
  }
  return out;
}

function spanOf(a: TimeHit, b: TimeHit): DayRange | undefined {
  let to = b.to;
  if (b.dayOfMonth !== undefined) {
    const { y, m } = ymd(a.to);
    const day = validDay(y, m, b.dayOfMonth);
    if (day === undefined) return undefined;
    to = day >= a.from ? day : (validDay(ymd(monthEnd(y, m) + 1).y, ymd(monthEnd(y, m) + 1).m, b.dayOfMonth) ?? day);
  } else if (b.weekday !== undefined) {
    // 上周一到周三: the end falls in the start's week
    const day = weekStart(a.from) + b.weekday - 1;
    to = day >= a.from ? day : day + 7;
  } else if (b.inYear) {
    // an end without a year falls in the start's year, or the next one if it would come first
    const y = ymd(a.from).y;
    const r = b.inYear(y);
    to = r.to >= a.from ? r.to : b.inYear(y + 1).to;
  }
  return to >= a.from ? { from: a.from, to } : undefined;
}

function openEnded(text: string, c: TimeContext, h: TimeHit): TimeHit {
  const after = OPEN_END_AFTER.exec(text.slice(h.end));
  const before = OPEN_START_BEFORE.exec(text.slice(Math.max(0, h.start - 8), h.start));
  if ((!after && !before) || h.from > c.today || (h.to === c.today && !before)) return after ? { ...h, end: h.end + after[0].length } : h;
  const zhName = h.zh ?? zhRangeText({ from: h.from, to: h.from }, c.today);
  const enName = h.en ?? enRangeText({ from: h.from, to: h.from }, c.today);
  return {
    from: h.from, to: c.today, zh: `${zhName}至今`, en: `since ${enName}`,
    start: h.start - (before?.[0].length ?? 0), end: h.end + (after?.[0].length ?? 0),
  };
}

/** 比上周 with nothing else named means this week; 比去年 means this year. */
function currentOf(target: TimeHit, c: TimeContext): TimeHit | undefined {
  if (target.unit === undefined || target.offset === undefined || target.offset >= 0) return undefined;
  return { ...currentPeriod(target.unit, c), start: -1, end: -1 };
}

function compareKind(target: DayRange & { unit?: string }, primary: DayRange & { unit?: string }): Compare {
  const sameDates = (a: DayRange, b: DayRange): boolean => a.from === b.from && a.to === b.to;
  const prevPeriod = comparisonRange(primary, 'previous_period');
  const prevYear = comparisonRange(primary, 'previous_year');
  if (target.unit === 'year') return 'previous_year';
  if (sameDates(target, prevYear) && !sameDates(target, prevPeriod)) return 'previous_year';
  // a named month a year back (10月 vs 去年10月) covers the whole month even when the primary runs to today
  if (ymd(target.from).m === ymd(primary.from).m && ymd(target.from).y === ymd(primary.from).y - 1 && ymd(target.from).d === ymd(primary.from).d) return 'previous_year';
  return 'previous_period';
}

/** "本周(12/1–12/3)" / "this week (Dec 1–3)", or just the dates when the period has no name. */
export function periodLabel(p: DayRange & { zh: string | null; en: string | null }, lang: 'zh' | 'en', today: Day): string {
  if (lang === 'zh') {
    const dates = zhRangeText(p, today);
    return p.zh ? `${p.zh}(${dates})` : dates;
  }
  const dates = enRangeText(p, today);
  return p.en ? `${p.en} (${dates})` : dates;
}

/** "环比(11/24–11/30)" / "vs previous period (Nov 24–30)". */
export function compareLabel(p: DayRange, compare: Compare, lang: 'zh' | 'en', today: Day): string {
  const r = comparisonRange(p, compare);
  if (lang === 'zh') return `${compare === 'previous_year' ? '同比' : '环比'}(${zhRangeText(r, today)})`;
  return `${compare === 'previous_year' ? 'vs same period last year' : 'vs previous period'} (${enRangeText(r, today)})`;
}

export { isoDay };
