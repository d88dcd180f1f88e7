export interface DateMention {
  /** Calendar date, YYYY-MM-DD. */
  iso: string;
  /** The words it came from. */
  text: string;
}

const DAY_MS = 86_400_000;
const EN_WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const ZH_WEEKDAYS: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const RELATIVE: [RegExp, number][] = [
  [/大前天/g, -3], [/前天|day before yesterday/g, -2], [/昨天|昨日|yesterday/g, -1], [/今天|今日|today|tonight/g, 0],
  [/明天|明日|tomorrow/g, 1], [/大后天/g, 3], [/后天|day after tomorrow/g, 2],
  [/上周|上星期|上个星期|last week/g, -7], [/下周(?![一二三四五六日天])|下星期(?![一二三四五六日天])|next week/g, 7],
];

/** Today's calendar date in a time zone, as a UTC-midnight timestamp. */
// building an Intl.DateTimeFormat costs far more than using one: keep one per time zone
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function localToday(now: Date, timeZone: string): number {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  const parts = format.format(now);
  return Date.parse(`${parts}T00:00:00Z`);
}

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function validDate(y: number, m: number, d: number): number | undefined {
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  return back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? ms : undefined;
}

/** Weekday `target` of the week `offsetWeeks` from today's week (weeks start on Monday). */
function weekday(today: number, target: number, offsetWeeks: number): number {
  const dow = new Date(today).getUTCDay();
  const mondayBased = (d: number): number => (d + 6) % 7;
  return today + (mondayBased(target) - mondayBased(dow) + 7 * offsetWeeks) * DAY_MS;
}

/**
 * Dates mentioned in a (normalised, lower-case) message, resolved against `now` in `timeZone`:
 * relative days (today, 昨天, 后天), weeks (上周, next monday, 下周三), and explicit dates
 * (2024-03-05, 2024/3/5, 3月5日, march 5, 5 mar).
 */
export function extractDates(text: string, now: Date, timeZone = 'UTC'): DateMention[] {
  const today = localToday(now, timeZone);
  const year = new Date(today).getUTCFullYear();
  const found: { at: number; mention: DateMention }[] = [];
  const push = (at: number, ms: number | undefined, words: string): void => {
    if (ms !== undefined) found.push({ at, mention: { iso: iso(ms), text: words } });
  };
  const taken: [number, number][] = [];
  const free = (m: RegExpMatchArray): boolean => {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (taken.some(([s, e]) => start < e && end > s)) return false;
    taken.push([start, end]);
    return true;
  };

  for (const m of text.matchAll(/(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?/g)) {
    if (free(m)) push(m.index ?? 0, validDate(+m[1], +m[2], +m[3]), m[0]);
  }
  for (const m of text.matchAll(/(\d{1,2})月(\d{1,2})[日号]/g)) {
    if (free(m)) push(m.index ?? 0, validDate(year, +m[1], +m[2]), m[0]);
  }
  const monthRe = `(${MONTHS.join('|')})[a-z]*\\.?`;
  for (const m of text.matchAll(new RegExp(`\\b${monthRe}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, 'g'))) {
    if (free(m)) push(m.index ?? 0, validDate(year, MONTHS.indexOf(m[1]) + 1, +m[2]), m[0]);
  }
  for (const m of text.matchAll(new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${monthRe}`, 'g'))) {
    if (free(m)) push(m.index ?? 0, validDate(year, MONTHS.indexOf(m[2]) + 1, +m[1]), m[0]);
  }
  for (const m of text.matchAll(/(上|下|这|本)?(?:周|星期|礼拜)([一二三四五六日天])/g)) {
    if (!free(m)) continue;
    const offset = m[1] === '上' ? -1 : m[1] === '下' ? 1 : 0;
    push(m.index ?? 0, weekday(today, ZH_WEEKDAYS[m[2]], offset), m[0]);
  }
  for (const m of text.matchAll(new RegExp(`\\b(last|next|this)?\\s*(${EN_WEEKDAYS.join('|')})\\b`, 'g'))) {
    if (!free(m)) continue;
    const target = EN_WEEKDAYS.indexOf(m[2]);
    let ms: number;
    if (m[1] === 'last') ms = weekday(today, target, -1);
    else if (m[1] === 'next') ms = weekday(today, target, 1);
    else if (m[1] === 'this') ms = weekday(today, target, 0);
    else {
      // A bare weekday is the most recent one (customers mostly talk about the past).
      const diff = (new Date(today).getUTCDay() - target + 7) % 7;
      ms = today - diff * DAY_MS;
    }
    push(m.index ?? 0, ms, m[0].trim());
  }
  for (const [re, days] of RELATIVE) {
    for (const m of text.matchAll(re)) if (free(m)) push(m.index ?? 0, today + days * DAY_MS, m[0]);
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.mention);
}
