import { AppError } from '../../shared/app-error.js';
import type { ChannelAdapter, ChannelCapabilities, OutboundEnvelope } from '../../shared/message-types.js';
import type { WechatyOutbox } from './wechaty-outbox.js';

/**
 * WeChat shows plain text: choices become numbered lines ("1. …", answered with "1", "１",
 * "第一个"), cards become text. One message per turn (`mergeReplies`): every message an account
 * sends counts towards looking like a bot.
 */
export const WECHATY_CAPABILITIES: ChannelCapabilities = {
  choices: false, cards: false, attachments: true, maxTextLength: 1500, push: true, mergeReplies: true,
};

/**
 * Delivery from any process: the reply goes into the channel's durable outbox, which the process
 * holding the wechaty login drains at the account's pace. Queued is the engine's "sent"; the
 * outbox makes it at most once on WeChat (a reply queued twice is kept once).
 */
export class WechatyAdapter implements ChannelAdapter {
  readonly name = 'wechaty' as const;
  readonly capabilities = WECHATY_CAPABILITIES;

  constructor(private readonly outbox: WechatyOutbox, private readonly queued: () => void, private readonly clock: () => Date) {}

  async send(envelope: OutboundEnvelope): Promise<void> {
    try {
      await this.outbox.enqueue({ messageId: envelope.messageId, threadId: envelope.threadId, message: envelope.message, queuedAt: this.clock().toISOString() });
    } catch (err) {
      throw new AppError('CHANNEL_SEND_FAILED', `could not queue a wechaty reply: ${(err as Error).message}`, { retryable: true, cause: err });
    }
    this.queued();
  }
}
