import type { Db } from '../../db/database-client.js';
import { normaliseEmail, normalisePhone } from '../customers/contact-normaliser.js';
import { survivingCustomerId } from '../customers/identity-service.js';
import { EXCEPTION_EVENT_TYPES, SALE_STATUSES } from '../crm-constants.js';
import { assertRange, type DateRange } from './date-ranges.js';

/**
 * Read-only lookups for the managers' assistant (issue 9): find customers by name, phone, e-mail
 * or order number; a customer's recent conversations; an order with its timeline; orders in a
 * range with an exception. Contact data comes back whole: the assistant masks it per role.
 */
export interface CustomerMatch {
  id: number;
  name: string;
  phone: string | null;
  email: string | null;
  region: string | null;
  city: string | null;
  orders: number;
  lastOrderAt: Date | null;
}

export type CustomerRef = { name: string } | { phone: string } | { email: string } | { orderNumber: string };

const MATCH_LIMIT = 5;

/**
 * The customers a reference names: an exact name first (two people may share it), else names
 * containing the text; a phone or e-mail on file or as a verified contact; the owner of an order.
 * At most MATCH_LIMIT + 1 come back, so a caller can tell "more than shown".
 */
export async function findCustomers(db: Db, ref: CustomerRef): Promise<CustomerMatch[]> {
  let ids: number[] = [];
  const live = { mergedIntoId: null, erasedAt: null };
  if ('name' in ref) {
    const name = ref.name.trim().slice(0, 100);
    if (!name) return [];
    const exact = await db.customer.findMany({ where: { name, ...live }, take: MATCH_LIMIT + 1, orderBy: { id: 'asc' }, select: { id: true } });
    ids = exact.length ? exact.map((c) => c.id) : (await db.customer.findMany({ where: { name: { contains: name }, ...live }, take: MATCH_LIMIT + 1, orderBy: { id: 'asc' }, select: { id: true } })).map((c) => c.id);
  } else if ('orderNumber' in ref) {
    const order = await db.order.findUnique({ where: { orderNumber: ref.orderNumber.trim().toUpperCase() }, select: { customerId: true } });
    ids = order ? [await survivingCustomerId(db, order.customerId)] : [];
  } else {
    const kind = 'phone' in ref ? 'phone' : 'email';
    const value = 'phone' in ref ? normalisePhone(ref.phone) : normaliseEmail(ref.email);
    if (!value) return [];
    const [onFile, identities] = await Promise.all([
      db.customer.findMany({ where: { [kind]: value, ...live }, take: MATCH_LIMIT + 1, select: { id: true } }),
      db.identity.findMany({ where: { channel: kind, externalId: value }, select: { customerId: true } }),
    ]);
    const surviving = await Promise.all(identities.map((i) => survivingCustomerId(db, i.customerId)));
    ids = [...new Set([...onFile.map((c) => c.id), ...surviving])].slice(0, MATCH_LIMIT + 1);
  }
  if (ids.length === 0) return [];
  const [customers, stats] = await Promise.all([
    db.customer.findMany({ where: { id: { in: ids }, erasedAt: null }, select: { id: true, name: true, phone: true, email: true, region: true, city: true } }),
    db.order.groupBy({ by: ['customerId'], where: { customerId: { in: ids }, status: { in: [...SALE_STATUSES] } }, _count: { _all: true }, _max: { placedAt: true } }),
  ]);
  const statOf = new Map(stats.map((s) => [s.customerId, s]));
  return customers
    .map((c) => ({ ...c, orders: statOf.get(c.id)?._count._all ?? 0, lastOrderAt: statOf.get(c.id)?._max.placedAt ?? null }))
    .sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
}

/** A customer's most recent conversations, newest first. */
export async function recentConversations(db: Db, customerId: number, limit = 5) {
  return db.conversation.findMany({
    where: { customerId },
    orderBy: { lastActivityAt: 'desc' },
    take: Math.min(Math.max(limit, 1), 20),
    select: { id: true, channel: true, status: true, mode: true, resolvedBy: true, humanInvolved: true, createdAt: true, lastActivityAt: true, _count: { select: { messages: true } } },
  });
}

