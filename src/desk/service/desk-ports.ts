import type { StoredOutbound } from '../../crm/index.js';
import type { ChannelCapabilities, OutboundMessage } from '../../shared/message-types.js';
import type { ServiceHours } from '../../shared/service-hours.js';

/**
 * What the desk needs from the rest of shopdesk, handed in by the composition root (the desk
 * imports neither the engine nor a channel). Each has a real implementation in main.ts.
 */

/** The conversation engine's words and dialogue state for staff actions (src/conversation/engine/handoff-bridge.ts). */
export interface HandoffBridgePort {
  langOf(flowState: string | null, customerLocale?: string | null): 'zh' | 'en';
  joined(lang: 'zh' | 'en', staffName: string): OutboundMessage;
  released(flowState: string | null, lang: 'zh' | 'en', now: Date): { messages: OutboundMessage[]; flowState: string | null };
  resolved(flowState: string | null, lang: 'zh' | 'en', now: Date): { messages: OutboundMessage[]; flowState: string | null };
}

/** How a staff message reaches the customer: the engine's delivery queue and the channels of this process. */
export interface CustomerDelivery {
  /** The channel's capabilities, or undefined when this shopdesk has no adapter for it (any more). */
  capabilities(channel: string): ChannelCapabilities | undefined;
  /** Queues a stored outbound message for delivery (the engine's outbound queue, ordered per thread). */
  deliver(o: StoredOutbound): Promise<void>;
}

/** Images between staff and customers (the web chat's upload store today; the media store of contract 3 later). */
export interface StaffImageStore {
  /** Stores an image staff send to this conversation's customer; the URL their channel shows. */
  store(conversation: { channel: string; threadId: string }, bytes: Buffer, declaredType: string): Promise<{ ok: true; url: string } | { ok: false; message: string }>;
  /** A customer's upload (a return photo) for staff eyes, by the URL stored with the message. */
  open(url: string): Promise<{ bytes: Buffer; mimeType: string } | undefined>;
}

export interface DeskSettings {
  serviceHours: ServiceHours;
  /** Auto-assign waiting chats among online staff. */
  autoAssign: boolean;
  maxChatsPerAgent: number;
  /** A waiting chat nobody claimed: remind the team after this long, escalate to managers after that. */
  remindAfterMs: number;
  escalateAfterMs: number;
  /** Public base URL for links (invites, notifications); empty = relative. */
  publicUrl: string;
}
