import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { familyName, firstFace, singleFace, subsetFont } from './ask-chart-font.js';

const WQY = '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc';

describe.skipIf(!existsSync(WQY))('chart fonts', () => {
  it('takes the first face of a font collection as a standalone font', () => {
    const face = firstFace(readFileSync(WQY));
    expect(face.readUInt32BE(0)).toBe(0x00010000);
    expect(familyName(face)).toBe('WenQuanYi Zen Hei');
  });

  it('subsets a face to the glyphs a text needs, keeping its name', () => {
    const face = singleFace(WQY);
    const subset = subsetFont(face, '本月 热销商品 ¥1,234.00');
    expect(subset.length).toBeLessThan(face.length / 10);
    expect(familyName(subset)).toBe('WenQuanYi Zen Hei');
  });
});
