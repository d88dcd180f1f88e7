import { describe, expect, it } from 'vitest';
import { SpellingCorrector } from './spelling-corrector.js';

describe('SpellingCorrector', () => {
  const c = new SpellingCorrector(['order', 'refund', 'account', 'payment', 'cancel', 'exchange', 'invoice', 'password', 'shipping', 'free', 'return']);

  it('corrects swapped, missing and wrong letters in key words', () => {
    expect(c.correct('refnud')).toBe('refund');
    expect(c.correct('accout')).toBe('account');
    expect(c.correct('paymnet')).toBe('payment');
    expect(c.correct('canel')).toBe('cancel');
    expect(c.correct('exchnage')).toBe('exchange');
    expect(c.correct('passwrod')).toBe('password');
    expect(c.correct('shiping')).toBe('shipping');
  });

  it('leaves known words, short words and far-off words alone', () => {
    expect(c.correct('order')).toBeUndefined();
    expect(c.correct('ordr')).toBe('order');
    expect(c.correct('frr')).toBeUndefined();
    expect(c.correct('banana')).toBeUndefined();
  });

  it('prefers the more frequent word when two are equally close', () => {
    const ranked = new SpellingCorrector(['cart', 'card']);
    expect(ranked.correct('carx')).toBe('cart');
  });
});
