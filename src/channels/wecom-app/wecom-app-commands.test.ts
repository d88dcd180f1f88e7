import { describe, expect, it } from 'vitest';
import { buttonKey, parseButtonKey, parseStaffCommand } from './wecom-app-commands.js';

describe('WeCom app command words', () => {
  it('reads claims and selections with a conversation number in Chinese, English and full-width digits', () => {
    expect(parseStaffCommand('接 123')).toEqual({ type: 'claim', conversationId: 123 });
    expect(parseStaffCommand('接单#45')).toEqual({ type: 'claim', conversationId: 45 });
    expect(parseStaffCommand('/claim ＃１２')).toEqual({ type: 'claim', conversationId: 12 });
    expect(parseStaffCommand('切换 7')).toEqual({ type: 'select', conversationId: 7 });
    expect(parseStaffCommand('/use 7')).toEqual({ type: 'select', conversationId: 7 });
  });

  it('takes resolve and release for the selected conversation or a given one', () => {
    expect(parseStaffCommand('结束')).toEqual({ type: 'resolve' });
    expect(parseStaffCommand(' /resolve 9 ')).toEqual({ type: 'resolve', conversationId: 9 });
    expect(parseStaffCommand('释放')).toEqual({ type: 'release' });
    expect(parseStaffCommand('/release')).toEqual({ type: 'release' });
  });

  it('leaves ordinary sentences that merely start like a command as replies to the customer', () => {
    expect(parseStaffCommand('接下来我帮您查一下')).toEqual({ type: 'text', text: '接下来我帮您查一下' });
    expect(parseStaffCommand('结束了吗？')).toEqual({ type: 'text', text: '结束了吗？' });
    expect(parseStaffCommand('结束 谢谢您的耐心')).toEqual({ type: 'text', text: '结束 谢谢您的耐心' });
    expect(parseStaffCommand('接 一下电话')).toEqual({ type: 'text', text: '接 一下电话' });
  });

  it('reads notes, explicit questions for the assistant and help', () => {
    expect(parseStaffCommand('备注：老顾客，优先处理')).toEqual({ type: 'note', text: '老顾客，优先处理' });
    expect(parseStaffCommand('Note: VIP')).toEqual({ type: 'note', text: 'VIP' });
    expect(parseStaffCommand('问：今天销售额多少')).toEqual({ type: 'ask', text: '今天销售额多少' });
    expect(parseStaffCommand('/ask open tickets')).toEqual({ type: 'ask', text: 'open tickets' });
    expect(parseStaffCommand('？本周退款多少')).toEqual({ type: 'ask', text: '本周退款多少' });
    expect(parseStaffCommand('帮助')).toEqual({ type: 'help' });
    expect(parseStaffCommand('今天销售额多少')).toEqual({ type: 'text', text: '今天销售额多少' });
  });

  it('round-trips card button keys and refuses others', () => {
    expect(parseButtonKey(buttonKey('claim', 42))).toEqual({ action: 'claim', conversationId: 42 });
    expect(parseButtonKey('resolve:7')).toEqual({ action: 'resolve', conversationId: 7 });
    expect(parseButtonKey('open:7')).toBeUndefined();
    expect(parseButtonKey('claim:abc')).toBeUndefined();
  });
});
