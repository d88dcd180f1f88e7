import { describe, expect, it } from 'vitest';
import { confidenceOf, decideFromHits, scoreFeatures } from './kb-confidence.js';

const hits = (...confidences: number[]) => confidences.map((confidence, i) => ({ id: `a${i}`, confidence }));
const t = { high: 0.8, low: 0.3 };

describe('decideFromHits', () => {
  it('answers when the top hit is at or above the high threshold', () => {
    expect(decideFromHits(hits(0.8, 0.5), t)).toEqual({ kind: 'answer', hit: { id: 'a0', confidence: 0.8 } });
  });

  it('offers the top three when the top hit is between the thresholds', () => {
    const d = decideFromHits(hits(0.6, 0.4, 0.2, 0.1), t);
    expect(d.kind === 'choices' && d.hits.map((h) => h.id)).toEqual(['a0', 'a1', 'a2']);
  });

  it('leaves a weak third hit out of the choices', () => {
    const d = decideFromHits(hits(0.6, 0.4, 0.05), t);
    expect(d.kind === 'choices' && d.hits.map((h) => h.id)).toEqual(['a0', 'a1']);
  });

  it('gives no answer below the low threshold or without hits', () => {
    expect(decideFromHits(hits(0.29, 0.2), t)).toEqual({ kind: 'none' });
    expect(decideFromHits([], t)).toEqual({ kind: 'none' });
  });
});

describe('confidence', () => {
  it('grows with coverage and with the lead over the second hit', () => {
    const [clear] = scoreFeatures([9, 2], 10);
    const [close] = scoreFeatures([9, 8.5], 10);
    const [weak] = scoreFeatures([3, 1], 10);
    expect(confidenceOf(clear)).toBeGreaterThan(confidenceOf(close));
    expect(confidenceOf(clear)).toBeGreaterThan(confidenceOf(weak));
    expect(confidenceOf(clear)).toBeLessThanOrEqual(1);
  });
});
