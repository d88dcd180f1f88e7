import { describe, expect, it } from 'vitest';
import { yuanToFen } from './csv-reader.js';

describe('yuanToFen', () => {
  it('reads yuan amounts as whole fen without floating-point drift', () => {
    expect(yuanToFen('199')).toBe(19900);
    expect(yuanToFen('199.9')).toBe(19990);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen('¥89.00')).toBe(8900);
    expect(yuanToFen('1.005')).toBeUndefined();
    expect(yuanToFen('-5')).toBeUndefined();
    expect(yuanToFen('abc')).toBeUndefined();
  });
});
