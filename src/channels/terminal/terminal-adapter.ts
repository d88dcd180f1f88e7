import type { Writable } from 'node:stream';
import type { ChannelAdapter, ChannelCapabilities, OutboundEnvelope } from '../../shared/message-types.js';

/**
 * The terminal channel (`shopdesk chat`): plain text only, so choices arrive as numbered lines
 * (the engine degrades them) and the user answers with the number.
 */
export class TerminalAdapter implements ChannelAdapter {
  readonly name = 'terminal' as const;
  readonly capabilities: ChannelCapabilities = { choices: false, cards: false, attachments: false, maxTextLength: 4000 };
  private readonly delivered = new Set<string>();

  constructor(private readonly out: Writable, private readonly prefix = 'bot> ') {}

  async send(envelope: OutboundEnvelope): Promise<void> {
    if (this.delivered.has(envelope.messageId)) return;
    this.delivered.add(envelope.messageId);
    const m = envelope.message;
    const body = m.type === 'text' || m.type === 'choices' ? m.text : m.type === 'image' ? [m.caption, m.url].filter(Boolean).join(' ') : [m.title, m.body].filter(Boolean).join('\n');
    const text = m.author ? `[${m.author.name}] ${body}` : body;
    this.out.write(`${text.split('\n').map((l, i) => (i === 0 ? this.prefix : ' '.repeat(this.prefix.length)) + l).join('\n')}\n`);
  }
}
