import { describe, expect, it } from 'vitest';
import { comparisonRange, isoDay, parseIsoDay } from './ask-calendar.js';
import { normaliseQuestion } from './ask-normaliser.js';
import { compareLabel, parseTime, periodLabel, timeContext } from './ask-time-parser.js';

// Thursday 3 December 2026, 10:00 in Shanghai
const THURSDAY = '2026-12-03T10:00:00+08:00';

function read(question: string, now = THURSDAY) {
  const c = timeContext(new Date(now), 'Asia/Shanghai');
  const r = parseTime(normaliseQuestion(question).text, c);
  return {
    range: r.period ? [isoDay(r.period.from), isoDay(r.period.to)] : null,
    compare: r.compare,
    zh: r.period ? periodLabel(r.period, 'zh', c.today) : null,
    en: r.period ? periodLabel(r.period, 'en', c.today) : null,
  };
}

describe('parseTime: days', () => {
  it('reads today, yesterday and the day before in Chinese and English', () => {
    expect(read('今天').range).toEqual(['2026-12-03', '2026-12-03']);
    expect(read('昨天').range).toEqual(['2026-12-02', '2026-12-02']);
    expect(read('昨儿').range).toEqual(['2026-12-02', '2026-12-02']);
    expect(read('前天').range).toEqual(['2026-12-01', '2026-12-01']);
    expect(read('today').range).toEqual(['2026-12-03', '2026-12-03']);
    expect(read('the day before yesterday').range).toEqual(['2026-12-01', '2026-12-01']);
  });

  it('takes "today" in the shop time zone, not in UTC', () => {
    // 17:30 UTC on 3 December is already 4 December in Shanghai
    expect(read('今天', '2026-12-03T17:30:00Z').range).toEqual(['2026-12-04', '2026-12-04']);
    expect(read('yesterday', '2026-12-03T17:30:00Z').range).toEqual(['2026-12-03', '2026-12-03']);
  });

  it('reads a day in the future as asked', () => {
    expect(read('明天').range).toEqual(['2026-12-04', '2026-12-04']);
  });
});

describe('parseTime: weeks start on Monday', () => {
  it('runs this week from Monday to today', () => {
    for (const q of ['本周', '这周', '这礼拜', '這個禮拜', 'this week', 'this wk']) expect(read(q).range, q).toEqual(['2026-11-30', '2026-12-03']);
  });

  it('reads last week as Monday to Sunday of the week before', () => {
    for (const q of ['上周', '上週', '上个星期', '上礼拜', 'last week', 'last wk']) expect(read(q).range, q).toEqual(['2026-11-23', '2026-11-29']);
    expect(read('上上周').range).toEqual(['2026-11-16', '2026-11-22']);
    expect(read('the week before last').range).toEqual(['2026-11-16', '2026-11-22']);
  });

  it('makes this week a single day on a Monday', () => {
    expect(read('本周', '2026-11-30T09:00:00+08:00').range).toEqual(['2026-11-30', '2026-11-30']);
    expect(read('上周', '2026-11-30T09:00:00+08:00').range).toEqual(['2026-11-23', '2026-11-29']);
  });

  it('reads "since Monday" and 从周一到现在 as this week so far', () => {
    expect(read('从周一到现在').range).toEqual(['2026-11-30', '2026-12-03']);
    expect(read('since Monday').range).toEqual(['2026-11-30', '2026-12-03']);
  });

  it('reads weekdays of this and last week', () => {
    expect(read('上周三').range).toEqual(['2026-11-25', '2026-11-25']);
    expect(read('周一').range).toEqual(['2026-11-30', '2026-11-30']);
    // Friday has not come yet this week: the last one that has
    expect(read('周五').range).toEqual(['2026-11-27', '2026-11-27']);
  });
});

