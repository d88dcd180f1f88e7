import type { Db } from '../../db/database-client.js';
import { RFM_SEGMENTS, SALE_STATUSES } from '../crm-constants.js';
import { getCustomerProfile, type CustomerProfile } from '../customers/customer-profile.js';
import { ACTIVE_TICKET_STATUSES } from '../tickets/ticket-state-machine.js';
import { ticketNumber } from '../tickets/ticket-service.js';

/** The most messages one transcript view carries (older ones are counted, not sent). */
export const TRANSCRIPT_LIMIT = 500;

export interface TranscriptItem {
  id: number;
  direction: 'in' | 'out';
  /** customer | bot | staff */
  from: 'customer' | 'bot' | 'staff';
  staffId: number | null;
  text: string;
  /** The stored message (outbound) or content (inbound), for images, choices and cards. */
  content: unknown;
  status: string;
  at: Date;
}

export interface ConversationDetail {
  conversation: {
    id: number; channel: string; threadId: string; mode: string; status: string; resolvedBy: string | null; resolvedAt: Date | null;
    handoffReason: string | null; waitingSince: Date | null; humanInvolved: boolean; lastActivityAt: Date; createdAt: Date;
    assignee: { id: number; name: string } | null;
    /** The language the conversation is in (the dialogue's, else the customer's locale). */
    lang: 'zh' | 'en';
  };
  customer: (CustomerProfile & { lifetimeValueCents: number; paidOrders: number; segmentLabel: { zh: string; en: string } | null; openTickets: CustomerProfile['tickets'] }) | null;
  messages: TranscriptItem[];
  olderMessages: number;
  /** `staff` wrote it in /desk or a staff tool; otherwise `system` (`system:wechat_oa`) — shopdesk itself. */
  notes: { id: number; staff: { id: number; name: string } | null; system: string | null; text: string; at: Date }[];
  events: { type: string; fromMode: string | null; toMode: string | null; actor: string; detail: unknown; at: Date }[];
  tickets: { id: number; number: string; type: string; status: string; subject: string; description: string | null; details: unknown; createdAt: Date }[];
}

function parseJson(s: string | null): unknown {
  if (!s) return null;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

function dialogueLang(flowState: string | null): 'zh' | 'en' | undefined {
  const lang = (parseJson(flowState) as { lang?: unknown } | null)?.lang;
  return lang === 'zh' || lang === 'en' ? lang : undefined;
}

/** Everything the desk shows for one conversation: transcript, profile beside it, notes, events, tickets. */
export async function conversationDetail(db: Db, id: number): Promise<ConversationDetail | undefined> {
  const c = await db.conversation.findUnique({ where: { id }, include: { assignee: { select: { id: true, name: true, displayName: true } } } });
  if (!c) return undefined;
  const total = await db.message.count({ where: { conversationId: id, direction: { in: ['in', 'out'] } } });
  const rows = await db.message.findMany({
    where: { conversationId: id, direction: { in: ['in', 'out'] } }, orderBy: { id: 'desc' }, take: TRANSCRIPT_LIMIT,
    select: { id: true, direction: true, senderId: true, text: true, payload: true, status: true, createdAt: true },
  });
  const messages: TranscriptItem[] = rows.reverse().map((m) => {
    const staffId = m.senderId?.startsWith('staff:') ? Number(m.senderId.slice(6)) : null;
    const payload = parseJson(m.payload) as { content?: unknown } | null;
    return {
      id: m.id, direction: m.direction as 'in' | 'out', from: m.direction === 'in' ? 'customer' : staffId ? 'staff' : 'bot', staffId,
      text: m.text, content: m.direction === 'in' ? (payload?.content ?? null) : payload, status: m.status, at: m.createdAt,
    };
  });
  const [notes, events, tickets, profile, sales] = await Promise.all([
    db.conversationNote.findMany({ where: { conversationId: id }, orderBy: { id: 'asc' }, include: { staff: { select: { id: true, name: true, displayName: true } } } }),
    db.conversationEvent.findMany({ where: { conversationId: id }, orderBy: { id: 'asc' } }),
    db.ticket.findMany({ where: { conversationId: id }, orderBy: { id: 'desc' }, take: 20 }),
    getCustomerProfile(db, c.customerId),
    db.order.aggregate({ where: { customerId: c.customerId, status: { in: [...SALE_STATUSES] } }, _sum: { totalCents: true, refundedCents: true }, _count: { _all: true } }),
  ]);
  const segment = profile?.rfmSegment as keyof typeof RFM_SEGMENTS | null | undefined;
  return {
    conversation: {
      id: c.id, channel: c.channel, threadId: c.threadId, mode: c.mode, status: c.status, resolvedBy: c.resolvedBy, resolvedAt: c.resolvedAt,
      handoffReason: c.handoffReason, waitingSince: c.waitingSince, humanInvolved: c.humanInvolved, lastActivityAt: c.lastActivityAt, createdAt: c.createdAt,
      assignee: c.assignee ? { id: c.assignee.id, name: c.assignee.displayName ?? c.assignee.name } : null,
      lang: dialogueLang(c.flowState) ?? (profile?.locale.startsWith('en') ? 'en' : 'zh'),
    },
    customer: profile
      ? {
          ...profile,
          lifetimeValueCents: (sales._sum.totalCents ?? 0) - (sales._sum.refundedCents ?? 0),
          paidOrders: sales._count._all,
          segmentLabel: segment && RFM_SEGMENTS[segment] ? { zh: RFM_SEGMENTS[segment].zh, en: RFM_SEGMENTS[segment].en } : null,
          openTickets: profile.tickets.filter((t) => (ACTIVE_TICKET_STATUSES as readonly string[]).includes(t.status)),
        }
      : null,
    messages,
    olderMessages: Math.max(0, total - rows.length),
    notes: notes.map((n) => ({ id: n.id, staff: n.staff ? { id: n.staff.id, name: n.staff.displayName ?? n.staff.name } : null, system: n.staff ? null : (n.author ?? 'system'), text: n.text, at: n.createdAt })),
    events: events.map((e) => ({ type: e.type, fromMode: e.fromMode, toMode: e.toMode, actor: e.actor, detail: parseJson(e.detail), at: e.at })),
    tickets: tickets.map((t) => ({ id: t.id, number: ticketNumber(t.id), type: t.type, status: t.status, subject: t.subject, description: t.description, details: parseJson(t.details), createdAt: t.createdAt })),
  };
}
