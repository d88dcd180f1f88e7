import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language-detector.js';

describe('detectLanguage', () => {
  it('detects Chinese, including traditional characters and an embedded order number', () => {
    expect(detectLanguage('订单怎么还没到')).toBe('zh');
    expect(detectLanguage('訂單怎麼還沒到')).toBe('zh');
    expect(detectLanguage('订单SD2405123456怎么还没发货')).toBe('zh');
  });

  it('detects English', () => {
    expect(detectLanguage('wheres my stuff')).toBe('en');
  });

  it('calls Chinese with an English word mixed', () => {
    expect(detectLanguage('我的order到哪了')).toBe('mixed');
  });

  it('treats pinyin-only text as English', () => {
    expect(detectLanguage('wo de dingdan zai nali')).toBe('en');
  });

  it('returns unknown for emoji, digits or punctuation only', () => {
    expect(detectLanguage('😡😡')).toBe('unknown');
    expect(detectLanguage('123 ???')).toBe('unknown');
    expect(detectLanguage('')).toBe('unknown');
  });
});
