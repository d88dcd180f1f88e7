import { describe, expect, it } from 'vitest';
import { sanitiseDeep, sanitiseText } from './text-sanitiser.js';

describe('sanitiseText', () => {
  it('drops NUL and control characters but keeps tabs and newlines', () => {
    expect(sanitiseText('a\u0000b\u0007c\td\ne\r\n')).toBe('abc\td\ne\r\n');
  });
  it('drops C1 control characters such as U+009B (CSI), which a terminal reads as an escape', () => {
    expect(sanitiseText('ok\u009B2J\u0085\u0080\u009Fdone ü €')).toBe('ok2Jdone ü €');
  });
  it('replaces lone surrogates and keeps real emoji and Chinese', () => {
    expect(sanitiseText('x\ud800y\udc00z 😀 退货')).toBe('x\ufffdy\ufffdz 😀 退货');
  });
  it('walks nested values without touching dates and numbers', () => {
    const at = new Date(0);
    expect(sanitiseDeep({ a: ['\u0000ok'], b: 1, at })).toEqual({ a: ['ok'], b: 1, at });
  });
});
