import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ChannelStateStore } from '../../shared/channel-lifecycle.js';
import { parseStoredJson } from '../../shared/stored-json.js';

/**
 * What the e-mail channel keeps, on the shared ChannelStateStore (table ChannelState, channel
 * `email`), so every process sees it and a restart loses nothing:
 *
 * - `cursor:<mailbox>` — the IMAP UIDVALIDITY and the last UID taken in (exactly once);
 * - `thread:<id>` — a conversation thread: the customer's mailbox, subject, the References chain;
 * - `mid:<sha256(Message-ID)>` — which thread a Message-ID belongs to (theirs and ours);
 * - `sent:<outbound id>` — the Message-ID of a reply, made once, and whether it went out.
 */
const Cursor = z.object({ uidValidity: z.string(), lastUid: z.number().int().min(0), lastDate: z.string().optional() });
export type ImapCursor = z.infer<typeof Cursor>;

const Thread = z.object({
  id: z.string(),
  /** The customer's mailbox (lower case): replies go here, and only mail from it joins the thread. */
  address: z.string(),
  subject: z.string(),
  /** References of the latest inbound mail plus its Message-ID, newest last (capped). */
  refs: z.array(z.string()),
  lastInbound: z.string().optional(),
  createdAt: z.string(),
});
export type MailThread = z.infer<typeof Thread>;

const MessageRef = z.object({ thread: z.string(), ours: z.boolean().optional() });
const SentRef = z.object({ messageId: z.string(), sent: z.boolean() });
export type SentRef = z.infer<typeof SentRef>;

const MAX_REFS = 20;

const parse = parseStoredJson;

const midKey = (messageId: string) => `mid:${createHash('sha256').update(messageId.trim()).digest('hex')}`;

export class EmailStore {
  constructor(private readonly state: ChannelStateStore) {}

  /** The cursor and its stored form (pass `raw` back to `moveCursor`). */
  async cursor(mailbox: string): Promise<{ cursor?: ImapCursor; raw?: string }> {
    const raw = await this.state.get(`cursor:${mailbox}`);
    return { cursor: parse(Cursor, raw), raw };
  }

  /** Moves the cursor from its stored form `raw` (undefined: none yet); false when another writer moved it first. */
  async moveCursor(mailbox: string, raw: string | undefined, next: ImapCursor): Promise<{ moved: boolean; raw: string }> {
    const value = JSON.stringify(next);
    return { moved: await this.state.compareAndSet(`cursor:${mailbox}`, raw, value), raw: value };
  }

  async thread(id: string): Promise<MailThread | undefined> {
    return parse(Thread, await this.state.get(`thread:${id}`));
  }

  async saveThread(thread: MailThread): Promise<void> {
    await this.state.set(`thread:${thread.id}`, JSON.stringify({ ...thread, refs: thread.refs.slice(-MAX_REFS) }));
  }

  async messageRef(messageId: string): Promise<{ thread: string; ours?: boolean } | undefined> {
    return parse(MessageRef, await this.state.get(midKey(messageId)));
  }

  /** Records which thread a Message-ID belongs to; the first record wins (a re-delivery changes nothing). */
  async rememberMessage(messageId: string, thread: string, ours = false): Promise<{ thread: string; ours?: boolean }> {
    const ref = { thread, ...(ours ? { ours } : {}) };
    if (await this.state.compareAndSet(midKey(messageId), undefined, JSON.stringify(ref))) return ref;
    return (await this.messageRef(messageId)) ?? ref;
  }

  async sentRef(outboundId: string): Promise<SentRef | undefined> {
    return parse(SentRef, await this.state.get(`sent:${outboundId}`));
  }

  /** The reply's Message-ID: made once (the first writer's wins), so a resend carries the same one. */
  async claimMessageId(outboundId: string, candidate: string): Promise<SentRef> {
    const key = `sent:${outboundId}`;
    if (await this.state.compareAndSet(key, undefined, JSON.stringify({ messageId: candidate, sent: false }))) return { messageId: candidate, sent: false };
    return (await this.sentRef(outboundId)) ?? { messageId: candidate, sent: false };
  }

  async markSent(outboundId: string, messageId: string): Promise<void> {
    await this.state.set(`sent:${outboundId}`, JSON.stringify({ messageId, sent: true }));
  }
}
