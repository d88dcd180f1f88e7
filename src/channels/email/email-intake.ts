import type { Logger } from 'pino';
import { MEDIA_TYPES, type MediaStore } from '../../shared/media-types.js';
import type { InboundContent, InboundMessage, InboundSink } from '../../shared/message-types.js';
import type { RateLimiter } from '../../shared/rate-limiter.js';
import { decodeMail, type DecodedMail, type MailAttachment } from './mail-decode.js';
import { noReplyReason, type NoReplyReason } from './mail-loop-guard.js';
import { cleanSubject, resolveThread } from './mail-threading.js';
import type { EmailStore } from './email-store.js';

/** Inline images under this size are signature logos and icons, not something the customer sent. */
const INLINE_IMAGE_MIN_BYTES = 16 * 1024;
const HOUR_MS = 3_600_000;

export interface IntakeDeps {
  sink: InboundSink;
  store: EmailStore;
  media: MediaStore;
  limiter: RateLimiter;
  /** Our own address (mail from it is never answered). */
  address: string;
  autoreplyPerHour: number;
  log: Logger;
  clock: () => Date;
}

export interface IntakeResult {
  messageId: string;
  threadId: string;
  duplicate: boolean;
  /** Why the bot will not answer, if it will not. */
  silent?: NoReplyReason;
  foreign: boolean;
}

function kindOf(contentType: string): 'image' | 'file' | 'audio' | 'video' {
  return contentType.startsWith('image/') ? 'image' : contentType.startsWith('audio/') ? 'audio' : contentType.startsWith('video/') ? 'video' : 'file';
}

async function attachmentContent(a: MailAttachment, media: MediaStore, threadId: string): Promise<InboundContent> {
  const put = await media.put({ bytes: a.bytes, declaredType: a.contentType, owner: { channel: 'email', threadId, uploadedBy: 'customer' }, name: a.filename, allow: MEDIA_TYPES });
  if (put.ok) {
    return { type: 'attachment', kind: kindOf(put.media.mimeType), url: media.pathOf(put.media.id), mediaId: put.media.id, mimeType: put.media.mimeType, name: a.filename, sizeBytes: put.media.sizeBytes };
  }
  // not kept (a Word file, a zip, too large): staff see that it came and why it is not here
  return { type: 'unsupported', description: `attachment ${a.filename ?? a.contentType} (${a.contentType}, ${Math.ceil(a.bytes.length / 1024)} KB) not kept: ${put.reason}` };
}

/**
 * One raw mail into the engine: decode, find its thread, decide whether the bot may answer,
 * put its attachments into the media store, and hand it to the sink — the text as one message
 * (platform id = the Message-ID), each attachment as a message of its own after it (`<id>#2`…),
 * stored without a bot reply so the customer gets one answer per mail. Resolves once stored;
 * a second call with the same mail stores nothing new.
 */
export async function intakeMail(raw: Buffer, deps: IntakeDeps, opts: { oversize?: boolean } = {}): Promise<IntakeResult> {
  const mail: DecodedMail = await decodeMail(raw);
  if (opts.oversize) mail.unreadable = 'mail larger than EMAIL_MAX_MAIL_MB; only its headers were read';
  const now = deps.clock();
  const seen = await deps.store.messageRef(mail.messageId);
  const decision = await resolveThread(mail, deps.store, { address: deps.address }, now);
  const thread = decision.thread;
  let silent = noReplyReason(mail, { address: deps.address, ownMessage: seen?.ours === true });
  if (!silent && !seen && mail.from) {
    // a sender (or a robot without the right headers) that keeps writing: N answers an hour at most
    const r = await deps.limiter.consume(`email:autoreply:${mail.from.address}`, { points: deps.autoreplyPerHour, perMs: HOUR_MS });
    if (!r.allowed) silent = 'rate_limited';
  }
  if (decision.foreign) deps.log.info({ threadId: thread.id }, 'mail points at another mailbox\'s conversation: opened a new one');
  await deps.store.saveThread({
    ...thread,
    refs: [...mail.references, mail.messageId].filter((v, i, all) => all.indexOf(v) === i),
    lastInbound: mail.messageId,
  });
  await deps.store.rememberMessage(mail.messageId, thread.id);

  const sender = {
    id: thread.address,
    displayName: mail.from?.name,
    // a From: line is only asserted: it never finds or links a customer (identity trust model)
    asserted: mail.from ? { email: mail.from.address } : undefined,
  };
  // received now: the Date header is the sender's to write
  const base = { channel: 'email' as const, threadId: thread.id, sender, receivedAt: now, locale: mail.language };
  const attachments = mail.attachments.filter((a) => !(a.inline && a.contentType.startsWith('image/') && a.bytes.length < INLINE_IMAGE_MIN_BYTES));
  const subject = cleanSubject(mail.subject);
  // a new conversation's subject often says what it is about ("退货", "Order SD…"): read it too
  const text = decision.created && subject && !mail.text.includes(subject) ? [subject, mail.text].filter(Boolean).join('\n') : mail.text || subject;
  const messages: InboundMessage[] = [];
  const contents: InboundContent[] = [];
  // staff see that a mail came and why its body is not here (too large, broken MIME)
  if (mail.unreadable) contents.push({ type: 'unsupported', description: `a mail that could not be read (${mail.unreadable})` });
  if (text) contents.push({ type: 'text', text });
  for (const a of attachments) contents.push(await attachmentContent(a, deps.media, thread.id));
  if (!contents.length) contents.push({ type: 'text', text: subject || '(empty mail)' });
  contents.forEach((content, n) => {
    messages.push({
      ...base, content,
      platformMessageId: n === 0 ? mail.messageId : `${mail.messageId}#${n + 1}`,
      // the mail's first part gets the answer; its attachments are stored with it, unanswered
      ...(silent ? { botSilent: silent } : n > 0 ? { botSilent: 'attachment_of_answered_mail' } : {}),
    });
  });
  let duplicate = true;
  for (const m of messages) duplicate = (await deps.sink.accept(m)).duplicate && duplicate;
  return { messageId: mail.messageId, threadId: thread.id, duplicate, silent, foreign: decision.foreign };
}
