import { describe, expect, it } from 'vitest';
import { markdownToChatText } from './plain-text.js';

describe('markdownToChatText', () => {
  it('drops emphasis and code marks but keeps the words', () => {
    expect(markdownToChatText('满 **¥99 包邮**，`顺丰` *加急*')).toBe('满 ¥99 包邮，顺丰 加急');
  });
  it('turns list items into bullets and headings into lines', () => {
    expect(markdownToChatText('## Fees\n- one\n* two\n\n\n\nend')).toBe('Fees\n• one\n• two\n\nend');
  });
  it('keeps a link target readable', () => {
    expect(markdownToChatText('see [returns](https://shop.example/returns)')).toBe('see returns (https://shop.example/returns)');
  });
  it('leaves a multiplication sign or a lone asterisk alone', () => {
    expect(markdownToChatText('2 * 3 = 6')).toBe('2 * 3 = 6');
  });
});
