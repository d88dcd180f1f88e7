import type { MessageBus } from '../../shared/message-bus.js';
import { webchatTopic } from '../../shared/message-bus.js';
import type { ChannelAdapter, ChannelCapabilities, OutboundEnvelope } from '../../shared/message-types.js';
import { encodeReply } from './web-chat-encode.js';

export const WEB_CHAT_CAPABILITIES: ChannelCapabilities = { choices: true, cards: true, attachments: true, maxTextLength: 4000 };

/**
 * Delivers replies to browsers. The process delivering a reply (a worker) usually does not hold
 * the visitor's socket, so send() publishes on the bus and every web process pushes it to its
 * sockets for that thread. A visitor who is offline gets it from history on reconnect.
 */
export class WebChatAdapter implements ChannelAdapter {
  readonly name = 'web' as const;
  readonly capabilities = WEB_CHAT_CAPABILITIES;

  constructor(private readonly bus: MessageBus) {}

  async send(envelope: OutboundEnvelope): Promise<void> {
    // a bus failure is an AppError(QUEUE_UNAVAILABLE, retryable) and the engine retries delivery
    await this.bus.publish(webchatTopic(envelope.threadId), encodeReply(envelope));
  }
}