/** An order with its items, the customer, every event (status history, shipment, exceptions) and its tickets. */
export async function orderTimeline(db: Db, orderNumber: string) {
  const order = await db.order.findUnique({
    where: { orderNumber: orderNumber.trim().toUpperCase().slice(0, 64) },
    select: {
      id: true, orderNumber: true, status: true, currency: true, subtotalCents: true, shippingCents: true, discountCents: true, totalCents: true, refundedCents: true,
      paymentMethod: true, shipName: true, shipPhone: true, shipRegion: true, shipCity: true, shipAddress: true, carrier: true, trackingNumber: true,
      placedAt: true, paidAt: true, shippedAt: true, deliveredAt: true, cancelledAt: true,
      customer: { select: { id: true, name: true, phone: true, email: true } },
      items: { select: { sku: true, name: true, quantity: true, unitPriceCents: true, totalCents: true }, orderBy: { id: 'asc' } },
      events: { select: { type: true, isException: true, detail: true, at: true }, orderBy: [{ at: 'asc' }, { id: 'asc' }] },
      tickets: { select: { id: true, type: true, status: true, priority: true, subject: true, createdAt: true, slaDueAt: true, resolvedAt: true }, orderBy: { createdAt: 'asc' } },
    },
  });
  return order ?? undefined;
}
export type OrderTimeline = NonNullable<Awaited<ReturnType<typeof orderTimeline>>>;

export interface OrderListQuery {
  range: DateRange;
  /** An exception event type, or `any` (orders with any exception event). */
  exception?: string;
  status?: string;
  /** Start of the shipping region. */
  region?: string;
  limit?: number;
}

/** Orders placed in the range (newest first) matching the filters, with their exception events; `total` counts them all. */
export async function listOrders(db: Db, q: OrderListQuery) {
  assertRange(q.range);
  const exceptionTypes = q.exception === 'any' || q.exception === undefined ? [...EXCEPTION_EVENT_TYPES] : [q.exception];
  const where = {
    placedAt: { gte: q.range.from, lt: q.range.to },
    ...(q.status ? { status: q.status } : {}),
    ...(q.region ? { shipRegion: { startsWith: q.region } } : {}),
    // exception events come at or after the order is placed: only those from the range's start are read (type, at index)
    ...(q.exception ? { events: { some: { type: { in: exceptionTypes }, at: { gte: q.range.from } } } } : {}),
  };
  const [total, orders] = await Promise.all([
    db.order.count({ where }),
    db.order.findMany({
      where, orderBy: [{ placedAt: 'desc' }, { id: 'desc' }], take: Math.min(Math.max(q.limit ?? 20, 1), 100),
      select: {
        orderNumber: true, status: true, totalCents: true, currency: true, placedAt: true, shipRegion: true, shipCity: true,
        customer: { select: { id: true, name: true } },
        events: { where: { type: { in: exceptionTypes } }, select: { type: true, detail: true, at: true }, orderBy: { at: 'asc' } },
      },
    }),
  ]);
  return { total, orders };
}

/** The first instant anything of a kind was recorded (orders, tickets, feedback, conversations), for "no data before …". */
export async function firstRecordAt(db: Db, kind: 'orders' | 'tickets' | 'feedback' | 'conversations'): Promise<Date | null> {
  // findFirst ordered by the indexed column reads one index entry (an aggregate MIN did not, on PostgreSQL)
  switch (kind) {
    case 'orders': return (await db.order.findFirst({ orderBy: { placedAt: 'asc' }, select: { placedAt: true } }))?.placedAt ?? null;
    case 'tickets': return (await db.ticket.findFirst({ orderBy: { createdAt: 'asc' }, select: { createdAt: true } }))?.createdAt ?? null;
    case 'feedback': return (await db.feedback.findFirst({ orderBy: { createdAt: 'asc' }, select: { createdAt: true } }))?.createdAt ?? null;
    case 'conversations': return (await db.conversation.findFirst({ orderBy: { createdAt: 'asc' }, select: { createdAt: true } }))?.createdAt ?? null;
  }
}
