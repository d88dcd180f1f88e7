import { describe, expect, it } from 'vitest';
import { extractEntities, parseChineseNumber, type EntityOptions } from './entity-extractor.js';

// Wednesday 2024-05-15, 10:00 in Shanghai.
const now = new Date('2024-05-15T02:00:00Z');
const catalog = [
  { sku: 'TSH-001', nameZh: '纯棉圆领T恤', nameEn: 'Cotton Crew Neck T-Shirt' },
  { sku: 'HP-200', nameZh: '无线降噪耳机', nameEn: 'Wireless Noise Cancelling Headphones' },
  { sku: 'KT-9', nameZh: '不锈钢电热水壶', nameEn: 'Stainless Steel Electric Kettle' },
];
const opts: EntityOptions = { orderNumberPattern: 'SD\\d{10}', catalog, now, timeZone: 'Asia/Shanghai' };

describe('extractEntities', () => {
  const orderCases: [string, string, string[]][] = [
    ['plain order number', '订单SD2405123456怎么还没发', ['SD2405123456']],
    ['lower-case order number', 'where is sd2405123456', ['SD2405123456']],
    ['full-width digits in an order number', '单号ＳＤ２４０５１２３４５６', ['SD2405123456']],
    ['an order number typed with spaces', 'order SD 2405 123 456 please', ['SD2405123456']],
    ['two order numbers, once each', 'SD2405111111 and SD2405222222 and SD2405111111', ['SD2405111111', 'SD2405222222']],
    ['no order number in a longer digit run', 'SD24051234567', []],
  ];
  it.each(orderCases)('reads %s', (_name, text, expected) => {
    expect(extractEntities(text, opts).orderNumbers).toEqual(expected);
  });

  const phoneCases: [string, string, string[]][] = [
    ['a Chinese mobile', '电话13812345678', ['13812345678']],
    ['a Chinese mobile with +86 and spaces', '+86 138 1234 5678', ['13812345678']],
    ['an international number', 'call me on +44 7700 900123', ['+447700900123']],
    ['a US number', 'my number is (415) 555-0132', ['4155550132']],
    ['no phone inside an order number', 'SD1381234567', []],
  ];
  it.each(phoneCases)('reads %s', (_name, text, expected) => {
    expect(extractEntities(text, opts).phones).toEqual(expected);
  });

  it('reads an email address', () => {
    expect(extractEntities('email me at Jane.Doe+shop@Example.co.uk thanks', opts).emails).toEqual(['jane.doe+shop@example.co.uk']);
  });

  const amountCases: [string, string, { value: number; currency?: string }[]][] = [
    ['yen sign', '付了¥199', [{ value: 199, currency: 'CNY' }]],
    ['full-width yen sign', '￥59.9', [{ value: 59.9, currency: 'CNY' }]],
    ['元', '退我199元', [{ value: 199, currency: 'CNY' }]],
    ['块', '才50块', [{ value: 50, currency: 'CNY' }]],
    ['dollar sign', 'charged $20 twice', [{ value: 20, currency: 'USD' }]],
    ['dollars word', 'it was 1,299.50 dollars', [{ value: 1299.5, currency: 'USD' }]],
    ['Chinese numerals', '两百元', [{ value: 200, currency: 'CNY' }]],
  ];
  it.each(amountCases)('reads an amount with %s', (_name, text, expected) => {
    expect(extractEntities(text, opts).amounts).toEqual(expected);
  });

  const dateCases: [string, string, string[]][] = [
    ['today', 'ordered it today', ['2024-05-15']],
    ['yesterday', 'i paid yesterday', ['2024-05-14']],
    ['今天 and 明天', '今天能发吗 明天要用', ['2024-05-15', '2024-05-16']],
    ['昨天', '昨天下的单', ['2024-05-14']],
    ['上周', '上周买的', ['2024-05-08']],
    ['3月5日', '3月5日买的', ['2024-03-05']],
    ['an ISO date', 'bought on 2024-03-05', ['2024-03-05']],
    ['next monday', 'deliver next monday', ['2024-05-20']],
    ['下周三', '下周三送', ['2024-05-22']],
    ['a month name', 'since march 5th', ['2024-03-05']],
  ];
  it.each(dateCases)('resolves the date %s', (_name, text, expected) => {
    expect(extractEntities(text, opts).dates.map((d) => d.iso)).toEqual(expected);
  });

  it('uses the shop time zone for today', () => {
    const lateUtc = new Date('2024-05-15T20:00:00Z');
    expect(extractEntities('today', { ...opts, now: lateUtc }).dates[0].iso).toBe('2024-05-16');
  });

  const productCases: [string, string, string | undefined][] = [
    ['a Chinese name inside a sentence', '那个无线降噪耳机有黑色吗', 'HP-200'],
    ['a partial Chinese name', '电热水壶漏水了', 'KT-9'],
    ['traditional characters', '無線降噪耳機壞了', 'HP-200'],
    ['English words with a typo', 'my wireless headphnes stopped working', 'HP-200'],
    ['a SKU', 'is tsh-001 in stock', 'TSH-001'],
    ['nothing related', 'where is my order', undefined],
  ];
  it.each(productCases)('finds a product by %s', (_name, text, sku) => {
    expect(extractEntities(text, opts).products[0]?.sku).toBe(sku);
  });

  const last4Cases: [string, string, string | undefined][] = [
    ['尾号', '手机尾号1234', '1234'],
    ['后四位', '电话后四位是5678', '5678'],
    ['last four', 'last four digits 4321', '4321'],
    ['none', 'my order is late', undefined],
  ];
  it.each(last4Cases)('reads last four phone digits after %s', (_name, text, expected) => {
    expect(extractEntities(text, opts).phoneLast4).toBe(expected);
  });

  it('returns empty lists for text with no entities', () => {
    expect(extractEntities('hello there', opts)).toEqual({ orderNumbers: [], phones: [], emails: [], amounts: [], dates: [], products: [] });
  });

  it('rejects an invalid order number pattern with a validation error', () => {
    expect(() => extractEntities('x', { ...opts, orderNumberPattern: '(' })).toThrow(/order number pattern/);
  });
});

describe('parseChineseNumber', () => {
  it.each([['两百', 200], ['十五', 15], ['三千五百', 3500], ['一万二千', 12000], ['九', 9]] as const)('reads %s', (s, n) => {
    expect(parseChineseNumber(s)).toBe(n);
  });
});
