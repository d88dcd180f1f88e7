import { describe, expect, it } from 'vitest';
import { LATE_NOTE, oaText, packItems } from './oa-encode.js';

const item = (id: string, text: string, late?: boolean) => ({ id, text, at: '2026-12-01T00:00:00.000Z', ...(late ? { late } : {}) });

describe('packItems', () => {
  it('joins waiting replies into as few messages as fit, in order', () => {
    const packs = packItems([item('1', 'a'.repeat(300)), item('2', 'b'.repeat(200)), item('3', 'c'.repeat(300))], 600);
    expect(packs.map((p) => p.items.map((i) => i.id))).toEqual([['1', '2'], ['3']]);
    expect(packs[0].text).toBe(`${'a'.repeat(300)}\n\n${'b'.repeat(200)}`);
  });

  it('says once that late answers are late', () => {
    const [pack] = packItems([item('1', '您的订单已发货', true), item('2', '正在为您转接人工客服', true)]);
    expect(pack.text.split(LATE_NOTE)).toHaveLength(2);
    expect(pack.text.startsWith(LATE_NOTE)).toBe(true);
  });

  it('never makes a message longer than the limit', () => {
    const packs = packItems([item('1', '长'.repeat(700))], 600);
    expect([...packs[0].text]).toHaveLength(600);
  });
});

describe('oaText', () => {
  it('shows choices as numbered text, answered with "1"/"2"', () => {
    expect(oaText({ type: 'choices', text: '请选择', choices: [{ label: '查订单', payload: 'a' }, { label: '退货', payload: 'b' }] })).toBe('请选择\n1. 查订单\n2. 退货');
  });
});
