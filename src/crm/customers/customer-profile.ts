import type { Db } from '../../db/database-client.js';
import { survivingCustomerId } from './identity-service.js';

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
  tickets: { id: number; type: string; status: string; subject: string; createdAt: Date }[];
  conversations: number;
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
      tickets: { orderBy: { createdAt: 'desc' }, take: 20, select: { id: true, type: true, status: true, subject: true, createdAt: true } },
      _count: { select: { conversations: true } },
    },
  });
  if (!c || c.erasedAt) return undefined;
  return {
    id: c.id, name: c.name, phone: c.phone, email: c.email, locale: c.locale, city: c.city, lifecycleStage: c.lifecycleStage,
    rfmSegment: c.rfmSegment, tags: c.tags.map((t) => t.tag), identities: c.identities, orders: c.orders, tickets: c.tickets,
    conversations: c._count.conversations,
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
