import { describe, expect, it } from 'vitest';
import { dayRange, daysOf, localDateString, periodRange, type Period } from './date-ranges.js';

const iso = (r: { from: Date; to: Date }) => [r.from.toISOString(), r.to.toISOString()];

describe('dayRange', () => {
  it('starts a Shanghai day at 16:00 UTC the evening before', () => {
    expect(iso(dayRange('2025-03-10', 'Asia/Shanghai'))).toEqual(['2025-03-09T16:00:00.000Z', '2025-03-10T16:00:00.000Z']);
  });
  it('finds the local day of an instant', () => {
    expect(iso(dayRange(new Date('2025-03-09T16:00:00Z'), 'Asia/Shanghai'))).toEqual(['2025-03-09T16:00:00.000Z', '2025-03-10T16:00:00.000Z']);
    expect(iso(dayRange(new Date('2025-03-09T15:59:59.999Z'), 'Asia/Shanghai'))).toEqual(['2025-03-08T16:00:00.000Z', '2025-03-09T16:00:00.000Z']);
  });
  it('makes the New York spring-forward day 23 hours long', () => {
    const r = dayRange('2025-03-09', 'America/New_York');
    expect(iso(r)).toEqual(['2025-03-09T05:00:00.000Z', '2025-03-10T04:00:00.000Z']);
  });
  it('makes the New York fall-back day 25 hours long', () => {
    expect(iso(dayRange('2025-11-02', 'America/New_York'))).toEqual(['2025-11-02T04:00:00.000Z', '2025-11-03T05:00:00.000Z']);
  });
  it('starts a day whose midnight is skipped by DST at 01:00 (Santiago)', () => {
    expect(iso(dayRange('2024-09-08', 'America/Santiago'))).toEqual(['2024-09-08T04:00:00.000Z', '2024-09-09T03:00:00.000Z']);
  });
  it('rejects a date that does not exist', () => {
    expect(() => dayRange('2025-02-30', 'UTC')).toThrow(/Not a date/);
  });
  it('rejects an unknown zone', () => {
    expect(() => dayRange('2025-02-03', 'Mars/Olympus')).toThrow(/Unknown time zone/);
  });
});

describe('periodRange', () => {
  // Sunday 2025-03-09 10:00 in Shanghai (02:00 UTC); the week began Monday 2025-03-03.
  const now = new Date('2025-03-09T02:00:00Z');
  it.each<[Period, string, string]>([
    ['today', '2025-03-08T16:00:00.000Z', '2025-03-09T16:00:00.000Z'],
    ['yesterday', '2025-03-07T16:00:00.000Z', '2025-03-08T16:00:00.000Z'],
    ['this_week', '2025-03-02T16:00:00.000Z', '2025-03-09T16:00:00.000Z'],
    ['last_week', '2025-02-23T16:00:00.000Z', '2025-03-02T16:00:00.000Z'],
    ['this_month', '2025-02-28T16:00:00.000Z', '2025-03-31T16:00:00.000Z'],
    ['last_month', '2025-01-31T16:00:00.000Z', '2025-02-28T16:00:00.000Z'],
    ['last_7_days', '2025-03-02T16:00:00.000Z', '2025-03-09T16:00:00.000Z'],
    ['last_30_days', '2025-02-07T16:00:00.000Z', '2025-03-09T16:00:00.000Z'],
    ['last_90_days', '2024-12-09T16:00:00.000Z', '2025-03-09T16:00:00.000Z'],
    ['this_year', '2024-12-31T16:00:00.000Z', '2025-12-31T16:00:00.000Z'],
  ])('computes %s in Asia/Shanghai', (period, from, to) => {
    expect(iso(periodRange(period, now, 'Asia/Shanghai'))).toEqual([from, to]);
  });
  it('starts the week on Monday even when today is Monday', () => {
    expect(iso(periodRange('this_week', new Date('2025-03-10T01:00:00Z'), 'Asia/Shanghai'))).toEqual(['2025-03-09T16:00:00.000Z', '2025-03-16T16:00:00.000Z']);
  });
  it('spans the spring-forward week in New York with a 23-hour day inside', () => {
    const r = periodRange('this_week', new Date('2025-03-12T15:00:00Z'), 'America/New_York');
    expect(iso(r)).toEqual(['2025-03-10T04:00:00.000Z', '2025-03-17T04:00:00.000Z']);
    const lastWeek = periodRange('last_week', new Date('2025-03-12T15:00:00Z'), 'America/New_York');
    expect(iso(lastWeek)).toEqual(['2025-03-03T05:00:00.000Z', '2025-03-10T04:00:00.000Z']);
    expect(lastWeek.to.getTime() - lastWeek.from.getTime()).toBe((7 * 24 - 1) * 3_600_000);
  });
  it('wraps last month across a year end', () => {
    expect(iso(periodRange('last_month', new Date('2025-01-15T12:00:00Z'), 'UTC'))).toEqual(['2024-12-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z']);
  });
});

describe('daysOf', () => {
  it('lists each local day with its own boundaries across a DST change', () => {
    const days = daysOf({ from: new Date('2025-03-08T05:00:00Z'), to: new Date('2025-03-11T04:00:00Z') }, 'America/New_York');
    expect(days.map((d) => [d.date, d.from.toISOString(), d.to.toISOString()])).toEqual([
      ['2025-03-08', '2025-03-08T05:00:00.000Z', '2025-03-09T05:00:00.000Z'],
      ['2025-03-09', '2025-03-09T05:00:00.000Z', '2025-03-10T04:00:00.000Z'],
      ['2025-03-10', '2025-03-10T04:00:00.000Z', '2025-03-11T04:00:00.000Z'],
    ]);
  });
  it('clips the first and last day to a range that starts and ends mid-day', () => {
    const days = daysOf({ from: new Date('2025-03-09T04:00:00Z'), to: new Date('2025-03-10T04:00:00Z') }, 'Asia/Shanghai');
    expect(days.map((d) => [d.date, d.from.toISOString(), d.to.toISOString()])).toEqual([
      ['2025-03-09', '2025-03-09T04:00:00.000Z', '2025-03-09T16:00:00.000Z'],
      ['2025-03-10', '2025-03-09T16:00:00.000Z', '2025-03-10T04:00:00.000Z'],
    ]);
  });
  it('returns no days for an empty range', () => {
    const at = new Date('2025-03-09T04:00:00Z');
    expect(daysOf({ from: at, to: at }, 'UTC')).toEqual([]);
  });
});

describe('localDateString', () => {
  it('gives the shop-local date of an instant', () => {
    expect(localDateString(new Date('2025-03-09T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2025-03-09');
    expect(localDateString(new Date('2025-03-09T16:00:00Z'), 'Asia/Shanghai')).toBe('2025-03-10');
    expect(localDateString(new Date('2025-03-09T16:00:00Z'), 'America/New_York')).toBe('2025-03-09');
  });
});
