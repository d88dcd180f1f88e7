import { describe, expect, it } from 'vitest';
import { createServiceHours, describeOpening, parseServiceHours } from './service-hours.js';

const TZ = 'Asia/Shanghai';
// 2026-12-02 is a Wednesday
const at = (local: string) => new Date(`${local}+08:00`);

describe('service hours', () => {
  it('is open inside a daily window and closed outside it, in the shop time zone', () => {
    const h = createServiceHours('09:00-21:00', TZ);
    expect(h.isOpen(at('2026-12-02T09:00:00'))).toBe(true);
    expect(h.isOpen(at('2026-12-02T20:59:00'))).toBe(true);
    expect(h.isOpen(at('2026-12-02T21:00:00'))).toBe(false);
    expect(h.isOpen(at('2026-12-02T03:00:00'))).toBe(false);
    expect(h.describe('zh')).toBe('每天 9:00–21:00');
    expect(h.describe('en')).toBe('daily 9:00–21:00');
  });

  it('reads weekday ranges and lists, and describes them as runs', () => {
    const h = createServiceHours('mon-fri 09:00-18:00; sat,sun 10:00-16:00', TZ);
    expect(h.isOpen(at('2026-12-05T11:00:00'))).toBe(true); // Saturday
    expect(h.isOpen(at('2026-12-05T17:00:00'))).toBe(false);
    expect(h.describe('zh')).toBe('周一至周五 9:00–18:00，周六至周日 10:00–16:00');
    expect(h.describe('en')).toBe('Mon–Fri 9:00–18:00, Sat–Sun 10:00–16:00');
  });

  it('finds the next opening across the night and the weekend', () => {
    const h = createServiceHours('mon-fri 09:00-18:00', TZ);
    expect(h.nextOpening(at('2026-12-02T22:30:00'))?.toISOString()).toBe(at('2026-12-03T09:00:00').toISOString());
    expect(h.nextOpening(at('2026-12-02T07:00:00'))?.toISOString()).toBe(at('2026-12-02T09:00:00').toISOString());
    const friday = at('2026-12-04T19:00:00');
    const monday = h.nextOpening(friday)!;
    expect(monday.toISOString()).toBe(at('2026-12-07T09:00:00').toISOString());
    expect(describeOpening(friday, monday, TZ, 'zh')).toBe('周一 9:00');
    expect(describeOpening(at('2026-12-02T22:30:00'), at('2026-12-03T09:00:00'), TZ, 'en')).toBe('tomorrow at 9:00');
  });

  it('works in a zone with daylight saving time', () => {
    const h = createServiceHours('09:00-17:00', 'Europe/London');
    expect(h.isOpen(new Date('2026-07-01T08:30:00Z'))).toBe(true); // 09:30 BST
    expect(h.isOpen(new Date('2026-12-01T08:30:00Z'))).toBe(false); // 08:30 GMT
    expect(h.nextOpening(new Date('2026-07-01T05:00:00Z'))?.toISOString()).toBe('2026-07-01T08:00:00.000Z');
  });

  it('is always open for "always" and says so', () => {
    const h = createServiceHours('always', TZ);
    expect(h.isOpen(at('2026-12-02T03:00:00'))).toBe(true);
    expect(h.describe('en')).toBe('around the clock');
  });

  it('explains what is wrong with a bad specification', () => {
    expect(() => parseServiceHours('weekdays 9-5')).toThrow(/not like/);
    expect(() => parseServiceHours('mon-fri 18:00-09:00')).toThrow(/ends before it starts/);
    expect(() => parseServiceHours('funday 09:00-10:00')).toThrow(/not a day/);
    expect(() => parseServiceHours('25:00-26:00')).toThrow(/not HH:MM/);
  });
});
