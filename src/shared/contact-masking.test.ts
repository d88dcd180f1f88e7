import { describe, expect, it } from 'vitest';
import { maskContactText, maskEmail, maskPhone } from './contact-masking.js';

describe('masking contact details in free text', () => {
  it('masks Chinese mobiles (also full-width), landlines with area codes and international numbers', () => {
    expect(maskContactText('电话13812345678')).toBe('电话138****5678');
    expect(maskContactText('１３８１２３４５６７８')).toBe('１３８****５６７８');
    expect(maskContactText('座机 (021) 6123-4567')).toBe('座机 021****4567');
    expect(maskContactText('call +1 415 555 0100')).toBe('call +14****0100');
  });

  it('leaves order numbers, dates and prices readable', () => {
    expect(maskContactText('订单SD2024010112 于 20240101 付款 1,299.00 元')).toBe('订单SD2024010112 于 20240101 付款 1,299.00 元');
    expect(maskContactText('淘宝单号 4012345678901234567')).toBe('淘宝单号 4012345678901234567');
  });

  it('masks e-mail addresses and house or room numbers, Chinese and English', () => {
    expect(maskContactText('li.lei@example.com')).toBe('li***@example.com');
    expect(maskContactText('世纪大道88号1201室')).toBe('世纪大道**号**室');
    expect(maskContactText('5栋2单元')).toBe('**栋**单元');
    expect(maskContactText('221B Baker Street, Apt 4')).toBe('** Baker Street, Apt **');
  });

  it('masks single values', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('12345')).toBe('****');
    expect(maskEmail('ab@x.cn')).toBe('ab***@x.cn');
  });
});
