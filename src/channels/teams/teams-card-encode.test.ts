import { describe, expect, it } from 'vitest';
import type { StaffNotificationPayload, StaffNotificationRow } from '../../shared/staff-notifier.js';
import { ADAPTIVE_CARD, encodeRow, escapeMarkdown, placement } from './teams-card-encode.js';

function row(kind: string, over: { payload?: Partial<StaffNotificationPayload>; threadRef?: string | null } = {}): StaffNotificationRow {
  const payload: StaffNotificationPayload = {
    conversation: { id: 7, channel: 'web', mode: 'waiting', status: 'waiting', handoffReason: 'asked for a person', waitingSince: '2025-03-04T08:15:00.000Z', assignee: null, ticket: { id: 3, number: 'T-000003', subject: 'Refund not received' } },
    customer: { id: 12, name: '张*三 [VIP](http://evil.example)', segment: 'loyal', phoneMasked: '138****5678', emailMasked: 'z***@example.com', lang: 'zh' },
    message: { id: 99, text: '**急** 我的退款呢？' }, actor: { kind: 'customer' }, audience: 'agents', deskPath: '/desk#/c/7',
    ...over.payload,
  };
  return { id: 1, dedupeKey: `k-${kind}`, target: 'teams', kind, conversationId: 7, staffId: null, payload, attempts: 0, createdAt: new Date(), threadRef: over.threadRef === undefined ? '1741076102004' : over.threadRef };
}

type Card = { body: { type: string; text?: string; facts?: { title: string; value: string }[] }[]; actions: { type: string; title: string; data?: unknown; url?: string }[] };
const cardOf = (a: ReturnType<typeof encodeRow>) => a.attachments?.[0]?.content as Card;

describe('encoding staff notifications for Teams', () => {
  it('makes a handoff an Adaptive Card with masked contacts, the reason, the ticket and Claim / Resolve / Release', () => {
    const a = encodeRow(row('handoff', { threadRef: null }), { locale: 'en', publicUrl: 'https://help.example.com/' });
    expect(a.attachments?.[0]?.contentType).toBe(ADAPTIVE_CARD);
    const card = cardOf(a);
    const facts = Object.fromEntries(card.body.find((b) => b.type === 'FactSet')!.facts!.map((f) => [f.title, f.value]));
    expect(facts).toMatchObject({ Phone: '138\\*\\*\\*\\*5678', 'E-mail': 'z\\*\\*\\*@example.com', Reason: 'asked for a person', Ticket: 'T-000003 Refund not received' });
    expect(card.actions).toEqual([
      { type: 'Action.Submit', title: 'Claim', data: { shopdeskAction: 'claim', conversationId: 7 } },
      { type: 'Action.Submit', title: 'Resolve', data: { shopdeskAction: 'resolve', conversationId: 7 } },
      { type: 'Action.Submit', title: 'Release to bot', data: { shopdeskAction: 'release', conversationId: 7 } },
      { type: 'Action.OpenUrl', title: 'Open in /desk', url: 'https://help.example.com/desk#/c/7' },
    ]);
    expect(a.summary).toContain('asks for a person');
  });

  it('lets nothing a customer typed format or link inside the card', () => {
    const card = cardOf(encodeRow(row('handoff', { threadRef: null }), { locale: 'zh' }));
    const text = JSON.stringify(card);
    expect(text).toContain('\\\\[VIP\\\\](http://evil.example)');
    expect(text).toContain('\\\\*\\\\*急\\\\*\\\\*');
    expect(escapeMarkdown('a_b*c[d]e\\f')).toBe('a\\_b\\*c\\[d\\]e\\\\f');
  });

  it('has no claim buttons on a message left out of hours, and no /desk link without PUBLIC_URL', () => {
    const card = cardOf(encodeRow(row('left_message', { threadRef: null }), { locale: 'zh' }));
    expect(card.actions).toEqual([]);
    expect(card.body[0].text).toContain('非服务时间留言');
  });

  it('writes what follows as plain text in the thread, in the shop\'s language', () => {
    const said = encodeRow(row('customer_message', { payload: { message: { id: 100, text: '<at>everyone</at> 在吗' } } }), { locale: 'zh' });
    expect(said).toEqual({ type: 'message', text: '💬 张*三 [VIP](http://evil.example)： <at>everyone</at> 在吗', textFormat: 'plain' });
    const claimed = encodeRow(row('claim', { payload: { actor: { kind: 'staff', staffId: 2, name: 'Ann' } } }), { locale: 'en' });
    expect(claimed.text).toBe('✋ Ann took this conversation.');
    const escalated = encodeRow(row('escalation', { payload: { detail: { waitedMinutes: 12 } } }), { locale: 'en' });
    expect(escalated.text).toContain('nobody has taken this conversation for 12 min');
  });

  it('puts a row under its card, waits for a card not yet posted, and skips what an agent wrote in Teams itself', () => {
    expect(placement(row('handoff'))).toBe('root');
    expect(placement(row('customer_message'))).toBe('thread');
    expect(placement(row('customer_message', { threadRef: null }))).toBe('wait');
    expect(placement(row('reminder', { threadRef: null }))).toBe('root');
    const fromTeams = { actor: { kind: 'staff' as const, staffId: 2, name: 'Ann', via: 'teams' } };
    expect(placement(row('staff_message', { payload: fromTeams }))).toBe('skip');
    expect(placement(row('note', { payload: fromTeams }))).toBe('skip');
    expect(placement(row('staff_message', { payload: { actor: { kind: 'staff', staffId: 2, name: 'Ann', via: 'slack' } } }))).toBe('thread');
    expect(placement(row('claim', { payload: fromTeams }))).toBe('thread');
  });

  it('links the conversation in a reminder about a chat that has no card on Teams', () => {
    const a = encodeRow(row('reminder', { threadRef: null, payload: { detail: { waitedMinutes: 3 } } }), { locale: 'en', publicUrl: 'https://help.example.com' });
    expect(a.text).toMatch(/Still waiting for a person after 3 min\. .*\nhttps:\/\/help\.example\.com\/desk#\/c\/7$/);
  });
});

describe('message size', () => {
  it('keeps a long customer message under Teams\' 40 KB limit (the whole text stays in /desk)', () => {
    const long = '长'.repeat(20_000);
    const a = encodeRow(row('customer_message', { payload: { message: { id: 5, text: long } } }), { locale: 'zh' });
    expect(a.text!.length).toBeLessThanOrEqual(4000);
    expect(a.text!.endsWith('…')).toBe(true);
    const card = encodeRow(row('handoff', { threadRef: null, payload: { message: { id: 5, text: long } } }), { locale: 'zh' });
    expect(JSON.stringify(card).length).toBeLessThan(20_000);
  });
});