describe('parseTime: months, quarters and years', () => {
  it('runs this month and this year to today and last month in full', () => {
    expect(read('本月').range).toEqual(['2026-12-01', '2026-12-03']);
    expect(read('这个月').range).toEqual(['2026-12-01', '2026-12-03']);
    expect(read('MTD').range).toEqual(['2026-12-01', '2026-12-03']);
    expect(read('今年').range).toEqual(['2026-01-01', '2026-12-03']);
    expect(read('YTD').range).toEqual(['2026-01-01', '2026-12-03']);
    expect(read('上个月').range).toEqual(['2026-11-01', '2026-11-30']);
    expect(read('去年').range).toEqual(['2025-01-01', '2025-12-31']);
  });

  it('steps back across a year end', () => {
    expect(read('上个月', '2026-01-01T09:00:00+08:00').range).toEqual(['2025-12-01', '2025-12-31']);
    expect(read('去年', '2026-01-01T09:00:00+08:00').range).toEqual(['2025-01-01', '2025-12-31']);
    expect(read('本周', '2026-01-01T09:00:00+08:00').range).toEqual(['2025-12-29', '2026-01-01']);
  });

  it('reads quarters with and without a year', () => {
    expect(read('本季度').range).toEqual(['2026-10-01', '2026-12-03']);
    expect(read('上季度').range).toEqual(['2026-07-01', '2026-09-30']);
    expect(read('Q1').range).toEqual(['2026-01-01', '2026-03-31']);
    expect(read('第一季度').range).toEqual(['2026-01-01', '2026-03-31']);
    expect(read('the first quarter of 2026').range).toEqual(['2026-01-01', '2026-03-31']);
    expect(read('2025年第四季度').range).toEqual(['2025-10-01', '2025-12-31']);
  });

  it('reads named months, with a year or as their most recent occurrence that has begun', () => {
    expect(read('2026年10月').range).toEqual(['2026-10-01', '2026-10-31']);
    expect(read('10月').range).toEqual(['2026-10-01', '2026-10-31']);
    expect(read('十一月').range).toEqual(['2026-11-01', '2026-11-30']);
    expect(read('in september').range).toEqual(['2026-09-01', '2026-09-30']);
    expect(read('2月', '2026-03-02T09:00:00+08:00').range).toEqual(['2026-02-01', '2026-02-28']);
    // in March, December is last year's
    expect(read('12月', '2026-03-02T09:00:00+08:00').range).toEqual(['2025-12-01', '2025-12-31']);
  });

  it('reads years, halves and periods long past or still to come as asked', () => {
    expect(read('1900年').range).toEqual(['1900-01-01', '1900-12-31']);
    expect(read('2027年').range).toEqual(['2027-01-01', '2027-12-31']);
    expect(read('上半年').range).toEqual(['2026-01-01', '2026-06-30']);
    expect(read('去年下半年').range).toEqual(['2025-07-01', '2025-12-31']);
  });
});

describe('parseTime: rolling windows include today', () => {
  it('reads last N days', () => {
    for (const q of ['近7天', '最近7天', '近七天', '近７天', 'last 7 days', 'past seven days']) expect(read(q).range, q).toEqual(['2026-11-27', '2026-12-03']);
    expect(read('最近30天').range).toEqual(['2026-11-04', '2026-12-03']);
    expect(read('last 30 days').range).toEqual(['2026-11-04', '2026-12-03']);
  });

  it('reads last N months from the day after the same date N months back', () => {
    expect(read('过去三个月').range).toEqual(['2026-09-04', '2026-12-03']);
    expect(read('past 3 months').range).toEqual(['2026-09-04', '2026-12-03']);
    expect(read('近半年').range).toEqual(['2026-06-04', '2026-12-03']);
  });
});

describe('parseTime: festivals and ranges', () => {
  it('places a festival without a year on its most recent occurrence that has begun', () => {
    expect(read('双十一').range).toEqual(['2026-11-11', '2026-11-11']);
    expect(read('双11').range).toEqual(['2026-11-11', '2026-11-11']);
    expect(read('双12').range).toEqual(['2025-12-12', '2025-12-12']);
    expect(read('618').range).toEqual(['2026-06-18', '2026-06-18']);
    expect(read('圣诞节').range).toEqual(['2025-12-25', '2025-12-25']);
    expect(read('black friday').range).toEqual(['2026-11-27', '2026-11-27']);
    // the day before 双十一, the last one was a year ago
    expect(read('双十一', '2026-11-10T09:00:00+08:00').range).toEqual(['2025-11-11', '2025-11-11']);
    expect(read('去年双十一').range).toEqual(['2025-11-11', '2025-11-11']);
  });

  it('includes both ends of a range', () => {
    for (const q of ['11月1号到11月15号', '11月1号到15号', '11.1-11.15', 'between Nov 1 and Nov 15', 'Nov 1-15', 'from nov 1 to nov 15', '2026-11-01 to 2026-11-15', '2026/11/01~2026/11/15']) {
      expect(read(q).range, q).toEqual(['2026-11-01', '2026-11-15']);
    }
  });

  it('runs a period followed by 至今 / since to today', () => {
    expect(read('12月1号到现在').range).toEqual(['2026-12-01', '2026-12-03']);
    expect(read('since Nov 1').range).toEqual(['2026-11-01', '2026-12-03']);
    expect(read('10月以来').range).toEqual(['2026-10-01', '2026-12-03']);
  });

  it('reads explicit dates', () => {
    expect(read('2026-11-05').range).toEqual(['2026-11-05', '2026-11-05']);
    expect(read('2026年11月5日').range).toEqual(['2026-11-05', '2026-11-05']);
    expect(read('nov 5 2026').range).toEqual(['2026-11-05', '2026-11-05']);
  });

  it('reads no period where there is none, and never takes an impossible date', () => {
    expect(read('销售额').range).toBeNull();
    expect(read('2月30日').range).toBeNull();
  });
});

