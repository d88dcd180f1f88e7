import type { ChannelAdapter, ChannelCapabilities, OutboundEnvelope } from '../../shared/message-types.js';

// push: false — a staff reply written later has no HTTP response to travel in
export const REST_CAPABILITIES: ChannelCapabilities = { choices: true, cards: true, attachments: false, maxTextLength: 4000, push: false };

/**
 * The REST channel is request/response: the router waits for the turn and returns its replies in
 * the HTTP response. So delivery has nothing to push; it succeeds so the engine marks the reply sent.
 */
export class RestChannelAdapter implements ChannelAdapter {
  readonly name = 'rest' as const;
  readonly capabilities = REST_CAPABILITIES;

  async send(_envelope: OutboundEnvelope): Promise<void> {
    // the reply already went out in the HTTP response of the message that caused it
  }
}
