import { describe, expect, it } from 'vitest';
import { termsOf } from './kb-terms.js';
import { SynonymExpander } from './synonym-expander.js';

describe('SynonymExpander', () => {
  const expander = new SynonymExpander([
    ['退款', '退钱', 'refund', 'money back'],
    ['发票', '收据', 'invoice', 'receipt'],
  ]);

  it('adds the other members of a matched group at a lower weight', () => {
    const expanded = expander.expand(termsOf('能退钱吗'));
    expect(expanded).toContainEqual({ term: '退钱', weight: 1 });
    expect(expanded).toContainEqual({ term: '退款', weight: 0.35 });
    expect(expanded).toContainEqual({ term: 'refund', weight: 0.35 });
    expect(expanded.some((t) => t.term === '发票')).toBe(false);
  });

  it('matches a multi-word entry only as a phrase', () => {
    expect(expander.expand(termsOf('I want my money back')).map((t) => t.term)).toContain('refund');
    expect(expander.expand(termsOf('back to the money page')).map((t) => t.term)).not.toContain('refund');
  });

  it('keeps a typed term at full weight even when a synonym also brings it in', () => {
    const expanded = expander.expand(termsOf('invoice or receipt'));
    expect(expanded.filter((t) => t.term === 'receipt')).toEqual([{ term: 'receipt', weight: 1 }]);
  });

  it('does not fire a group whose entry sits inside a longer entry of another group', () => {
    const withReceipt = new SynonymExpander([
      ['invoice', 'receipt'],
      ['confirm receipt', 'auto confirm'],
    ]);
    const terms = withReceipt.expand(termsOf('when is confirm receipt automatic')).map((t) => t.term);
    expect(terms).toContain('auto');
    expect(terms).not.toContain('invoic');
    expect(withReceipt.expand(termsOf('I need a receipt')).map((t) => t.term)).toContain('invoic');
  });
});
