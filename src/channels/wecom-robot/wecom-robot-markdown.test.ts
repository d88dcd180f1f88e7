import { describe, expect, it } from 'vitest';
import type { StaffNotificationPayload } from '../../shared/staff-notifier.js';
import { defuse, robotMarkdown } from './wecom-robot-markdown.js';

const p = (text: string): StaffNotificationPayload => ({
  conversation: { id: 5, channel: 'web', mode: 'waiting', status: 'waiting', handoffReason: 'requested', waitingSince: null, assignee: null, ticket: null },
  customer: { id: 1, name: '张伟', segment: null, phoneMasked: '186****0000', emailMasked: null, lang: 'zh' },
  message: { id: 2, text }, audience: 'managers', deskPath: '/desk#/c/5', detail: { waitedMinutes: 11 },
});

describe('the WeCom robot\'s markdown', () => {
  it('alerts an escalation with the wait, masked contact and the /desk link as the last line', () => {
    const md = robotMarkdown('escalation', p('我的邮箱 zhang.wei@example.com'), 'https://help.example.com')!;
    expect(md.split('\n')[0]).toBe('### 🚨 升级 Escalation：张伟');
    expect(md).toContain('等待 11 分钟 min仍无人接手');
    expect(md).toContain('zh***@example.com');
    expect(md.split('\n').at(-1)).toBe('[在 /desk 中打开 Open in /desk](https://help.example.com/desk#/c/5)');
  });

  it('posts nothing for kinds the group does not need', () => {
    expect(robotMarkdown('customer_message', p('hi'), 'https://h.example')).toBeUndefined();
  });

  it('stays within 4096 bytes and keeps the link however long the customer wrote', () => {
    const md = robotMarkdown('handoff', p('很长的投诉'.repeat(2000)), 'https://help.example.com')!;
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(4096);
    expect(md.endsWith('(https://help.example.com/desk#/c/5)')).toBe(true);
  });

  it('defuses markdown links, tags and line breaks from customers', () => {
    expect(defuse('[x](https://evil)\n<font color="info">hi</font>')).toBe('［x］(https://evil) ＜font color="info"＞hi＜/font＞');
  });
});
