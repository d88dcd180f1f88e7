import { randomBytes } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { AppError } from '../../shared/app-error.js';
import { redactText } from '../../shared/logger.js';
import type { MediaStore } from '../../shared/media-types.js';
import type { ChannelAdapter, ChannelCapabilities, OutboundEnvelope } from '../../shared/message-types.js';
import { encodeReply } from './mail-encode.js';
import type { EmailStore } from './email-store.js';

export const EMAIL_CAPABILITIES: ChannelCapabilities = {
  choices: false, cards: false, attachments: true, maxTextLength: 20_000, push: true, mergeReplies: true,
};

export interface EmailAdapterDeps {
  transport: Pick<Transporter, 'sendMail'>;
  store: EmailStore;
  media: MediaStore;
  /** Our address, and the name shown with it (the shop's name). */
  address: string;
  fromName: string;
  counters: Record<string, number>;
}

/** SMTP reply codes 4xx and connection trouble are worth another try; 5xx are final. */
function retryable(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return code === undefined || code < 500;
}

/**
 * Sends replies over SMTP. Each reply's Message-ID is made once and stored before the first try
 * (`sent:<outbound id>` in the channel state), so a resend after a crash carries the same id and
 * the customer's client shows one mail; a reply already marked sent is not sent again. The
 * Message-ID is also recorded as belonging to the thread, so the customer's answer to it threads.
 */
export class EmailAdapter implements ChannelAdapter {
  readonly name = 'email' as const;
  readonly capabilities = EMAIL_CAPABILITIES;
  private readonly domain: string;

  constructor(private readonly deps: EmailAdapterDeps) {
    this.domain = deps.address.split('@')[1] ?? 'shopdesk.invalid';
  }

  async send(envelope: OutboundEnvelope): Promise<void> {
    const { store } = this.deps;
    const thread = await store.thread(envelope.threadId);
    if (!thread) throw new AppError('CHANNEL_GONE', `e-mail thread ${envelope.threadId} is unknown`, { retryable: false });
    const candidate = `<sd.${randomBytes(12).toString('hex')}@${this.domain}>`;
    const ref = await store.claimMessageId(envelope.messageId, candidate);
    if (ref.sent) return;
    await store.rememberMessage(ref.messageId, thread.id, true);
    const mail = encodeReply(envelope.message, thread, { shopName: this.deps.fromName, fromStaff: envelope.message.author?.kind === 'staff' });
    const image = mail.imageMediaId ? await this.deps.media.open(mail.imageMediaId) : undefined;
    try {
      await this.deps.transport.sendMail({
        from: { name: this.deps.fromName, address: this.deps.address },
        to: thread.address,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: ref.messageId,
        inReplyTo: mail.inReplyTo,
        references: mail.references,
        headers: mail.headers,
        attachments: image ? [{ filename: image.media.name ?? `image.${image.media.mimeType.split('/')[1]}`, content: image.bytes, contentType: image.media.mimeType, cid: 'staff-image@shopdesk' }] : [],
      });
    } catch (err) {
      this.deps.counters.sendFailed = (this.deps.counters.sendFailed ?? 0) + 1;
      // the server's words may name the recipient: addresses are masked before the error is stored
      throw new AppError('CHANNEL_SEND_FAILED', `SMTP send failed: ${redactText((err as Error).message).slice(0, 200)}`, { retryable: retryable(err), cause: err });
    }
    this.deps.counters.sent = (this.deps.counters.sent ?? 0) + 1;
    await store.markSent(envelope.messageId, ref.messageId);
  }
}
