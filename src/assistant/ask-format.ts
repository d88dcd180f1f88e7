import type { Lang } from './ask-labels.js';
import type { Unit } from './ask-result.js';

/** Number, money, percent and table formatting for the assistant's text answers. */
const SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', GBP: '£', JPY: '¥', HKD: 'HK$', TWD: 'NT$' };

export function money(cents: number, currency: string): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents)) / 100;
  const symbol = SYMBOLS[currency] ?? `${currency} `;
  return `${sign}${symbol}${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function percent(ratio: number, digits = 1): string {
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** A value in its unit: money with the currency, a share as a percent, a score to one decimal. */
export function formatValue(value: number, unit: Unit, currency: string): string {
  if (unit === 'money') return money(value, currency);
  if (unit === 'percent') return percent(value);
  if (unit === 'score') return value.toFixed(1);
  return count(value);
}

/** A change with its sign: "+¥1,234.00", "-3", "+2.1 pts" (percent metrics change in percentage points). */
export function signedChange(change: number, unit: Unit, currency: string, lang: Lang): string {
  const sign = change > 0 ? '+' : change < 0 ? '-' : '±';
  const abs = Math.abs(change);
  if (unit === 'percent') return `${sign}${(abs * 100).toFixed(1)}${lang === 'zh' ? ' 个百分点' : ' pts'}`;
  return `${sign}${formatValue(abs, unit, currency)}`;
}

export function signedPercent(ratio: number): string {
  return `${ratio > 0 ? '+' : ratio < 0 ? '-' : '±'}${Math.abs(ratio * 100).toFixed(1)}%`;
}

/** Display width: CJK and full-width characters take two columns in a terminal or chat font. */
export function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return w;
}

function pad(text: string, cols: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, cols - width(text)));
  return right ? fill + text : text + fill;
}

/** Cuts text to a display width with an ellipsis. */
export function clipText(text: string, cols: number): string {
  if (width(text) <= cols) return text;
  let out = '';
  for (const ch of text) {
    if (width(out + ch) > cols - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * A compact text table: the first column left-aligned, the others right-aligned, two spaces
 * between. Meant for a monospace terminal; chat clients that use proportional fonts still read it.
 */
export function textTable(header: string[], rows: string[][]): string {
  const cols = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]) => r.map((cell, i) => pad(cell ?? '', cols[i], i > 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** Local date-time of an ISO instant in the zone: "2025-11-02 14:05". */
export function localDateTime(isoInstant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(isoInstant));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export function localDay(isoInstant: string, timeZone: string): string {
  return localDateTime(isoInstant, timeZone).slice(0, 10);
}

/** A reading label without the dates the parser put after it ("本周(12/1–12/3)" → "本周"): the echo shows the span actually used. */
export function labelWord(label: string | null): string | null {
  return label ? label.replace(/\s*[(（][^()（）]*[)）]\s*$/u, '') || null : null;
}
