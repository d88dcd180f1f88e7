import { describe, expect, it } from 'vitest';
import { augmentExamples, augmentLine, homophoneSlip, keyboardTypo } from './text-augmenter.js';
import { seededRandom } from './softmax-trainer.js';

describe('text augmenter', () => {
  it('makes one keyboard slip in a word of four or more letters', () => {
    const rand = seededRandom(3);
    for (let i = 0; i < 20; i++) {
      const out = keyboardTypo('where is my refund', rand);
      expect(out).not.toBe('where is my refund');
      expect(out.startsWith('where is my') || out.endsWith('is my refund')).toBe(true);
      expect(Math.abs(out.length - 'where is my refund'.length)).toBeLessThanOrEqual(1);
    }
  });

  it('swaps one Chinese character for a homophone an IME offers', () => {
    const out = homophoneSlip('快递', seededRandom(1));
    expect(['块递', '快地', '快第']).toContain(out);
  });

  it('keeps a line recognisable: same language, most of the text', () => {
    const rand = seededRandom(5);
    for (let i = 0; i < 50; i++) {
      const zh = augmentLine('我的订单到哪了', rand);
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      const en = augmentLine('where is my order', rand);
      expect(en.toLowerCase()).toMatch(/wh|ord/);
    }
  });

  it('is deterministic for a seed and tags each variant with its line', () => {
    const lines = [{ text: '退款什么时候到' }, { text: 'cancel my order' }];
    const a = augmentExamples(lines, { variants: 3, seed: 9 });
    expect(a).toEqual(augmentExamples(lines, { variants: 3, seed: 9 }));
    expect(a.map((v) => v.from)).toEqual([0, 0, 0, 1, 1, 1]);
  });
});
