import { describe, expect, it } from 'vitest';
import { extractFeatures, prepareText, stem } from './intent-features.js';
import { SpellingCorrector } from './spelling-corrector.js';

describe('intent features', () => {
  it('replaces order numbers and anonymised placeholders by slot words', () => {
    expect(prepareText('cancel purchase {{Order Number}}')).toBe('cancel purchase qqcode');
    expect(prepareText('请问[ORDERID_10086]到哪了')).toBe('qqcode 到哪了');
    expect(prepareText('SD2406117788 到哪了')).toBe('qqcode 到哪了');
  });

  it('fixes common pinyin slips before anything else', () => {
    expect(prepareText('快地到哪了')).toBe('快递到哪了');
    expect(prepareText('定单怎么取消')).toBe('订单怎么取消');
  });

  it('adds Porter stems so inflections share a feature', () => {
    expect(stem('cancellation')).toBe(stem('cancel'));
    expect(extractFeatures('refunds').has(`s:${stem('refund')}`)).toBe(true);
  });

  it('reads a misspelt word as the word it stands for', () => {
    const corrector = new SpellingCorrector(['refund', 'please']);
    const bag = extractFeatures('refnud please', corrector);
    expect(bag.has('w:refund')).toBe(true);
    expect(bag.has('s:refund')).toBe(true);
    expect(bag.has('w:refnud')).toBe(false);
    expect(extractFeatures('refnud please').has('w:refnud')).toBe(true);
  });

  it('adds Han trigrams beside bigrams and single characters', () => {
    const bag = extractFeatures('上门取件');
    expect(bag.has('h:上门取')).toBe(true);
    expect(bag.has('c:取件')).toBe(true);
    expect(bag.has('u:件')).toBe(true);
  });

  it('returns an L2-normalised vector', () => {
    const bag = extractFeatures('亲 我的快递怎么还没到');
    const norm = Math.sqrt([...bag.values()].reduce((s, v) => s + v * v, 0));
    expect(norm).toBeCloseTo(1, 6);
  });
});
