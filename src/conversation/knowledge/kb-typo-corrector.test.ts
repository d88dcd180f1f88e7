import { describe, expect, it } from 'vitest';
import { editDistance, TypoCorrector } from './kb-typo-corrector.js';

describe('editDistance', () => {
  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('recieve', 'receive')).toBe(1);
    expect(editDistance('adress', 'address')).toBe(1);
    expect(editDistance('parcel', 'cancel')).toBeGreaterThan(1);
  });
});

describe('TypoCorrector', () => {
  const corrector = new TypoCorrector(new Set(['address', 'refund', 'invoic', 'back']), new Set(['black']));

  it('replaces an unknown word by the one index term a single edit away', () => {
    expect(corrector.correct(['wrong', 'adress'])).toEqual(['wrong', 'address']);
  });

  it('leaves short words, known words and terms of the index alone', () => {
    expect(corrector.correct(['black', 'refund', 'bakc'])).toEqual(['black', 'refund', 'bakc']);
  });

  it('leaves a typo alone when two index terms are equally close', () => {
    const ambiguous = new TypoCorrector(new Set(['refund', 'refind']));
    expect(ambiguous.correct(['refand'])).toEqual(['refand']);
  });
});
