import type { Db } from '../../db/database-client.js';
import { survivingCustomerId } from './identity-service.js';
import { normaliseEmail, normalisePhone } from './contact-normaliser.js';

export interface CustomerProfile {
  id: number;
  name: string;
  phone: string | null;
  email: string | null;
  locale: string;
  city: string | null;
  lifecycleStage: string;
  rfmSegment: string | null;
  tags: string[];
  identities: { channel: string; externalId: string }[];
  orders: { orderNumber: string; status: string; totalCents: number; placedAt: Date }[];
  tickets: { id: number; type: string; status: string; priority: string; subject: string; slaDueAt: Date; createdAt: Date; order: { orderNumber: string } | null; unverifiedRequester: boolean; approvedAt: Date | null }[];
  consents: { channel: string; status: string; source: string; at: Date }[];
  feedback: { score: number; createdAt: Date }[];
  conversations: number;
  /** The most recent conversations on every channel (a linked e-mail or WeChat sender's too). */
  conversationList: { id: number; channel: string; status: string; messages: number; createdAt: Date; lastActivityAt: Date }[];
  rfm: { recency: number | null; frequency: number | null; monetary: number | null };
}

/** Everything a staff member sees about one customer, merged records followed. */
export async function getCustomerProfile(db: Db, customerId: number): Promise<CustomerProfile | undefined> {
  const id = await survivingCustomerId(db, customerId);
  const c = await db.customer.findUnique({
    where: { id },
    include: {
      tags: true,
      identities: { select: { channel: true, externalId: true } },
      orders: { orderBy: { placedAt: 'desc' }, take: 20, select: { orderNumber: true, status: true, totalCents: true, placedAt: true } },
      tickets: { orderBy: { createdAt: 'desc' }, take: 20, select: { id: true, type: true, status: true, priority: true, subject: true, slaDueAt: true, createdAt: true, order: { select: { orderNumber: true } }, unverifiedRequester: true, approvedAt: true } },
      consents: { select: { channel: true, status: true, source: true, at: true } },
      feedback: { orderBy: { createdAt: 'desc' }, take: 10, select: { score: true, createdAt: true } },
      _count: { select: { conversations: true } },
      conversations: { orderBy: { lastActivityAt: 'desc' }, take: 20, select: { id: true, channel: true, status: true, createdAt: true, lastActivityAt: true, _count: { select: { messages: true } } } },
    },
  });
  if (!c || c.erasedAt) return undefined;
  return {
    id: c.id, name: c.name, phone: c.phone, email: c.email, locale: c.locale, city: c.city, lifecycleStage: c.lifecycleStage,
    rfmSegment: c.rfmSegment, tags: c.tags.map((t) => t.tag), identities: c.identities, orders: c.orders, tickets: c.tickets,
    consents: c.consents, feedback: c.feedback, conversations: c._count.conversations,
    conversationList: c.conversations.map(({ _count, ...v }) => ({ ...v, messages: _count.messages })),
    rfm: { recency: c.rfmRecency, frequency: c.rfmFrequency, monetary: c.rfmMonetary },
  };
}

/** Customers whose name contains the text (staff and manager lookups, never customer-facing). */
export async function findCustomersByName(db: Db, name: string, limit = 10) {
  return db.customer.findMany({
    where: { name: { contains: name.trim() }, mergedIntoId: null, erasedAt: null },
    take: limit,
    orderBy: { id: 'asc' },
    select: { id: true, name: true, phone: true, email: true, city: true },
  });
}

/** The customer behind a phone number, e-mail address or numeric id (staff lookups). */
export async function findCustomerByContact(db: Db, value: string): Promise<number | undefined> {
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) {
    const c = await db.customer.findUnique({ where: { id: Number(v) }, select: { id: true } });
    if (c) return survivingCustomerId(db, c.id);
  }
  const candidates: [string, string | undefined][] = [['phone', normalisePhone(v)], ['email', normaliseEmail(v)], ['shop', v]];
  for (const [channel, externalId] of candidates) {
    if (!externalId) continue;
    const identity = await db.identity.findUnique({ where: { channel_externalId: { channel, externalId } }, select: { customerId: true } });
    if (identity) return survivingCustomerId(db, identity.customerId);
  }
  return undefined;
}
