import type { ChannelCapabilities, OutboundMessage } from '../../shared/message-types.js';
import type { OtpSender } from '../../shared/otp-sender.js';
import type { CatalogEntry, Crm } from '../../crm/index.js';
import type { Lang } from '../replies/reply-texts.js';
import type { DialogueState, FlowFrame } from './dialogue-state.js';

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
  /** Sends one-time codes to an order owner's contact; absent when no sender is configured. */
  otp?: OtpSender;
  /** Inside the shop's service hours: a handoff reaches a person now (else it becomes a left message). */
  staffOpen: boolean;
}

export type HandoffReason = 'requested' | 'misses' | 'complaint' | 'anger' | 'ineligible';

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
  /** The bot finished the customer's request in this turn (and asked for satisfaction). */
  resolved?: boolean;
}
