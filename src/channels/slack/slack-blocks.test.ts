import { describe, expect, it } from 'vitest';
import type { StaffNotificationPayload } from '../../shared/staff-notifier.js';
import { handoffPost, statusLine, threadLine } from './slack-blocks.js';

const payload = (over: Partial<StaffNotificationPayload['conversation']> = {}): StaffNotificationPayload => ({
  conversation: { id: 7, channel: 'web', mode: 'waiting', status: 'waiting', handoffReason: 'complaint', waitingSince: '2025-01-01T02:00:00.000Z', assignee: null, ticket: { id: 3, number: 'T-000003', subject: '包裹破损 13812345678' }, ...over },
  customer: { id: 1, name: '王芳 <!channel>', segment: 'vip', phoneMasked: '138****5678', emailMasked: 'wa***@example.com', lang: 'zh' },
  message: { id: 9, text: '快递员态度很差，电话13812345678' },
  actor: { kind: 'customer' }, audience: 'agents', deskPath: '/desk#/c/7',
});

const ids = (blocks: unknown[] | undefined) => (blocks as { type: string; elements?: { action_id: string }[] }[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements!.map((e) => e.action_id));

describe('what shopdesk posts in Slack', () => {
  it('shows a waiting handoff with Claim, Resolve, Release and a /desk link, contact masked and mentions defused', () => {
    const post = handoffPost(payload(), { publicUrl: 'https://help.example.com', showContact: false });
    const json = JSON.stringify(post.blocks);
    expect(ids(post.blocks)).toEqual(['shopdesk_claim', 'shopdesk_resolve', 'shopdesk_release', 'shopdesk_open']);
    expect(json).toContain('138****5678');
    expect(json).not.toContain('13812345678');
    expect(json).toContain('&lt;!channel&gt;');
    expect(json).toContain('https://help.example.com/desk#/c/7');
    expect(json).toContain('complaint 投诉');
  });

  it('shows the full contact only when configured, and no link without PUBLIC_URL', () => {
    const post = handoffPost(payload(), { showContact: true, contact: { phone: '13812345678', email: 'wang.fang@example.com' } });
    expect(JSON.stringify(post.blocks)).toContain('13812345678');
    expect(JSON.stringify(post.blocks)).toContain('wang.fang@example.com');
    expect(ids(post.blocks)).not.toContain('shopdesk_open');
  });

  it('offers only Resolve and Release once someone has it, and no buttons after it is resolved', () => {
    const claimed = payload({ mode: 'human', status: 'open', assignee: { id: 2, name: 'Ann' } });
    expect(ids(handoffPost(claimed, { showContact: false }).blocks)).toEqual(['shopdesk_resolve', 'shopdesk_release']);
    expect(statusLine(claimed)).toContain('*Ann* has this conversation');
    const done = payload({ mode: 'bot', status: 'resolved' });
    expect(handoffPost(done, { showContact: false }).blocks!.some((b) => b.type === 'actions')).toBe(false);
    expect(statusLine(done)).toContain('Resolved');
  });

  it('writes one line per later event, and none for kinds it does not show', () => {
    const p = { ...payload(), actor: { kind: 'staff' as const, name: 'Ann' }, detail: { waitedMinutes: 12 } };
    expect(threadLine('customer_message', p, { showContact: false })).toBe(':speech_balloon: *王芳 &lt;!channel&gt;*: 快递员态度很差，电话138****5678');
    expect(threadLine('escalation', p, { showContact: false })).toContain('waiting 12 min');
    expect(threadLine('claim', p, { showContact: false })).toContain('Ann claimed');
    expect(threadLine('something_new', p, { showContact: false })).toBeUndefined();
  });
});
