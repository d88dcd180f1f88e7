import { describe, expect, it } from 'vitest';
import { InProcessChannelStateStore } from '../../shared/in-process-channel-state.js';
import type { DecodedMail } from './mail-decode.js';
import { EmailStore, type MailThread } from './email-store.js';
import { cleanSubject, newThreadToken, replySubject, resolveThread, tokenInSubject } from './mail-threading.js';

const US = { address: 'support@shop.example' };
const NOW = new Date('2024-03-04T10:00:00Z');

function mail(over: Partial<DecodedMail>): DecodedMail {
  return {
    messageId: `<${Math.random().toString(36).slice(2)}@example.com>`, hasMessageId: true, references: [], to: ['support@shop.example'], cc: [],
    subject: 'Hello', text: 'hi', quoted: false, attachments: [], marks: { listUnsubscribe: false, contentType: 'text/plain', autoHeaders: [] },
    from: { address: 'alice@example.com' }, ...over,
  };
}

async function storeWithThread(): Promise<{ store: EmailStore; thread: MailThread }> {
  const store = new EmailStore(new InProcessChannelStateStore());
  const thread: MailThread = { id: 'SD-abcdefghjk', address: 'alice@example.com', subject: 'Where is my order', refs: ['<a1@example.com>'], lastInbound: '<a1@example.com>', createdAt: NOW.toISOString() };
  await store.saveThread(thread);
  await store.rememberMessage('<a1@example.com>', thread.id);
  await store.rememberMessage('<sd.ours@shop.example>', thread.id, true);
  return { store, thread };
}

describe('threading', () => {
  it('joins the thread of the Message-ID a reply answers (In-Reply-To)', async () => {
    const { store, thread } = await storeWithThread();
    const d = await resolveThread(mail({ inReplyTo: '<sd.ours@shop.example>' }), store, US, NOW);
    expect(d).toMatchObject({ created: false, via: 'in_reply_to', foreign: false });
    expect(d.thread.id).toBe(thread.id);
  });

  it('falls back to References, then to the token in the subject, then to a plus address', async () => {
    const { store, thread } = await storeWithThread();
    expect((await resolveThread(mail({ references: ['<unknown@x>', '<a1@example.com>'] }), store, US, NOW))).toMatchObject({ via: 'references', thread: { id: thread.id } });
    expect((await resolveThread(mail({ subject: 'Re: Where is my order [#SD-ABCDEFGHJK]' }), store, US, NOW))).toMatchObject({ via: 'subject_token', thread: { id: thread.id } });
    expect((await resolveThread(mail({ to: ['Support+SD-abcdefghjk@shop.example'] }), store, US, NOW))).toMatchObject({ via: 'plus_address', thread: { id: thread.id } });
  });

  it('opens a new conversation when the headers point at another mailbox\'s conversation', async () => {
    const { store, thread } = await storeWithThread();
    const forged = mail({ from: { address: 'mallory@example.net' }, inReplyTo: '<sd.ours@shop.example>', subject: 'Re: Where is my order [#SD-abcdefghjk]' });
    const d = await resolveThread(forged, store, US, NOW);
    expect(d).toMatchObject({ created: true, via: 'new', foreign: true });
    expect(d.thread.id).not.toBe(thread.id);
    expect(d.thread.address).toBe('mallory@example.net');
  });

  it('keeps a re-delivered mail in the thread it was first put in', async () => {
    const { store } = await storeWithThread();
    const m = mail({ subject: 'New question' });
    const first = await resolveThread(m, store, US, NOW);
    await store.saveThread(first.thread);
    await store.rememberMessage(m.messageId, first.thread.id);
    expect(await resolveThread(m, store, US, NOW)).toMatchObject({ created: false, via: 'message', thread: { id: first.thread.id } });
  });

  it('makes unguessable tokens and subjects that carry them once', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newThreadToken));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) expect(t).toMatch(/^SD-[a-z2-9]{10}$/);
    expect(cleanSubject('回复：RE: Fwd: 退货 [#SD-abcdefghjk]')).toBe('退货');
    expect(replySubject({ id: 'SD-abcdefghjk', subject: cleanSubject('Re: Re: Order [#SD-abcdefghjk]') })).toBe('Re: Order [#SD-abcdefghjk]');
    expect(tokenInSubject('答复: x [#SD-AbCdEfGhJk]')).toBe('SD-abcdefghjk');
  });
});
