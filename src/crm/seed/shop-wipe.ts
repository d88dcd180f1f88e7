import type { Tx } from '../../db/database-client.js';
import { invalidateSummaries } from '../analytics/sales-summary.js';

/** True when the database holds no customers, products or orders (staff and settings do not count). */
export async function isShopEmpty(db: Tx): Promise<boolean> {
  const [customer, product, order] = await Promise.all([
    db.customer.findFirst({ select: { id: true } }),
    db.product.findFirst({ select: { id: true } }),
    db.order.findFirst({ select: { id: true } }),
  ]);
  return !customer && !product && !order;
}

/**
 * Deletes all shop data: customers and everything hanging off them, products, orders, tickets,
 * conversations and messages. Keeps settings, staff and the audit log. Children first, so it
 * works without relying on cascades.
 */
export async function wipeShop(db: Tx): Promise<void> {
  await db.ticketEvent.deleteMany();
  await db.feedback.deleteMany();
  await db.ticket.deleteMany();
  await db.message.deleteMany();
  await db.conversation.deleteMany();
  await db.orderEvent.deleteMany();
  await db.orderItem.deleteMany();
  await db.order.deleteMany();
  await db.product.deleteMany();
  await db.marketingConsent.deleteMany();
  await db.customerTag.deleteMany();
  await db.identity.deleteMany();
  await db.customer.deleteMany();
  // the assistant's summaries describe the orders just deleted
  await invalidateSummaries(db);
}

/** Counts for the seed summary and for tests. */
export async function shopCounts(db: Tx) {
  const [customers, products, orders, orderItems, orderEvents, tickets, ticketEvents, identities] = await Promise.all([
    db.customer.count(), db.product.count(), db.order.count(), db.orderItem.count(), db.orderEvent.count(),
    db.ticket.count(), db.ticketEvent.count(), db.identity.count(),
  ]);
  return { customers, products, orders, orderItems, orderEvents, tickets, ticketEvents, identities };
}
