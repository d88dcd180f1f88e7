/**
 * The normalised message: every channel decodes its platform payload into an InboundMessage and
 * receives OutboundMessages to encode. Nothing here knows about the CRM or the conversation engine.
 */
export const CHANNELS = ['web', 'rest', 'terminal', 'wechat', 'wechat_oa', 'wecom_kf', 'wechaty', 'email', 'slack', 'teams'] as const;
export type ChannelName = (typeof CHANNELS)[number];

export type InboundContent =
  | { type: 'text'; text: string }
  /** A quick-reply / button press: `payload` is what the bot put on the choice. */
  | { type: 'postback'; payload: string; text?: string }
  /**
   * A file the customer sent. `mediaId` names it in the media store (src/shared/media-types.ts),
   * which every channel uses for what customers send; `url` is its stable address there
   * (`/media/<id>`, readable only with a short-lived token) or, for a channel without the store,
   * the platform's own link.
   */
  | { type: 'attachment'; kind: 'image' | 'file' | 'audio' | 'video'; url: string; mediaId?: string; mimeType?: string; name?: string; sizeBytes?: number; caption?: string }
  | { type: 'location'; latitude: number; longitude: number; label?: string }
  | { type: 'unsupported'; description: string };

/**
 * Who sent a message. The identity trust model (docs/architecture.md) decides what each part may do:
 * `id` finds the sender's own channel identity; only `verified` facts may link the sender to an
 * existing customer; `asserted` facts and `displayName` are recorded, never used to link.
 */
export interface InboundSender {
  /** The sender's id on the platform (web thread, WeChat openid, e-mail address, …). */
  id: string;
  /** A name the sender or platform gives: asserted, shown to staff, never a key. */
  displayName?: string;
  /**
   * The platform account `id` belongs to, when ids are only unique within one (a WeCom corpid for
   * an external_userid, an Official Account appid for an openid, the logged-in account of a wechaty bot): the identity kind becomes
   * `<channel kind>:<scope>`, so the same id under another account is another identity.
   */
  scope?: string;
  /**
   * Facts the channel has verified about the sender: a signed shop token's `sub` (customerRef), its
   * contact claims only when the token marks them verified (`email_verified`,
   * `phone_number_verified`), a platform-signed id, a contact proven by a one-time code.
   * Only these may link the sender to an existing customer.
   */
  verified?: { customerRef?: string; phone?: string; email?: string };
  /**
   * Contact facts the channel merely asserts (an e-mail `From:` without a DMARC pass, a token's
   * contact claim without its verified flag, a phone typed into a form). Kept with the message
   * for staff; never used to find or link a customer.
   */
  asserted?: { phone?: string; email?: string };
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
  /**
   * An opaque key for the network client the message came from (a keyed hash of the IP address,
   * never the address): abuse limits such as "last 4 digits" guesses count per client with it.
   */
  clientKey?: string;
  /**
   * The bot must not answer this message — an automatic reply, a bounce, a mailing-list mail, a
   * sender over its share of automatic replies (RFC 3834 loop safety). It is stored and shown to
   * staff like any message, and gets no bot reply. The value says why, for operators.
   */
  botSilent?: string;
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
) & {
  author?: MessageAuthor;
  /**
   * This message tells the customer a person will take over (the handoff notice). A channel whose
   * platform has its own human agents (WeCom kf in `wecom` handoff mode) hands the session over
   * when it delivers it — through the outbox, so the move happens exactly when the notice goes out.
   */
  handoff?: boolean;
};

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
  /**
   * Every reply of one turn goes out as one message (e-mail: one mail per answer, not one per
   * paragraph; WeChat: a quota of messages per customer message). Text parts are joined.
   */
  mergeReplies?: boolean;
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

/** Why a channel tells staff about a conversation: a reply waits for the customer's next contact (a closed window, a used-up quota). */
export type StaffNoteKind = 'reply_held';

/** A note a channel leaves for staff on a conversation: internal, never sent to the customer. */
export interface StaffNoteInput {
  channel: ChannelName;
  threadId: string;
  /** Unique per channel (e.g. `held:<outbound id>`): a retried notice stores one note. */
  key: string;
  kind: StaffNoteKind;
  /** For staff eyes only; no secrets. */
  text: string;
}

/** Expected outcomes: stored (`live`: staff were told at once, because a person has or awaits the conversation), or no conversation on that thread yet. */
export type StaffNoteResult =
  | { stored: true; noteId: number; duplicate: boolean; live: boolean }
  | { stored: false; reason: 'no_conversation' };

/** What a channel calls with a decoded message; resolves once the message is durably stored. */
export interface InboundSink {
  /**
   * `quiet`: a person handles (or is about to handle) this thread, so the channel should not show
   * the bot "typing" — the bot will say nothing to this message.
   */
  accept(message: InboundMessage): Promise<{ messageId: number; duplicate: boolean; quiet?: boolean }>;
  /**
   * For channels that may answer inside the platform's own request (REST; an unverified WeChat
   * Official Account's passive reply): waits until the turn of stored message `messageId` is
   * committed and returns its replies (`id` = the stored outbound message's id, as in
   * `OutboundEnvelope.messageId`). Throws a retryable AppError after `timeoutMs`.
   */
  waitForReplies?(messageId: number, timeoutMs: number): Promise<{ id: number; message: OutboundMessage }[]>;
  /**
   * Tells staff something about a thread's conversation (a reply held by a closed WeChat window):
   * stored as an internal note by `system:<channel>` in the /desk transcript, pushed live to the
   * desk when a person has or awaits the conversation. Idempotent on `key`. Absent = the channel
   * only logs and counts.
   */
  noteForStaff?(note: StaffNoteInput): Promise<StaffNoteResult>;
}
