import { describe, expect, it } from 'vitest';
import { personalDataNotIn, redactForLlm } from './llm-redactor.js';

const ORDER = 'SD\\d{10}';

describe('redactForLlm', () => {
  it('replaces e-mails, phones and order numbers with placeholders and keeps the question', () => {
    const out = redactForLlm('my mail is li.lei@example.com, call +86 138 1234 5678 about SD2501019011 please', ORDER);
    expect(out).toBe('my mail is [email], call [phone] about [order] please');
  });

  it('redacts Chinese and English street addresses', () => {
    expect(redactForLlm('寄到上海市浦东新区世纪大道100号2栋1201室，谢谢', ORDER)).not.toMatch(/100|1201/);
    expect(redactForLlm('ship to 221B Baker Street, Apt 4 please', ORDER)).toBe('ship to [address], [address] please');
  });

  it('redacts full-width digits and leaves short numbers (sizes, counts) alone', () => {
    expect(redactForLlm('电话１３８１２３４５６７８，要2件', ORDER)).toBe('电话[phone]，要2件');
  });

  it('flags personal data in an answer unless the source articles carry it (a hotline)', () => {
    expect(personalDataNotIn('Order SD2501019011 ships to Li Lei', ORDER, ['Returns within 7 days.'])).toEqual(['SD2501019011']);
    expect(personalDataNotIn('Call 400-820-8820 or return within 7 days.', ORDER, ['Hotline 400-820-8820.'])).toEqual([]);
  });
});
