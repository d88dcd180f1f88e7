/**
 * Replaces personal data with placeholders before text leaves shopdesk for a model: e-mail
 * addresses, phone numbers, order numbers, street addresses and any other long run of digits.
 * Unlike contact-masking.ts (which keeps a recognisable head and tail for staff), nothing of the
 * original survives. A heuristic tuned to what customers type, zh and en.
 */
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
// 7+ digits with the separators people type: +86 138 1234 5678, (021) 6123-4567, 555-0100
const PHONE = /(?:\+|＋|[(（])?[\d０-９](?:[\d０-９]|[ \-–()（）.]{1,2}(?=[\d０-９])){6,}/g;
const ZH_ADDRESS = /[\p{Script=Han}\d０-９]{0,16}(?:省|市|区|县|镇|乡|路|街|道|巷|弄|村|小区|花园|大厦)[\p{Script=Han}\d０-９\-－]*?[\d０-９]+\s*(?:号楼|号院|号|室|栋|幢|座|单元|楼|层|弄)(?:\s*[\d０-９\-－]+\s*(?:号楼|号|室|栋|幢|座|单元|楼|层))*/gu;
const EN_ADDRESS = /\b\d+[A-Za-z]?\s+(?:[A-Za-z]+\s+){0,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Boulevard|Blvd|Drive|Dr|Way|Court|Ct|Place|Pl|Terrace)\b\.?/gi;
const EN_UNIT = /\b(?:Apt|Apartment|Unit|Suite|Flat|Room|Rm)\.?\s*#?\s*\d[\w-]*/gi;
const LONG_NUMBER = /[\d０-９]{5,}/g;

/** The text with personal data replaced by [email], [phone], [order], [address], [number]. */
export function redactForLlm(text: string, orderNumberPattern: string): string {
  return redact(text, orderNumberPattern, (_m, placeholder) => placeholder);
}

/**
 * The personal data a model's answer names that none of `sources` (the articles it was given)
 * contains: an order number, phone or address it made up or was steered into.
 */
export function personalDataNotIn(text: string, orderNumberPattern: string, sources: string[]): string[] {
  const found: string[] = [];
  redact(text, orderNumberPattern, (m, placeholder) => {
    if (!sources.some((s) => s.includes(m.trim()))) found.push(m);
    return placeholder;
  });
  return found;
}

function redact(text: string, orderNumberPattern: string, replace: (match: string, placeholder: string) => string): string {
  const order = new RegExp(orderNumberPattern, 'gi');
  return text
    .replace(EMAIL, (m) => replace(m, '[email]'))
    .replace(order, (m) => replace(m, '[order]'))
    .replace(ZH_ADDRESS, (m) => replace(m, '[address]'))
    .replace(EN_ADDRESS, (m) => replace(m, '[address]'))
    .replace(EN_UNIT, (m) => replace(m, '[address]'))
    .replace(PHONE, (m) => replace(m, '[phone]'))
    .replace(LONG_NUMBER, (m) => replace(m, '[number]'));
}
