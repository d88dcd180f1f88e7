import type { Db } from '../../db/database-client.js';
import { normaliseEmail, normalisePhone } from '../customers/contact-normaliser.js';

import { DESK_VIEWS, type DeskView } from '../crm-constants.js';
export { DESK_VIEWS, type DeskView };

export interface ConversationListItem {
  id: number;
  channel: string;
  mode: string;
  status: string;
  handoffReason: string | null;
  waitingSince: Date | null;
  lastActivityAt: Date;
  customer: { id: number; name: string };
  assignee: { id: number; name: string } | null;
  lastMessage: { direction: string; text: string; at: Date } | null;
  /** An open ticket from a message left outside service hours. */
  leftMessage: { ticketId: number } | null;
}

function findRows(db: Db, where: NonNullable<Parameters<Db['conversation']['findMany']>[0]>['where'], orderBy: NonNullable<Parameters<Db['conversation']['findMany']>[0]>['orderBy'], take: number) {
  return db.conversation.findMany({
    where, orderBy, take,
    include: {
      customer: { select: { id: true, name: true } },
      assignee: { select: { id: true, name: true, displayName: true } },
      messages: { where: { direction: { in: ['in', 'out'] } }, orderBy: { id: 'desc' }, take: 1, select: { direction: true, text: true, createdAt: true } },
      tickets: { where: { type: 'handoff', status: 'open', details: { contains: '"leaveMessage":true' } }, take: 1, select: { id: true } },
    },
  });
}
type ListRow = Awaited<ReturnType<typeof findRows>>[number];

function toItem(c: ListRow): ConversationListItem {
  const m = c.messages[0];
  return {
    id: c.id, channel: c.channel, mode: c.mode, status: c.status, handoffReason: c.handoffReason, waitingSince: c.waitingSince, lastActivityAt: c.lastActivityAt,
    customer: { id: c.customer.id, name: c.customer.name },
    assignee: c.assignee ? { id: c.assignee.id, name: c.assignee.displayName ?? c.assignee.name } : null,
    lastMessage: m ? { direction: m.direction, text: m.text.slice(0, 140), at: m.createdAt } : null,
    leftMessage: c.tickets[0] ? { ticketId: c.tickets[0].id } : null,
  };
}

/** The desk's lists: waiting (oldest first), mine, everything with a person, messages left out of hours, recent. */
export async function listConversations(db: Db, a: { view: DeskView; staffId: number; limit?: number }): Promise<ConversationListItem[]> {
  const take = Math.min(a.limit ?? 100, 200);
  switch (a.view) {
    case 'waiting':
      return (await findRows(db, { mode: 'waiting' }, [{ waitingSince: 'asc' }, { id: 'asc' }], take)).map(toItem);
    case 'mine':
      return (await findRows(db, { mode: 'human', assigneeId: a.staffId }, { lastActivityAt: 'desc' }, take)).map(toItem);
    case 'active':
      return (await findRows(db, { mode: { in: ['waiting', 'human'] } }, { lastActivityAt: 'desc' }, take)).map(toItem);
    case 'left':
      return (await findRows(db, { mode: 'bot', tickets: { some: { type: 'handoff', status: 'open', details: { contains: '"leaveMessage":true' } } } }, { lastActivityAt: 'desc' }, take)).map(toItem);
    case 'recent':
      return (await findRows(db, {}, { lastActivityAt: 'desc' }, take)).map(toItem);
  }
}

/** Counts for the list tabs. */
export async function deskCounts(db: Db, staffId: number): Promise<Record<'waiting' | 'mine' | 'active' | 'left', number>> {
  const [waiting, mine, active, left] = await Promise.all([
    db.conversation.count({ where: { mode: 'waiting' } }),
    db.conversation.count({ where: { mode: 'human', assigneeId: staffId } }),
    db.conversation.count({ where: { mode: { in: ['waiting', 'human'] } } }),
    db.conversation.count({ where: { mode: 'bot', tickets: { some: { type: 'handoff', status: 'open', details: { contains: '"leaveMessage":true' } } } } }),
  ]);
  return { waiting, mine, active, left };
}

/**
 * Past conversations by what was said, by the customer (name, phone, e-mail) or an order number,
 * most recent first. Chinese needs no case folding; Latin text is matched as typed and lower-cased.
 */
export async function searchConversations(db: Db, query: string, limit = 50): Promise<ConversationListItem[]> {
  const q = query.trim().slice(0, 200);
  if (!q) return [];
  const variants = [...new Set([q, q.toLowerCase()])];
  const phone = normalisePhone(q);
  const email = normaliseEmail(q);
  const customerOr = [
    ...variants.map((v) => ({ name: { contains: v } })),
    ...(phone ? [{ phone }] : []), ...(email ? [{ email }] : []),
    { orders: { some: { orderNumber: q.toUpperCase() } } },
  ];
  const rows = await findRows(db, {
    OR: [
      { messages: { some: { OR: variants.map((v) => ({ text: { contains: v } })) } } },
      { customer: { OR: customerOr } },
      ...(/^\d{1,9}$/.test(q) ? [{ id: Number(q) }] : []),
    ],
  }, { lastActivityAt: 'desc' }, Math.min(limit, 100));
  return rows.map(toItem);
}
