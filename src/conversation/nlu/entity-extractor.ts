import { AppError } from '../../shared/app-error.js';
import { normaliseText } from '../text/text-normaliser.js';
import { extractDates, type DateMention } from './date-extractor.js';
import { matchProducts, type CatalogItem, type ProductMatch } from './product-matcher.js';

export interface Entities {
  orderNumbers: string[];
  phones: string[];
  emails: string[];
  amounts: { value: number; currency?: string }[];
  dates: DateMention[];
  products: ProductMatch[];
  /** Last four digits of a phone, when the customer gives only those (尾号1234). */
  phoneLast4?: string;
}

export interface EntityOptions {
  /** The shop's order number regex source, e.g. `SD\d{10}` (matched case-insensitively). */
  orderNumberPattern: string;
  catalog?: CatalogItem[];
  /** Reference time for relative dates (default: now). */
  now?: Date;
  timeZone?: string;
}

const EMAIL = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/g;
const CN_MOBILE = /(?<![\d+])(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;
const INTL_PHONE = /(?<![\da-z])\+(\d{1,3})[\s-]?(?:\(\d{1,4}\)[\s-]?)?\d{1,4}(?:[\s-]?\d{2,5}){1,4}(?!\d)/g;
const NANP_PHONE = /(?<![\da-z])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?!\d)/g;
const LAST4 = /(?:尾号|后四位|后4位|末四位|末4位|last\s*(?:4|four)(?:\s*digits?)?(?:\s*(?:is|are|of my phone|of my number))?)\s*(?:是|为)?\s*[:：]?\s*(\d{4})(?!\d)/;

const CURRENCY_SIGNS: Record<string, string> = { '¥': 'CNY', '￥': 'CNY', rmb: 'CNY', cny: 'CNY', $: 'USD', usd: 'USD', '€': 'EUR', eur: 'EUR', '£': 'GBP', gbp: 'GBP' };
const CURRENCY_WORDS: Record<string, string> = { 元: 'CNY', 块: 'CNY', 块钱: 'CNY', 元钱: 'CNY', rmb: 'CNY', dollars: 'USD', dollar: 'USD', bucks: 'USD', usd: 'USD', euros: 'EUR', euro: 'EUR', pounds: 'GBP', quid: 'GBP' };
const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const AMOUNT_BEFORE = new RegExp(String.raw`(¥|￥|\$|€|£|\brmb|\bcny|\busd|\beur|\bgbp)\s?(${NUMBER})`, 'g');
const AMOUNT_AFTER = new RegExp(String.raw`(?<![\d.])(${NUMBER})\s?(块钱|元钱|元|块|rmb\b|dollars?\b|bucks\b|usd\b|euros?\b|pounds\b|quid\b)`, 'g');
const ZH_DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const ZH_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 10000 };
const ZH_AMOUNT = /([零一二两三四五六七八九十百千万]+)(块钱|元钱|元|块)/g;

/** Parses simple Chinese numerals (两百, 三千五百, 十五); undefined for anything else. */
export function parseChineseNumber(s: string): number | undefined {
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  for (const ch of s) {
    if (ch in ZH_DIGITS) {
      digit = ZH_DIGITS[ch];
    } else if (ch === '万') {
      total = (total + section + (digit ?? 0)) * 10000;
      section = 0;
      digit = undefined;
    } else if (ch in ZH_UNITS) {
      section += (digit ?? 1) * ZH_UNITS[ch];
      digit = undefined;
    } else {
      return undefined;
    }
  }
  const value = total + section + (digit ?? 0);
  return value > 0 ? value : undefined;
}

function compileOrderPattern(source: string): RegExp {
  try {
    return new RegExp(`(?<![0-9])(?:${source})(?![0-9])`, 'gi');
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `Invalid order number pattern: ${source}`, { cause: err });
  }
}

const unique = <T>(items: T[], key: (t: T) => string): T[] => {
  const seen = new Set<string>();
  return items.filter((t) => !seen.has(key(t)) && (seen.add(key(t)), true));
};

/**
 * Structured details in a customer message: order numbers (case-insensitive, full-width and
 * spaced digits accepted, returned upper-case), phones, emails, money amounts, dates resolved
 * against `now`, catalogue products and a phone's last four digits. Pure; never throws on text.
 */
export function extractEntities(text: string, opts: EntityOptions): Entities {
  const s = normaliseText(text);
  const orderRe = compileOrderPattern(opts.orderNumberPattern);
  // Customers split long numbers into groups ("SD 2405 123 456"); join digit groups for order numbers only.
  const joined = s.replace(/(?<=[a-z0-9])[ -](?=\d)/g, '');
  const orderNumbers = unique([...joined.matchAll(orderRe)].map((m) => m[0].toUpperCase()), (x) => x);
  const withoutOrders = s.replace(orderRe, ' ');

  const emails = unique(withoutOrders.match(EMAIL) ?? [], (x) => x);
  const withoutEmails = withoutOrders.replace(EMAIL, ' ');
  const phones: string[] = [];
  for (const m of withoutEmails.matchAll(CN_MOBILE)) phones.push(`${m[1]}${m[2]}${m[3]}`);
  const rest = withoutEmails.replace(CN_MOBILE, ' ');
  for (const m of rest.matchAll(INTL_PHONE)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 8 && digits.length <= 15) phones.push(`+${digits}`);
  }
  for (const m of rest.replace(INTL_PHONE, ' ').matchAll(NANP_PHONE)) phones.push(m[0].replace(/\D/g, ''));

  const numbersFree = rest.replace(INTL_PHONE, ' ').replace(NANP_PHONE, ' ');
  const amounts: Entities['amounts'] = [];
  for (const m of numbersFree.matchAll(AMOUNT_BEFORE)) amounts.push({ value: Number(m[2].replace(/,/g, '')), currency: CURRENCY_SIGNS[m[1]] });
  for (const m of numbersFree.matchAll(AMOUNT_AFTER)) amounts.push({ value: Number(m[1].replace(/,/g, '')), currency: CURRENCY_WORDS[m[2]] });
  for (const m of numbersFree.matchAll(ZH_AMOUNT)) {
    const value = parseChineseNumber(m[1]);
    if (value !== undefined) amounts.push({ value, currency: 'CNY' });
  }

  const last4 = numbersFree.match(LAST4)?.[1];
  return {
    orderNumbers,
    phones: unique(phones, (x) => x),
    emails,
    amounts: unique(amounts, (a) => `${a.value}${a.currency ?? ''}`),
    dates: extractDates(numbersFree, opts.now ?? new Date(), opts.timeZone),
    products: opts.catalog ? matchProducts(s, opts.catalog) : [],
    ...(last4 ? { phoneLast4: last4 } : {}),
  };
}
