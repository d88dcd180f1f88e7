/**
 * The shop's service hours: when a person can take over a chat. Written like
 * `mon-fri 09:00-18:00; sat,sun 10:00-16:00`, `09:00-21:00` (every day) or `always`, read in the
 * shop's time zone. Outside them a handoff becomes a left message (see docs/architecture.md).
 */
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const DAY_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Opening windows per weekday (0 = Sunday), minutes since local midnight, end exclusive. */
export type WeeklyWindows = [number, number][][];

export interface ServiceHours {
  readonly timeZone: string;
  readonly always: boolean;
  isOpen(at: Date): boolean;
  /** The next instant the shop opens (`at` itself when open); undefined when it never opens. */
  nextOpening(at: Date): Date | undefined;
  /** "周一至周五 9:00–18:00，周六 10:00–16:00" / "Mon–Fri 9:00–18:00, Sat 10:00–16:00". */
  describe(lang: 'zh' | 'en'): string;
}

function minutes(hhmm: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  if (mi > 59 || h > 24 || (h === 24 && mi > 0)) return undefined;
  return h * 60 + mi;
}

function dayIndex(name: string): number | undefined {
  const i = (DAYS as readonly string[]).indexOf(name.slice(0, 3).toLowerCase());
  return i < 0 ? undefined : i;
}

/** Parses the SERVICE_HOURS text; throws an Error whose message says what is wrong. */
export function parseServiceHours(text: string): WeeklyWindows | 'always' {
  const spec = text.trim().toLowerCase();
  if (spec === 'always' || spec === '24/7' || spec === '24x7') return 'always';
  const week: WeeklyWindows = DAYS.map(() => []);
  for (const part of spec.split(/[;；]/).map((s) => s.trim()).filter(Boolean)) {
    const m = /^(?:([a-z,\s-]+?)\s+)?(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(part);
    if (!m) throw new Error(`"${part}" is not like "mon-fri 09:00-18:00"`);
    const start = minutes(m[2]);
    const end = minutes(m[3]);
    if (start === undefined || end === undefined) throw new Error(`"${part}" has a time that is not HH:MM`);
    if (end <= start) throw new Error(`"${part}" ends before it starts (windows cannot cross midnight; write two)`);
    const days = new Set<number>();
    for (const token of (m[1] ?? 'mon-sun').split(',').map((s) => s.trim()).filter(Boolean)) {
      const [a, b] = token.split('-').map((s) => s.trim());
      const from = dayIndex(a);
      const to = b === undefined ? from : dayIndex(b);
      if (from === undefined || to === undefined) throw new Error(`"${token}" is not a day (mon, tue, … sun)`);
      // mon-sun wraps through the week in order
      for (let d = from; ; d = (d + 1) % 7) {
        days.add(d);
        if (d === to) break;
      }
    }
    for (const d of days) week[d].push([start, end]);
  }
  if (week.every((w) => w.length === 0)) throw new Error('no opening hours given');
  for (const w of week) w.sort((x, y) => x[0] - y[0]);
  return week;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function localParts(at: Date, timeZone: string): { year: number; month: number; day: number; weekday: number; minute: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year, month: p.month, day: p.day, weekday: new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay(), minute: p.hour * 60 + p.minute };
}

/** The instant of a local wall-clock time (y, m, d, minutes) in the zone. */
function instantOf(year: number, month: number, day: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, 0, minute);
  let at = wall;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(at), timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, 0, p.minute);
    at += wall - shown;
  }
  return new Date(at);
}

const hm = (m: number) => `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;

export function createServiceHours(spec: string, timeZone: string): ServiceHours {
  const parsed = parseServiceHours(spec);
  const always = parsed === 'always';
  const week = always ? [] : parsed;
  const openAt = (at: Date) => {
    if (always) return true;
    const p = localParts(at, timeZone);
    return week[p.weekday].some(([s, e]) => p.minute >= s && p.minute < e);
  };
  return {
    timeZone,
    always,
    isOpen: openAt,
    nextOpening(at) {
      if (openAt(at)) return at;
      const p = localParts(at, timeZone);
      for (let k = 0; k <= 7; k++) {
        const d = new Date(Date.UTC(p.year, p.month - 1, p.day + k));
        const windows = week[d.getUTCDay()];
        for (const [s] of windows) {
          if (k === 0 && s <= p.minute) continue;
          return instantOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), s, timeZone);
        }
      }
      return undefined;
    },
    describe(lang) {
      if (always) return lang === 'zh' ? '全天 24 小时' : 'around the clock';
      // group days with identical windows into runs: Mon–Fri 9:00–18:00
      const order = [1, 2, 3, 4, 5, 6, 0];
      const key = (d: number) => week[d].map(([s, e]) => `${hm(s)}–${hm(e)}`).join(lang === 'zh' ? '、' : ', ');
      const runs: { from: number; to: number; hours: string }[] = [];
      for (const d of order) {
        const hours = key(d);
        const last = runs.at(-1);
        if (last && last.hours === hours && order.indexOf(last.to) === order.indexOf(d) - 1) last.to = d;
        else runs.push({ from: d, to: d, hours });
      }
      const open = runs.filter((r) => r.hours);
      if (open.length === 1 && open[0].from === 1 && open[0].to === 0) return lang === 'zh' ? `每天 ${open[0].hours}` : `daily ${open[0].hours}`;
      const names = lang === 'zh' ? DAY_ZH : DAY_EN;
      const span = (r: { from: number; to: number }) => (r.from === r.to ? names[r.from] : `${names[r.from]}${lang === 'zh' ? '至' : '–'}${names[r.to]}`);
      return open.map((r) => `${span(r)} ${r.hours}`).join(lang === 'zh' ? '，' : ', ');
    },
  };
}

/** "明天 9:00" / "周一 9:00" / "tomorrow 9:00" — when the shop opens next, for customers. */
export function describeOpening(at: Date, opening: Date, timeZone: string, lang: 'zh' | 'en'): string {
  const a = localParts(at, timeZone);
  const o = localParts(opening, timeZone);
  const days = Math.round((Date.UTC(o.year, o.month - 1, o.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
  const time = hm(o.minute);
  if (days === 0) return lang === 'zh' ? `今天 ${time}` : `today at ${time}`;
  if (days === 1) return lang === 'zh' ? `明天 ${time}` : `tomorrow at ${time}`;
  return lang === 'zh' ? `${DAY_ZH[o.weekday]} ${time}` : `${DAY_EN[o.weekday]} at ${time}`;
}
