import { describe, expect, it } from 'vitest';
import { RFM_SEGMENTS } from '../crm-constants.js';
import { quintileBreakpoints, scoreHigherIsBetter, scoreLowerIsBetter, scoreRfm, segmentFor, segmentName, SEGMENT_GRID } from './rfm-scoring.js';

describe('quintileBreakpoints', () => {
  it('takes the nearest-rank 20/40/60/80th percentile values', () => {
    expect(quintileBreakpoints([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toEqual([2, 4, 6, 8]);
  });
  it('repeats the only value of a one-customer shop', () => {
    expect(quintileBreakpoints([42])).toEqual([42, 42, 42, 42]);
  });
  it('returns zeros for a shop without buyers', () => {
    expect(quintileBreakpoints([])).toEqual([0, 0, 0, 0]);
  });
  it('keeps ties together so most customers with one order share a breakpoint', () => {
    expect(quintileBreakpoints([1, 1, 1, 1, 1, 1, 1, 2, 3, 5])).toEqual([1, 1, 1, 2]);
  });
});

describe('quintile scores', () => {
  const q = [2, 4, 6, 8] as [number, number, number, number];
  it.each([[1, 1], [2, 1], [3, 2], [4, 2], [5, 3], [6, 3], [7, 4], [8, 4], [9, 5], [100, 5]])('scores %i as %i when higher is better', (value, score) => {
    expect(scoreHigherIsBetter(value, q)).toBe(score);
  });
  it.each([[0, 5], [2, 5], [3, 4], [6, 3], [8, 2], [9, 1], [400, 1]])('scores %i days since the last order as %i', (days, score) => {
    expect(scoreLowerIsBetter(days, q)).toBe(score);
  });
  it('gives every customer with the most common frequency the same score', () => {
    const tied = [1, 1, 1, 2] as [number, number, number, number];
    expect([1, 2, 3].map((f) => scoreHigherIsBetter(f, tied))).toEqual([1, 4, 5]);
  });
});

describe('segmentFor', () => {
  it.each([
    [5, 5, 5, 'champions'], [5, 4, 4, 'champions'], [5, 1, 1, 'new_customers'], [5, 2, 3, 'potential_loyalist'],
    [4, 1, 1, 'promising'], [4, 5, 4, 'loyal'], [3, 3, 3, 'need_attention'], [3, 1, 2, 'about_to_sleep'],
    [3, 4, 5, 'loyal'], [2, 3, 4, 'at_risk'], [1, 5, 5, 'cannot_lose'], [2, 5, 4, 'cannot_lose'],
    [2, 1, 2, 'hibernating'], [1, 1, 2, 'lost'], [1, 1, 1, 'lost'], [1, 3, 3, 'at_risk'],
  ] as const)('maps R%i F%i M%i to %s', (r, f, m, segment) => {
    expect(segmentFor(r, f, m)).toBe(segment);
  });
  it('rounds a half FM average up', () => {
    expect(segmentFor(5, 3, 4)).toBe('champions');
    expect(segmentFor(5, 1, 2)).toBe('potential_loyalist');
  });
  it('uses all eleven segments in the grid', () => {
    const used = new Set(Object.values(SEGMENT_GRID).flat());
    expect([...used].sort()).toEqual(Object.keys(RFM_SEGMENTS).sort());
  });
});

describe('scoreRfm', () => {
  it('combines the three scores and the segment', () => {
    const t = { recency: [10, 30, 60, 120], frequency: [1, 1, 2, 4], monetary: [5000, 10000, 20000, 50000] } as const;
    expect(scoreRfm({ recencyDays: 5, frequency: 6, monetaryCents: 80000 }, { recency: [...t.recency], frequency: [...t.frequency], monetary: [...t.monetary] }))
      .toEqual({ r: 5, f: 5, m: 5, segment: 'champions' });
    expect(scoreRfm({ recencyDays: 200, frequency: 1, monetaryCents: 3000 }, { recency: [...t.recency], frequency: [...t.frequency], monetary: [...t.monetary] }))
      .toEqual({ r: 1, f: 1, m: 1, segment: 'lost' });
  });
});

describe('segmentName', () => {
  it('names a segment in Chinese and English', () => {
    expect(segmentName('champions', 'zh')).toBe('重要价值客户');
    expect(segmentName('cannot_lose', 'en')).toBe("Can't Lose Them");
  });
  it('returns an unknown key unchanged', () => {
    expect(segmentName('vip', 'en')).toBe('vip');
  });
});
