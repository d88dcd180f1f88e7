/**
 * The normalised message: every channel decodes its platform payload into an InboundMessage and
 * receives OutboundMessages to encode. Nothing here knows about the CRM or the conversation engine.
 */
export const CHANNELS = ['web', 'rest', 'terminal', 'wechat', 'email', 'slack', 'teams'] as const;
export type ChannelName = (typeof CHANNELS)[number];

export type InboundContent =
  | { type: 'text'; text: string }
  /** A quick-reply / button press: `payload` is what the bot put on the choice. */
  | { type: 'postback'; payload: string; text?: string }
  | { type: 'attachment'; kind: 'image' | 'file' | 'audio' | 'video'; url: string; mimeType?: string; name?: string; sizeBytes?: number; caption?: string }
  | { type: 'location'; latitude: number; longitude: number; label?: string }
  | { type: 'unsupported'; description: string };

export interface InboundSender {
  /** The sender's id on the platform (web visitor id, WeChat openid, e-mail address, …). */
  id: string;
  displayName?: string;
  /**
   * Facts the channel has verified about the sender (a signed shop token, a verified phone).
   * Only verified facts may link the sender to an existing customer.
   */
  verified?: { customerRef?: string; phone?: string; email?: string };
}

export interface InboundMessage {
  channel: ChannelName;
  /** The platform's id for this message: the idempotency key, unique per channel. */
  platformMessageId: string;
  /** The conversation thread on the platform (web session, WeChat contact, e-mail thread). */
  threadId: string;
  sender: InboundSender;
  receivedAt: Date;
  content: InboundContent;
  /** Interface language hint from the channel (browser language, profile), if any. */
  locale?: string;
}

export interface Choice {
  label: string;
  /** Sent back as a postback when the user picks this choice. */
  payload: string;
}

/** Who wrote an outbound message when it was not the bot: customers see the staff member's display name. */
export interface MessageAuthor {
  kind: 'staff';
  name: string;
}

export type OutboundMessage = (
  | { type: 'text'; text: string }
  | { type: 'choices'; text: string; choices: Choice[] }
  | { type: 'card'; title: string; body?: string; fields?: { label: string; value: string }[]; imageUrl?: string; choices?: Choice[] }
  /** An image a staff member sent (a URL the channel can show its customer). */
  | { type: 'image'; url: string; caption?: string }
) & { author?: MessageAuthor };

export interface ChannelCapabilities {
  /** Renders clickable choices (quick replies / buttons). */
  choices: boolean;
  /** Renders structured cards. */
  cards: boolean;
  /** Accepts image uploads from the customer. */
  attachments: boolean;
  maxTextLength: number;
  /**
   * Can deliver a message the customer did not just ask for (a staff reply later on). False for
   * request/response channels such as REST, whose replies only travel in their own response.
   */
  push?: boolean;
}

/** What the engine hands a channel to deliver: already rendered for its capabilities. */
export interface OutboundEnvelope {
  channel: ChannelName;
  threadId: string;
  /** Stable id of the stored outbound message: channels use it to deliver at most once. */
  messageId: string;
  message: OutboundMessage;
  createdAt: Date;
}

/** The contract every channel implements (house style §3). */
export interface ChannelAdapter {
  readonly name: ChannelName;
  readonly capabilities: ChannelCapabilities;
  /** Delivers one rendered message. Throws AppError('CHANNEL_SEND_FAILED', retryable) on transient failure. */
  send(envelope: OutboundEnvelope): Promise<void>;
}

/** What a channel calls with a decoded message; resolves once the message is durably stored. */
export interface InboundSink {
  /**
   * `quiet`: a person handles (or is about to handle) this thread, so the channel should not show
   * the bot "typing" — the bot will say nothing to this message.
   */
  accept(message: InboundMessage): Promise<{ messageId: number; duplicate: boolean; quiet?: boolean }>;
}
