import { describe, expect, it } from 'vitest';
import { emojiSentiment, normaliseText } from './text-normaliser.js';

describe('normaliseText', () => {
  it('turns full-width letters and digits into lower-case ASCII', () => {
    expect(normaliseText('ＳＤ２４０５１２３４５６')).toBe('sd2405123456');
    expect(normaliseText('ＨＥＬＬＯ　Ｗｏｒｌｄ')).toBe('hello world');
  });

  it('maps Chinese punctuation to the ASCII sign of the same meaning', () => {
    expect(normaliseText('你好，在吗？好的。（急）：是；对！')).toBe('你好,在吗?好的.(急):是;对!');
  });

  it('converts traditional Chinese to simplified', () => {
    expect(normaliseText('訂單怎麼還沒到')).toBe('订单怎么还没到');
    expect(normaliseText('請問發票怎麼開')).toBe('请问发票怎么开');
  });

  it('keeps mixed Chinese and English, lower-casing the English', () => {
    expect(normaliseText('我的Order到哪了')).toBe('我的order到哪了');
  });

  it('cuts long runs of one character to two but leaves digits alone', () => {
    expect(normaliseText('哈哈哈哈')).toBe('哈哈');
    expect(normaliseText('sooooo good')).toBe('soo good');
    expect(normaliseText('？？？')).toBe('??');
    expect(normaliseText('SD2405111000')).toBe('sd2405111000');
  });

  it('strips zero-width and control characters and collapses whitespace', () => {
    expect(normaliseText(' re\u200Bfund\u0007  \n\t now\uFEFF ')).toBe('refund now');
  });

  it('replaces invalid surrogates instead of passing them on', () => {
    const out = normaliseText('ab\uD800cd\uDC00');
    expect(out).toBe('ab\uFFFDcd\uFFFD');
    expect(() => encodeURIComponent(out)).not.toThrow();
  });

  it('keeps surrogate pairs such as emoji intact', () => {
    expect(normaliseText('ok 👍')).toBe('ok 👍');
  });

  it('looks only at the first 2,000 characters of a huge message, quickly', () => {
    const big = '我要退货 refund '.repeat(8000);
    const t = performance.now();
    const out = normaliseText(big);
    expect(performance.now() - t).toBeLessThan(200);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out.startsWith('我要退货 refund')).toBe(true);
  });

  it('returns an empty string for whitespace only', () => {
    expect(normaliseText(' \u3000\n ')).toBe('');
  });
});

describe('emojiSentiment', () => {
  it('scores angry emoji as negative and happy ones as positive', () => {
    expect(emojiSentiment('😡🤬👎')).toBeLessThan(-0.5);
    expect(emojiSentiment('谢谢😊👍')).toBeGreaterThan(0.5);
  });

  it('gives zero for text without emoji', () => {
    expect(emojiSentiment('where is my order')).toBe(0);
  });

  it('stays within -1..1 on emoji-only input', () => {
    const v = emojiSentiment('😡😡😡😡😡😡');
    expect(v).toBe(-1);
  });
});
