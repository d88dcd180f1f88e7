import type { ChannelCapabilities, OutboundMessage } from '../../shared/message-types.js';
import type { OtpSender } from '../../shared/otp-sender.js';
import type { CatalogEntry, Crm } from '../../crm/index.js';
import type { Lang } from '../replies/reply-texts.js';
import type { ConversationMemory, DialogueState, FlowFrame, FlowName } from './dialogue-state.js';
import type { FollowUpCue } from './context-cues.js';
import type { SmallTalkKind } from './small-talk.js';
import type { LlmAssistant } from '../llm/llm-assistant.js';

/** The shop's policy the flows apply (from config). */
export interface ShopPolicy {
  name: string;
  timeZone: string;
  currency: string;
  defaultLocale: Lang;
  orderNumberPattern: string;
  returnWindowDays: number;
  nonReturnableCategories: string[];
}

export type ControlWord = 'cancel' | 'restart' | 'yes' | 'no' | 'skip' | 'human';

/** What the engine understood of one inbound message. */
export interface Understanding {
  /** The customer's text as sent (trimmed and capped), for tickets and summaries. */
  text: string;
  lang: Lang;
  intent: string;
  confidence: number;
  outOfScope: boolean;
  orderNumbers: string[];
  phoneLast4?: string;
  /** -1 (angry) … 1 (happy). */
  sentiment: number;
  /** A quick-reply payload (a button press, or a number picking a shown choice). */
  postback?: string;
  control?: ControlWord;
  /** 1–5 when the message is just a score. */
  score?: number;
  attachment?: { kind: string; url: string; mediaId?: string };
  empty: boolean;
  unsupported: boolean;
  /** A finer intent under `intent`, when the model reports one (e.g. `small_talk` under greeting). */
  subIntent?: string;
  /** The model's likeliest shop intents (labelled ones only), best first: "did you mean…" choices. */
  candidates?: { intent: string; confidence: number }[];
  /** Small talk (bot identity, "are you there?", a compliment, a joke): a friendly answer, never a miss. */
  smallTalk?: SmallTalkKind | 'other';
  /** The customer asks to carry on in this language. */
  switchTo?: Lang;
  /** The customer says they are done ("好的谢谢", "thanks, that's all"). */
  closing?: boolean;
  /** A bare follow-up, read against the conversation's memory. */
  followUp?: FollowUpCue;
  /** The message names no order but points at one ("这个订单", "it"). */
  pointsAtOrder?: boolean;
  /** The second request of a message that carried two; this understanding is of the first. */
  rest?: string;
}

export interface KnowledgeAnswerer {
  decide(query: string, opts?: { lang?: Lang; intent?: string }): KbDecisionLike;
  articleById(id: string, lang: Lang): { id: string; title: string; body: string } | undefined;
}

export type KbDecisionLike =
  | { kind: 'answer'; hit: { article: { id: string; title: string; body: string }; confidence: number } }
  | { kind: 'choices'; hits: { article: { id: string; title: string; body: string }; confidence: number }[] }
  | { kind: 'none' };

export interface TurnContext {
  crm: Crm;
  policy: ShopPolicy;
  kb: KnowledgeAnswerer;
  /** The shop's catalog (cached briefly by the engine), loaded only when a turn needs it. */
  catalog: () => Promise<CatalogEntry[]>;
  capabilities: ChannelCapabilities;
  customerId: number;
  conversationId: number;
  inboundId: number;
  now: Date;
  u: Understanding;
  /** Keyed hash of the sender's network address: "last 4 digits" guesses are also counted per client. */
  clientKey?: string;
  /** The sender came with a verified shop subject (signed in on the shop's site). */
  signedIn?: boolean;
  /**
   * The sender reached `customerId` only through an asserted identity (an e-mail `From:`) that
   * this conversation has not proved with a link code: they are a guest here — none of that
   * customer's orders or tickets are listed, and an order needs its own proof (identity trust model).
   */
  identityAsserted?: boolean;
  /** Sends one-time codes to an order owner's contact; absent when no sender is configured. */
  otp?: OtpSender;
  /** Inside the shop's service hours: a handoff reaches a person now (else it becomes a left message). */
  staffOpen: boolean;
  /** Understands another piece of text the customer wrote (the second request of a message). */
  understandText?: (text: string) => Understanding;
  /** An optional model for messages the classifier is unsure of (src/conversation/llm); absent = deterministic only. */
  llm?: LlmAssistant;
  /** What the conversation has been about so far (read-only; the router keeps it). */
  memory?: ConversationMemory;
  /** What this turn touched, noted by the steps for the conversation's memory. */
  seen?: TurnNotes;
}

/** Facts a turn's steps note for the conversation's memory: orders shown or acted on, a ticket opened, a topic answered. */
export interface TurnNotes {
  orders: string[];
  flow?: FlowName;
  ticketId?: number;
  topic?: string;
}

/** `voice`: a voice message (WeChat) — the bot cannot listen, a person can. */
export type HandoffReason = 'requested' | 'misses' | 'complaint' | 'anger' | 'ineligible' | 'voice';

/** What a flow step returns: replies, and the flow frame after this turn (null = finished). */
export interface FlowOutcome {
  replies: OutboundMessage[];
  frame: FlowFrame | null;
  /** The message did not answer the flow's question: let the router treat it as a new request. */
  notAnAnswer?: boolean;
  /** The flow resolved the customer's request: ask for satisfaction. */
  resolved?: { ticketId?: number };
  handoff?: HandoffReason;
  /** A satisfaction score the customer gave in this turn. */
  feedback?: { score: number; ticketId?: number };
}

export interface TurnResult {
  replies: OutboundMessage[];
  state: DialogueState;
  intent: string;
  confidence: number;
  handoff?: { reason: HandoffReason; ticketId: number; leaveMessage: boolean };
  feedback?: { score: number; ticketId?: number };
  /** The conversation is resolved in this turn (the customer confirmed they are done). */
  resolved?: boolean;
  /** The bot finished what the customer asked (a flow's end, an answer): resolved on confirmation or after a quiet while. */
  settles?: { ticketId?: number };
}
