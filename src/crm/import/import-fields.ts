import { z } from 'zod';
import { normaliseEmail, normalisePhone } from '../customers/contact-normaliser.js';
import { localMidnight } from '../seed/shop-time.js';
import { yuanToFen } from './csv-reader.js';

/** Cell parsers for CSV rows. Every message names the column and quotes the value, as the report shows it. */
const cell = z.string();
const show = (v: string) => `"${v.length > 60 ? `${v.slice(0, 57)}...` : v}"`;

export const text = (column: string, max = 200) => cell.transform((v, ctx) => {
  if (v === '') return undefined;
  if (v.length > max) { ctx.addIssue({ code: 'custom', message: `${column} is longer than ${max} characters` }); return z.NEVER; }
  return v;
});

export const requiredText = (column: string, max = 200) => cell.transform((v, ctx) => {
  if (v === '') { ctx.addIssue({ code: 'custom', message: `${column} is required` }); return z.NEVER; }
  if (v.length > max) { ctx.addIssue({ code: 'custom', message: `${column} is longer than ${max} characters` }); return z.NEVER; }
  return v;
});

export const phone = (column = 'phone') => cell.transform((v, ctx) => {
  if (v === '') return undefined;
  const p = normalisePhone(v);
  if (!p) { ctx.addIssue({ code: 'custom', message: `${column} ${show(v)} is not a phone number` }); return z.NEVER; }
  return p;
});

export const email = (column = 'email') => cell.transform((v, ctx) => {
  if (v === '') return undefined;
  const e = normaliseEmail(v);
  if (!e) { ctx.addIssue({ code: 'custom', message: `${column} ${show(v)} is not an e-mail address` }); return z.NEVER; }
  return e;
});

export const date = (column: string) => cell.transform((v, ctx) => {
  if (v === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    ctx.addIssue({ code: 'custom', message: `${column} ${show(v)} is not a date (YYYY-MM-DD)` });
    return z.NEVER;
  }
  return d;
});

/** ISO 8601 with `Z` or an offset; without one the time is read in the shop's time zone. */
export const instant = (column: string, timeZone: string) => cell.transform((v, ctx) => {
  if (v === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  let at: number = Number.NaN;
  if (m) {
    const [, y, mo, d, h, mi, s = '0', frac = ''] = m;
    const ms = frac ? Math.round(Number(frac) * 1000) : 0;
    if (m[8]) at = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s.padStart(2, '0')}${frac || ''}${m[8].length === 5 ? `${m[8].slice(0, 3)}:${m[8].slice(3)}` : m[8]}`);
    else {
      const midnight = localMidnight(Number(y), Number(mo), Number(d), timeZone).getTime();
      at = midnight + ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000 + ms;
      if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59) at = Number.NaN;
    }
  }
  if (Number.isNaN(at)) { ctx.addIssue({ code: 'custom', message: `${column} ${show(v)} is not an ISO 8601 time (e.g. 2025-11-11T20:15:00+08:00)` }); return z.NEVER; }
  return new Date(at);
});

export const money = (column: string) => cell.transform((v, ctx) => {
  if (v === '') return undefined;
  const fen = yuanToFen(v);
  if (fen === undefined) { ctx.addIssue({ code: 'custom', message: `${column} ${show(v)} is not an amount in yuan (e.g. 199.00)` }); return z.NEVER; }
  return fen;
});

export const integer = (column: string, min: number, max = 1_000_000_000) => cell.transform((v, ctx) => {
  if (v === '') return undefined;
  const n = /^-?\d+$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) { ctx.addIssue({ code: 'custom', message: `${column} ${show(v)} is not a whole number from ${min} to ${max}` }); return z.NEVER; }
  return n;
});

export const bool = (column: string) => cell.transform((v, ctx) => {
  if (v === '') return undefined;
  const t = v.toLowerCase();
  if (['true', 'yes', '1', 'y', '是'].includes(t)) return true;
  if (['false', 'no', '0', 'n', '否'].includes(t)) return false;
  ctx.addIssue({ code: 'custom', message: `${column} ${show(v)} is not true or false` });
  return z.NEVER;
});

export const oneOf = <T extends string>(column: string, values: readonly T[]) => cell.transform((v, ctx) => {
  if (v === '') return undefined;
  if (!(values as readonly string[]).includes(v)) { ctx.addIssue({ code: 'custom', message: `${column} ${show(v)} is not one of ${values.join(', ')}` }); return z.NEVER; }
  return v as T;
});

export const tagList = (column: string) => cell.transform((v, ctx) => {
  const tags = [...new Set(v.split(/[;；]/).map((t) => t.trim()).filter(Boolean))];
  const bad = tags.find((t) => t.length > 40);
  if (bad) { ctx.addIssue({ code: 'custom', message: `${column}: tag ${show(bad)} is longer than 40 characters` }); return z.NEVER; }
  return tags;
});
