import { describe, expect, it } from 'vitest';
import { charNgrams, tokenize } from './tokenizer.js';

describe('tokenize', () => {
  it('segments Chinese into words and drops stopwords by default', () => {
    const tokens = tokenize('我的订单怎么还没发货');
    expect(tokens).toContain('订单');
    expect(tokens).toContain('发货');
    expect(tokens).not.toContain('的');
  });

  it('keeps stopwords when asked', () => {
    expect(tokenize('我的订单', { stopwords: false })).toEqual(['我', '的', '订单']);
  });

  it('splits mixed Chinese and English', () => {
    expect(tokenize('我的order到哪了', { stopwords: false })).toEqual(['我', '的', 'order', '到', '哪', '了']);
  });

  it('normalises traditional and full-width text before segmenting', () => {
    expect(tokenize('訂單ＯＲＤＥＲ')).toEqual(['订单', 'order']);
  });

  it('splits English on non-letters and keeps digit runs', () => {
    expect(tokenize("where's my order SD2405123456?", { stopwords: false })).toEqual([
      'where', 's', 'my', 'order', 'sd', '2405123456',
    ]);
  });

  it('returns nothing for emoji-only input', () => {
    expect(tokenize('😡😡👍')).toEqual([]);
  });

  it('handles a 100 KB message', () => {
    const tokens = tokenize('退货'.repeat(50_000));
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.length).toBeLessThanOrEqual(2000);
  });

  it('survives invalid UTF-16', () => {
    expect(tokenize('退\uD800款 re\uDC00fund', { stopwords: false })).toEqual(['退', '款', 're', 'fund']);
  });
});

describe('charNgrams', () => {
  it('makes Han bigrams within each Han run only', () => {
    expect(charNgrams('我的order到哪了')).toEqual(['我的', '到哪', '哪了']);
  });

  it('returns a short run as itself', () => {
    expect(charNgrams('好 ok')).toEqual(['好']);
  });
});
