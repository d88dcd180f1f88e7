import { describe, expect, it } from 'vitest';
import { encodeKfReply, kfMsgId } from './kf-encode.js';

describe('encodeKfReply', () => {
  it('sends text as text, with a staff member\'s name in front', () => {
    expect(encodeKfReply({ type: 'text', text: '已发货', author: { kind: 'staff', name: 'Ann' } })).toEqual([{ msgtype: 'text', text: { content: 'Ann: 已发货' } }]);
  });

  it('sends choices as one msgmenu whose click ids are the payloads', () => {
    expect(encodeKfReply({ type: 'choices', text: '请选择', choices: [{ label: '查订单', payload: 'intent:order' }, { label: '退货', payload: 'intent:return' }] })).toEqual([
      { msgtype: 'msgmenu', msgmenu: { head_content: '请选择', list: [{ type: 'click', click: { id: 'intent:order', content: '查订单' } }, { type: 'click', click: { id: 'intent:return', content: '退货' } }] } },
    ]);
  });

  it('falls back to numbered text when the choices do not fit a menu, and sends a handoff notice as text in wecom mode', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ label: `选项${i + 1}`, payload: `p${i}` }));
    expect(encodeKfReply({ type: 'choices', text: '请选择', choices: many })[0]).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining('11. 选项11') } });
    const notice = { type: 'choices' as const, text: '正在为您转接人工', choices: [{ label: '不等了', payload: 'leave' }], handoff: true };
    expect(encodeKfReply(notice, { plainHandoff: true })).toEqual([{ msgtype: 'text', text: { content: '正在为您转接人工' } }]);
    expect(encodeKfReply(notice)[0].msgtype).toBe('msgmenu');
  });

  it('uploads an image and sends its caption before it; cuts text at the byte limit', () => {
    expect(encodeKfReply({ type: 'image', url: '/media/abc', caption: '这是发票' })).toEqual([{ msgtype: 'text', text: { content: '这是发票' } }, { msgtype: 'image', upload: { url: '/media/abc' } }]);
    const long = encodeKfReply({ type: 'text', text: '长'.repeat(1000) })[0] as { text: { content: string } };
    expect(Buffer.byteLength(long.text.content)).toBeLessThanOrEqual(2048);
  });

  it('makes msgids from our outbound ids within the platform\'s 32 characters', () => {
    expect(kfMsgId('123', 0)).toBe('sd123');
    expect(kfMsgId('123', 1)).toBe('sd123_1');
    expect(kfMsgId('9'.repeat(40), 3).length).toBeLessThanOrEqual(32);
  });
});
