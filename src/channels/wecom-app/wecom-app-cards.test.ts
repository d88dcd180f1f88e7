import { describe, expect, it } from 'vitest';
import type { StaffNotificationPayload, StaffNotificationRow } from '../../shared/staff-notifier.js';
import { appMessage, audienceOf, clipBytes } from './wecom-app-cards.js';

const URL = 'https://help.example.com';

function row(kind: string, over: Partial<StaffNotificationPayload> = {}, staffId: number | null = null): StaffNotificationRow {
  const payload: StaffNotificationPayload = {
    conversation: { id: 42, channel: 'web', mode: 'waiting', status: 'open', handoffReason: 'requested', waitingSince: null, assignee: null, ticket: null },
    customer: { id: 7, name: '李雷', segment: 'vip', phoneMasked: '138****5678', emailMasked: 'li***@example.com', lang: 'zh' },
    message: { id: 1, text: '我的电话 13812345678，地址世纪大道88号' },
    audience: 'agents', deskPath: '/desk#/c/42', ...over,
  };
  return { id: 901, dedupeKey: 'k', target: 'wecom-app', kind, conversationId: 42, staffId, payload, attempts: 0, createdAt: new Date(), threadRef: null };
}

describe('WeCom app cards', () => {
  it('makes a handoff a button card with claim and resolve keys, a /desk link, a per-row task id and masked contact', () => {
    const m = appMessage(row('handoff'), URL);
    expect(m?.msgtype).toBe('template_card');
    if (m?.msgtype !== 'template_card') return;
    const c = m.template_card;
    expect(c.card_type).toBe('button_interaction');
    expect(c.task_id).toBe('sd-901');
    expect(c.card_action).toEqual({ type: 1, url: `${URL}/desk#/c/42` });
    expect(c.button_list.map((b) => b.key)).toEqual(['claim:42', 'resolve:42']);
    const all = JSON.stringify(c);
    expect(all).toContain('138****5678');
    expect(all).not.toContain('13812345678');
    expect(all).not.toContain('88号');
    expect(c.horizontal_content_list?.find((f) => f.keyname === '会话')?.value).toBe('#42');
  });

  it('sends escalations to managers, reminders as a textcard to the team, a customer line only to the holder', () => {
    expect(audienceOf(row('escalation', { audience: 'managers' }))).toEqual({ kind: 'managers' });
    expect(audienceOf(row('handoff'))).toEqual({ kind: 'agents' });
    const reminder = appMessage(row('reminder', { detail: { waitedMinutes: 4 } }), URL);
    expect(reminder).toMatchObject({ msgtype: 'textcard', textcard: { url: `${URL}/desk#/c/42` } });
    expect(audienceOf(row('customer_message'))).toBeUndefined();
    const held = row('customer_message', { conversation: { ...row('x').payload.conversation, mode: 'human', assignee: { id: 3, name: 'ann' } } });
    expect(audienceOf(held)).toEqual({ kind: 'staff', staffId: 3 });
    expect(appMessage(held, URL)).toEqual({ msgtype: 'text', text: { content: '💬 李雷（#42）：我的电话 138****5678，地址世纪大道**号' } });
  });

  it('tells an assignee about a claim made for them, but not about their own claim', () => {
    expect(appMessage(row('claim', { actor: { kind: 'system' } }, 3), URL)?.msgtype).toBe('text');
    expect(appMessage(row('claim', { actor: { kind: 'staff', staffId: 3, via: 'wecom' } }, 3), URL)).toBeUndefined();
    expect(appMessage(row('claim', { actor: { kind: 'staff', staffId: 3 } }, 3), URL)).toBeUndefined();
  });

  it('cuts text to WeCom\'s byte limits on whole characters', () => {
    const cut = clipBytes('中'.repeat(200), 128);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(128);
    expect(cut.endsWith('…')).toBe(true);
  });
});
