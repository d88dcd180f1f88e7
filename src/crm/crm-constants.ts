/** Names the CRM stores as strings (SQLite has no enums): one list each, validated on write. */
export const LIFECYCLE_STAGES = ['lead', 'new', 'active', 'at_risk', 'dormant', 'churned'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const ORDER_STATUSES = [
  'pending_payment', 'paid', 'processing', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded', 'partially_refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Statuses in which the goods have not left the warehouse: cancel and address change are still possible. */
export const PRE_SHIPMENT_STATUSES: readonly OrderStatus[] = ['pending_payment', 'paid', 'processing'];
/** Orders that count as sales in analytics (paid and not cancelled). */
export const SALE_STATUSES: readonly OrderStatus[] = ['paid', 'processing', 'shipped', 'delivered', 'completed', 'partially_refunded', 'refunded'];

export const ORDER_EVENT_TYPES = [
  'created', 'paid', 'processing', 'shipped', 'in_transit', 'out_for_delivery', 'delivered', 'completed', 'cancelled',
  'payment_failed', 'shipment_delayed', 'lost', 'damaged', 'address_changed', 'customs_hold', 'delivery_failed',
  'return_requested', 'returned', 'refunded', 'partially_refunded',
] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];
export const EXCEPTION_EVENT_TYPES: readonly OrderEventType[] = [
  'payment_failed', 'shipment_delayed', 'lost', 'damaged', 'customs_hold', 'delivery_failed',
];

export const TICKET_TYPES = ['return', 'refund', 'exchange', 'cancel', 'address_change', 'complaint', 'inquiry', 'handoff'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
export const TICKET_STATUSES = ['open', 'in_progress', 'waiting_customer', 'resolved', 'closed', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
/** Hours until a ticket of each priority is due for a first resolution. */
export const SLA_HOURS: Record<TicketPriority, number> = { urgent: 2, high: 8, normal: 24, low: 72 };

/** Who answers a conversation: the bot, nobody yet (handed off, waiting for a claim), or a person. */
export const CONVERSATION_MODES = ['bot', 'waiting', 'human'] as const;
export type ConversationMode = (typeof CONVERSATION_MODES)[number];
/** The one conversation status (satisfaction question, staff inbox and automation figures read it). */
export const CONVERSATION_STATUSES = ['open', 'waiting', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export const RESOLVED_BY = ['bot', 'staff', 'customer'] as const;
export type ResolvedBy = (typeof RESOLVED_BY)[number];
export const CONVERSATION_EVENT_TYPES = ['handoff', 'claim', 'release', 'transfer', 'resolve', 'reopen', 'leave_queue'] as const;
export type ConversationEventType = (typeof CONVERSATION_EVENT_TYPES)[number];

export const CONSENT_CHANNELS = ['email', 'sms', 'wechat', 'web'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const STAFF_ROLES = ['agent', 'manager', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * Identity kinds. Channel identities (web, rest, terminal, wechat_openid, wechat_oa, wecom_kf, email_from, slack, teams)
 * find a sender's own record; `shop` (a verified shop subject), `email` and `phone` (verified
 * contacts) and `wechat_unionid` (platform-signed) are the only kinds that may link a sender to an
 * existing customer — see "Identity trust model" in docs/architecture.md.
 */
export const IDENTITY_KINDS = ['web', 'rest', 'terminal', 'wechat_openid', 'wechat_oa', 'wecom_kf', 'wechat_unionid', 'email_from', 'email', 'phone', 'slack', 'teams', 'shop'] as const;
/** Channel kinds scoped to a platform account: `wecom_kf:<corpid>`, `wechat_oa:<appid>`, `wechat_openid:<appid>`, `wechaty:<bot account>` (a personal/WeCom account's contacts, asserted only). */
export type IdentityKind = (typeof IDENTITY_KINDS)[number] | `${'wecom_kf' | 'wechat_oa' | 'wechat_openid' | 'wechaty'}:${string}`;

/**
 * How far a sender's own channel identity can be trusted: `asserted` kinds (an e-mail `From:`,
 * which anyone can write) may be linked to a customer by a one-time code so the history is one,
 * but never act as that customer — each conversation of theirs must prove it again (a code typed
 * back in it, `ConversationProof` kind `identity_otp`). Every other kind is authenticated by its
 * channel (a server-side web thread credential, a signed platform callback) or is a verified fact.
 */
export const ASSERTED_IDENTITY_KINDS: readonly string[] = ['email_from'] satisfies IdentityKind[];
export const isAssertedIdentityKind = (kind: string): boolean => ASSERTED_IDENTITY_KINDS.includes(kind);

/** The standard RFM segments (names after the common 11-segment scheme), zh and en. */
export const RFM_SEGMENTS = {
  champions: { en: 'Champions', zh: '重要价值客户' },
  loyal: { en: 'Loyal Customers', zh: '忠诚客户' },
  potential_loyalist: { en: 'Potential Loyalists', zh: '潜力客户' },
  new_customers: { en: 'New Customers', zh: '新客户' },
  promising: { en: 'Promising', zh: '有望客户' },
  need_attention: { en: 'Need Attention', zh: '需关注客户' },
  about_to_sleep: { en: 'About to Sleep', zh: '即将沉睡客户' },
  at_risk: { en: 'At Risk', zh: '流失风险客户' },
  cannot_lose: { en: "Can't Lose Them", zh: '重要挽留客户' },
  hibernating: { en: 'Hibernating', zh: '沉睡客户' },
  lost: { en: 'Lost', zh: '已流失客户' },
} as const;
export type RfmSegment = keyof typeof RFM_SEGMENTS;

// --- staff desk (issue 7) ---
/** Staff presence chosen in /desk; "online" counts only while the desk is open (recent lastSeenAt). */
export const STAFF_PRESENCE = ['online', 'away'] as const;
export type StaffPresence = (typeof STAFF_PRESENCE)[number];
/** What a staff notification reports; each notifier target picks the kinds it shows. */
export const STAFF_NOTIFICATION_KINDS = [
  'handoff', 'customer_message', 'claim', 'release', 'transfer', 'resolve', 'leave_queue', 'staff_message', 'note',
  'left_message', 'reminder', 'escalation',
] as const;
export type StaffNotificationKind = (typeof STAFF_NOTIFICATION_KINDS)[number];
export const STAFF_NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export type StaffNotificationStatus = (typeof STAFF_NOTIFICATION_STATUSES)[number];

/** Which conversations a desk list shows. */
export const DESK_VIEWS = ['waiting', 'mine', 'active', 'left', 'recent'] as const;
export type DeskView = (typeof DESK_VIEWS)[number];

/** A staff member counts as online while their desk's heartbeat is younger than this. */
export const ONLINE_WINDOW_MS = 90_000;

export function isOnline(s: { active: boolean; presence: string; lastSeenAt: Date | null }, now: Date): boolean {
  return s.active && s.presence === 'online' && s.lastSeenAt !== null && now.getTime() - s.lastSeenAt.getTime() <= ONLINE_WINDOW_MS;
}