describe('parseTime: comparisons', () => {
  it('reads 环比 and 同比 beside the period', () => {
    expect(read('本月环比')).toMatchObject({ range: ['2026-12-01', '2026-12-03'], compare: 'previous_period' });
    expect(read('本月同比')).toMatchObject({ range: ['2026-12-01', '2026-12-03'], compare: 'previous_year' });
    expect(read('同比 上个月')).toMatchObject({ range: ['2026-11-01', '2026-11-30'], compare: 'previous_year' });
    expect(read('yoy this month').compare).toBe('previous_year');
  });

  it('reads the other side of a comparison and keeps the period asked about', () => {
    expect(read('last week vs the week before')).toMatchObject({ range: ['2026-11-23', '2026-11-29'], compare: 'previous_period' });
    expect(read('this month compared with the same month last year')).toMatchObject({ range: ['2026-12-01', '2026-12-03'], compare: 'previous_year' });
    expect(read('跟去年比 今年')).toMatchObject({ range: ['2026-01-01', '2026-12-03'], compare: 'previous_year' });
  });

  it('takes "比上周" with nothing else named to mean this week against last week', () => {
    expect(read('比上周')).toMatchObject({ range: ['2026-11-30', '2026-12-03'], compare: 'previous_period' });
    expect(read('vs last month')).toMatchObject({ range: ['2026-12-01', '2026-12-03'], compare: 'previous_period' });
  });
});

describe('comparison ranges and labels', () => {
  const r = (a: string, b: string) => ({ from: parseIsoDay(a), to: parseIsoDay(b) });
  const iso = (x: { from: number; to: number }) => [isoDay(x.from), isoDay(x.to)];

  it('sets month-to-date beside the same days of last month, week-to-date beside the same weekdays', () => {
    expect(iso(comparisonRange(r('2026-12-01', '2026-12-03'), 'previous_period'))).toEqual(['2026-11-01', '2026-11-03']);
    expect(iso(comparisonRange(r('2026-11-30', '2026-12-03'), 'previous_period'))).toEqual(['2026-11-23', '2026-11-26']);
    expect(iso(comparisonRange(r('2026-11-01', '2026-11-30'), 'previous_period'))).toEqual(['2026-10-01', '2026-10-31']);
    expect(iso(comparisonRange(r('2026-11-27', '2026-12-03'), 'previous_period'))).toEqual(['2026-11-20', '2026-11-26']);
    expect(iso(comparisonRange(r('2026-12-01', '2026-12-03'), 'previous_year'))).toEqual(['2025-12-01', '2025-12-03']);
  });

  it('echoes the period with its dates in the asker\'s language', () => {
    expect(read('本周').zh).toBe('本周(11/30–12/3)');
    expect(read('last week').en).toBe('last week (Nov 23–29)');
    expect(read('去年').zh).toBe('去年(2025/1/1–12/31)');
    expect(read('between Nov 1 and Nov 15').en).toBe('Nov 1–15');
    const c = timeContext(new Date(THURSDAY), 'Asia/Shanghai');
    expect(compareLabel(r('2026-12-01', '2026-12-03'), 'previous_period', 'zh', c.today)).toBe('环比(11/1–11/3)');
    expect(compareLabel(r('2026-12-01', '2026-12-03'), 'previous_year', 'en', c.today)).toBe('vs same period last year (Dec 1–3, 2025)');
  });
});
