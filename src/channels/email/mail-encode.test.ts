import { describe, expect, it } from 'vitest';
import { encodeReply } from './mail-encode.js';
import type { MailThread } from './email-store.js';

const THREAD: MailThread = { id: 'SD-abcdefghjk', address: 'a@example.com', subject: '退货', refs: ['<1@x>', '<2@x>'], lastInbound: '<2@x>', createdAt: '2024-03-04T00:00:00Z' };

describe('encodeReply', () => {
  it('threads the reply and marks a bot answer as automatic (RFC 3834)', () => {
    const m = encodeReply({ type: 'text', text: 'Hello <b>\n\nSecond' }, THREAD, { shopName: 'Demo Shop', fromStaff: false });
    expect(m).toMatchObject({ subject: 'Re: 退货 [#SD-abcdefghjk]', inReplyTo: '<2@x>', references: ['<1@x>', '<2@x>'] });
    expect(m.headers).toEqual({ 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' });
    expect(m.text).toBe('Hello <b>\n\nSecond\n\n-- \nDemo Shop');
    expect(m.html).toContain('<p style="margin:0 0 1em">Hello &lt;b&gt;</p>');
  });

  it('does not mark a staff member\'s reply as automatic, signs it with their name, and attaches a media-store image', () => {
    const m = encodeReply({ type: 'image', url: `/media/${'a'.repeat(32)}`, caption: '看这张图', author: { kind: 'staff', name: '小王' } }, THREAD, { shopName: 'Demo Shop', fromStaff: true });
    expect(m.headers).toEqual({});
    expect(m.imageMediaId).toBe('a'.repeat(32));
    expect(m.text).toContain('小王 · Demo Shop');
    expect(m.html).toContain('cid:staff-image@shopdesk');
  });

  it('numbers choices so the customer can answer "2"', () => {
    const m = encodeReply({ type: 'choices', text: 'Which?', choices: [{ label: 'A', payload: 'a' }, { label: 'B', payload: 'b' }] }, THREAD, { shopName: 'S', fromStaff: false });
    expect(m.text.startsWith('Which?\n1. A\n2. B')).toBe(true);
  });
});
