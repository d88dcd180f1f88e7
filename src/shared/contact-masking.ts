/**
 * Masks a customer's contact details in free text before it leaves shopdesk for a staff tool
 * (Slack, Teams, a WeCom robot): phone numbers keep their first three and last four digits, e-mail
 * addresses their first two characters and domain, street addresses lose their house and room
 * numbers. A heuristic, tuned to catch what customers type (Chinese and English), not a guarantee.
 */
const EMAIL = /([\w.+-]{1,2})[\w.+-]*(@[\w-]+(?:\.[\w-]+)+)/g;
// +86 138 1234 5678, 13812345678, (021) 6123-4567, +1 (415) 555-0100: 10 to 15 digits (E.164), so
// dates, prices and long marketplace order ids stay readable
const PHONE = /(?<![\w@])(?:\+|＋|[(（])?[\d０-９](?:[\d０-９]|[ \-–()（）.]{1,2}(?=[\d０-９]))+(?![\w@])/g;
// 88号 / 1201室 / 3栋 / 5单元 / 12楼 / 弄 (also with full-width digits and Chinese numerals before 号楼)
const ZH_HOUSE = /[\d０-９]+(?:[-－][\d０-９]+)*\s*(号楼|号院|号|室|栋|幢|座|单元|楼|层|弄|巷)/g;
const EN_HOUSE = /\b\d+[A-Za-z]?(?=\s+(?:[A-Z][a-z]+\s+){0,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Boulevard|Blvd|Drive|Dr|Way|Court|Ct|Place|Pl|Terrace)\b\.?)/g;
const EN_UNIT = /\b(Apt|Apartment|Unit|Suite|Flat|Room|Rm)\.?\s*#?\s*[\w-]+/gi;

/** 13812345678 → 138****5678; short numbers become ****. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d０-９+＋]/g, '');
  return digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
}

/** li.lei@example.com → li***@example.com */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return at <= 0 ? '***' : `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`;
}

/** The text with phone numbers, e-mail addresses and house/room numbers masked. */
export function maskContactText(text: string): string {
  return text
    .replace(EMAIL, (_m, head: string, domain: string) => `${head}***${domain}`)
    .replace(PHONE, (m) => {
      const n = m.replace(/[^\d０-９]/g, '').length;
      return n >= 10 && n <= 15 ? maskPhone(m) : m;
    })
    .replace(ZH_HOUSE, (_m, unit: string) => `**${unit}`)
    .replace(EN_HOUSE, '**')
    .replace(EN_UNIT, (_m, unit: string) => `${unit} **`);
}
