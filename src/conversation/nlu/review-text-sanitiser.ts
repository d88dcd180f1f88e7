import { maskContactText } from '../../shared/contact-masking.js';

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
// a run of 7 or more digits, spaces, dashes, dots or brackets allowed between them (phones, long ids)
const LONG_NUMBER = /[+(]?\d(?:[\d]|[ \-().]{1,2}(?=\d)){6,}/g;

/**
 * A customer message made fit to keep for the shop's NLU review and training file: order numbers
 * become `{{Order Number}}` (which the classifier reads as an order number), e-mail addresses
 * `{{Email}}`, phone numbers and other long digit runs `{{Phone}}`, and house/room numbers are
 * masked (src/shared/contact-masking.ts). A heuristic, like the masking it builds on.
 */
export function sanitiseReviewText(text: string, orderNumberPattern: string): string {
  // full-width digits, letters and ＠ as ASCII, so the patterns see them; Chinese punctuation is kept
  let s = text.replace(/[０-９Ａ-Ｚａ-ｚ＠．＋]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
  try {
    s = s.replace(new RegExp(`(?<![0-9])(?:${orderNumberPattern})(?![0-9])`, 'gi'), '{{Order Number}}');
  } catch {
    // an invalid pattern is refused at boot (config); the digit rule below still masks the number
  }
  s = s.replace(EMAIL, '{{Email}}').replace(LONG_NUMBER, '{{Phone}}');
  return maskContactText(s).slice(0, 500);
}
