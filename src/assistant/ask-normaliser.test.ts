import { describe, expect, it } from 'vitest';
import { chineseNumeral, MAX_QUESTION_CHARS, normaliseQuestion, TypoFixer } from './ask-normaliser.js';
import { COMMON_WORDS, KEYWORDS, NEAR_MISS_WORDS, SHORTHAND } from './ask-vocabulary.js';

const fixer = new TypoFixer(new Set(KEYWORDS), new Set([...COMMON_WORDS, ...NEAR_MISS_WORDS]), SHORTHAND);
const norm = (s: string): string => normaliseQuestion(s, fixer).text;

describe('normaliseQuestion', () => {
  it('turns full-width letters, digits and punctuation half-width', () => {
    expect(norm('ＳＤ２５０１０１９０２１，近７天？')).toBe('sd2501019021,近7天?');
  });

  it('turns traditional characters simplified', () => {
    expect(norm('上週銷售額')).toBe('上周销售额');
    expect(norm('這個禮拜營業額')).toBe('这个礼拜营业额');
  });

  it('writes counting numerals as digits but leaves names alone', () => {
    expect(norm('近七天')).toBe('近7天');
    expect(norm('过去三个月')).toBe('过去3个月');
    expect(norm('前五')).toBe('前5');
    expect(norm('双十一')).toBe('双11');
    expect(norm('第一季度')).toBe('第1季度');
    expect(norm('十一月')).toBe('11月');
    expect(norm('近两周')).toBe('近2周');
    expect(norm('张三的订单')).toBe('张三的订单');
    expect(norm('王五买了啥')).toBe('王五买了啥');
    expect(norm('上一个月')).toBe('上一个月');
    expect(norm('top five')).toBe('top 5');
  });

  it('fixes misspelt keywords but not real words or names', () => {
    expect(norm('revnue ordrs refnud yesterdy salse custoemrs')).toBe('revenue orders refund yesterday sales customers');
    expect(norm('orders waiting to ship')).toBe('orders waiting to ship');
    expect(norm('whose order')).toBe('whose order');
    expect(norm('ppl chatted lst wk')).toBe('people chatted last wk');
    expect(norm('alicee@example.com')).toBe('alicee@example.com');
  });

  it('keeps the asker\'s case aligned with the matching text', () => {
    const q = normaliseQuestion('Orders for Alice Smith 近七天', fixer);
    expect(q.text).toBe('orders for alice smith 近7天');
    expect(q.cased).toBe('Orders for Alice Smith 近7天');
    expect(q.cased.length).toBe(q.text.length);
  });

  it('reads only the start of a long paste and drops control characters', () => {
    const q = normaliseQuestion(`销售额\u0000\u200b${'x'.repeat(20_000)}`);
    expect(q.truncated).toBe(true);
    expect(q.text.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
    expect(q.text.startsWith('销售额 xxx')).toBe(true);
  });
});

describe('chineseNumeral', () => {
  it('reads the numerals shop owners write', () => {
    expect(chineseNumeral('五')).toBe(5);
    expect(chineseNumeral('十')).toBe(10);
    expect(chineseNumeral('十五')).toBe(15);
    expect(chineseNumeral('二十')).toBe(20);
    expect(chineseNumeral('两')).toBe(2);
    expect(chineseNumeral('一百二十')).toBe(120);
    expect(chineseNumeral('二〇二六')).toBe(2026);
    expect(chineseNumeral('')).toBeUndefined();
  });
});
