import type { DecodedMail } from './mail-decode.js';

/**
 * Why the bot must not answer a mail (RFC 3834 and what real systems send). Such mail is still
 * stored and shown to staff; it only gets no automatic reply. `rate_limited` (a sender that has
 * had its share of automatic replies this hour) is decided by the intake with the rate limiter.
 */
export const NO_REPLY_REASONS = [
  'no_sender', 'own_address', 'own_message', 'bounce', 'report', 'auto_submitted', 'bulk', 'mailing_list', 'unreadable', 'rate_limited',
] as const;
export type NoReplyReason = (typeof NO_REPLY_REASONS)[number];

const BOUNCE_SENDERS = /^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon|bounces?|no-?reply-bounce)(?:[+=.-].*)?$/i;

/** `support+SD-abc@shop.example` and `Support@Shop.example` are both `support@shop.example`. */
export function baseAddress(address: string): string {
  const [local, domain] = address.trim().toLowerCase().split('@');
  return `${local.split('+')[0]}@${domain ?? ''}`;
}

/**
 * The reason a mail gets no bot reply, or undefined when the bot may answer. `ownMessage`: the
 * mail's Message-ID is one we generated (our own reply came back round a loop).
 */
export function noReplyReason(mail: DecodedMail, us: { address: string; ownMessage?: boolean }): NoReplyReason | undefined {
  const m = mail.marks;
  if (!mail.from) return 'no_sender';
  if (baseAddress(mail.from.address) === baseAddress(us.address)) return 'own_address';
  if (us.ownMessage) return 'own_message';
  // a bounce: the null reverse-path, or a mailer daemon as sender
  if (m.returnPath !== undefined && /^<?\s*>?$/.test(m.returnPath.trim())) return 'bounce';
  if (BOUNCE_SENDERS.test(mail.from.address.split('@')[0])) return 'bounce';
  // delivery status notifications and read receipts (multipart/report)
  if (m.contentType === 'multipart/report' || m.contentType === 'message/delivery-status' || m.contentType === 'message/disposition-notification') return 'report';
  if (m.autoSubmitted !== undefined && m.autoSubmitted.split(';')[0].trim() !== 'no') return 'auto_submitted';
  if (m.autoHeaders.length) return 'auto_submitted';
  if (m.precedence && ['bulk', 'list', 'junk', 'auto_reply'].includes(m.precedence.split(';')[0].trim())) return 'bulk';
  if (m.listId || m.listUnsubscribe) return 'mailing_list';
  if (mail.unreadable) return 'unreadable';
  return undefined;
}
