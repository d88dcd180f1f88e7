import { randomBytes } from 'node:crypto';
import type { DecodedMail } from './mail-decode.js';
import { baseAddress } from './mail-loop-guard.js';
import type { EmailStore, MailThread } from './email-store.js';

/**
 * Which conversation a mail belongs to. In order: the Message-ID it answers (`In-Reply-To`), the
 * `References` chain (newest first), the conversation token in the subject (`[#SD-7k2m9x4q]`),
 * a plus address (`support+SD-7k2m9x4q@shop.example`). The first thread found is joined only when
 * the mail comes from that thread's mailbox: headers pointing at someone else's conversation
 * (a forwarded mail, a colleague on Cc, a forged reply) open a new conversation instead.
 *
 * Tokens are 10 random base-32 characters (50 bits): a thread cannot be found by guessing.
 */
const TOKEN_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const TOKEN = /\[#(SD-[a-z0-9]{6,16})\]/i;
const PLUS_TOKEN = /\+(SD-[a-z0-9]{6,16})@/i;

export function newThreadToken(): string {
  const bytes = randomBytes(10);
  return `SD-${[...bytes].map((b) => TOKEN_ALPHABET[b % TOKEN_ALPHABET.length]).join('')}`;
}

export function tokenInSubject(subject: string): string | undefined {
  const t = TOKEN.exec(subject)?.[1];
  return t ? `SD-${t.slice(3).toLowerCase()}` : undefined;
}

/** Reply/forward prefixes of every common client, in both languages, and our token. */
const PREFIX = /^\s*(?:(?:re|fw|fwd|aw|sv|vs|wg|antw|答复|回复|回覆|转发|轉寄|转寄)\s*(?:\[\d+\])?\s*[:：]\s*)+/i;

export function cleanSubject(subject: string): string {
  let s = subject.replace(/\s*\[#SD-[a-z0-9]{6,16}\]\s*/gi, ' ').trim();
  for (let i = 0; i < 5 && PREFIX.test(s); i++) s = s.replace(PREFIX, '').trim();
  return s.replace(/\s+/g, ' ').slice(0, 200);
}

/** The subject of our reply: "Re: <their subject> [#SD-…]". */
export function replySubject(thread: Pick<MailThread, 'id' | 'subject'>): string {
  return `${thread.subject ? `Re: ${thread.subject} ` : ''}[#${thread.id}]`;
}

export interface ThreadDecision {
  thread: MailThread;
  created: boolean;
  via: 'message' | 'in_reply_to' | 'references' | 'subject_token' | 'plus_address' | 'new';
  /** The headers pointed at a conversation of another mailbox: a new one was opened instead. */
  foreign: boolean;
}

export async function resolveThread(mail: DecodedMail, store: EmailStore, ours: { address: string }, now: Date): Promise<ThreadDecision> {
  const from = mail.from?.address ?? 'unknown@invalid';
  const candidates: { via: ThreadDecision['via']; id: () => Promise<string | undefined> }[] = [
    // a re-delivery of a mail already taken in keeps its thread
    { via: 'message', id: async () => (await store.messageRef(mail.messageId))?.thread },
    ...(mail.inReplyTo ? [{ via: 'in_reply_to' as const, id: async () => (await store.messageRef(mail.inReplyTo!))?.thread }] : []),
    ...[...mail.references].reverse().map((ref) => ({ via: 'references' as const, id: async () => (await store.messageRef(ref))?.thread })),
    { via: 'subject_token', id: async () => tokenInSubject(mail.subject) },
    {
      via: 'plus_address',
      id: async () => {
        const base = baseAddress(ours.address);
        const plus = [...mail.to, ...mail.cc].find((a) => baseAddress(a) === base && PLUS_TOKEN.test(a));
        const t = plus ? PLUS_TOKEN.exec(plus)?.[1] : undefined;
        return t ? `SD-${t.slice(3).toLowerCase()}` : undefined;
      },
    },
  ];
  let foreign = false;
  for (const c of candidates) {
    const id = await c.id();
    const thread = id ? await store.thread(id) : undefined;
    if (!thread) continue;
    if (thread.address === from) return { thread, created: false, via: c.via, foreign: false };
    foreign = true;
    break;
  }
  const thread: MailThread = { id: newThreadToken(), address: from, subject: cleanSubject(mail.subject), refs: [], createdAt: now.toISOString() };
  return { thread, created: true, via: 'new', foreign };
}
