import type { Db, Tx } from '../../db/database-client.js';
import type { StaffNotificationPayload } from '../../shared/staff-notifier.js';
import { maskPhone } from '../customers/contact-normaliser.js';
import type { StaffNotificationKind } from '../crm-constants.js';
import { ticketNumber } from '../tickets/ticket-service.js';

/** A staff notification before it is fanned out to targets. */
export interface NotificationDraft {
  kind: StaffNotificationKind;
  conversationId: number | null;
  staffId?: number | null;
  payload: StaffNotificationPayload;
  /** Unique per change (`handoff:in42`, `claim:ev7`); the target is appended per row. */
  dedupeBase: string;
}

export type ConversationContext = Omit<StaffNotificationPayload, 'audience' | 'message' | 'actor' | 'detail'>;

export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return at <= 0 ? '***' : `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`;
}

/** The facts about a conversation every notification of it carries (read inside the caller's transaction). */
export async function conversationContext(db: Db | Tx, conversationId: number): Promise<ConversationContext | undefined> {
  const c = await db.conversation.findUnique({
    where: { id: conversationId },
    include: {
      customer: { select: { id: true, name: true, phone: true, email: true, rfmSegment: true, locale: true } },
      assignee: { select: { id: true, name: true, displayName: true } },
      tickets: { where: { type: { in: ['handoff', 'complaint'] } }, orderBy: { id: 'desc' }, take: 1, select: { id: true, subject: true } },
    },
  });
  if (!c) return undefined;
  const ticket = c.tickets[0];
  return {
    conversation: {
      id: c.id, channel: c.channel, mode: c.mode, status: c.status, handoffReason: c.handoffReason,
      waitingSince: c.waitingSince?.toISOString() ?? null,
      assignee: c.assignee ? { id: c.assignee.id, name: c.assignee.displayName ?? c.assignee.name } : null,
      ticket: ticket ? { id: ticket.id, number: ticketNumber(ticket.id), subject: ticket.subject } : null,
    },
    customer: {
      id: c.customer.id, name: c.customer.name, segment: c.customer.rfmSegment,
      phoneMasked: c.customer.phone ? maskPhone(c.customer.phone) : null, emailMasked: c.customer.email ? maskEmail(c.customer.email) : null,
      lang: c.customer.locale.startsWith('en') ? 'en' : 'zh',
    },
    deskPath: `/desk#/c/${c.id}`,
  };
}
