import type { Tx } from '../../db/database-client.js';
import { AppError } from '../../shared/app-error.js';
import type { GeneratedCustomer } from './customer-generator.js';
import type { GeneratedOrder } from './order-generator.js';
import type { GeneratedTicket } from './ticket-generator.js';
import { insertRows, type SqlValue } from './bulk-insert.js';

/** Rows written, added up for the seed summary. */
export interface WriteCounts { customers: number; identities: number; orders: number; orderItems: number; orderEvents: number; tickets: number; ticketEvents: number }
export const emptyCounts = (): WriteCounts => ({ customers: 0, identities: 0, orders: 0, orderItems: 0, orderEvents: 0, tickets: 0, ticketEvents: 0 });

export type CustomerRow = Omit<GeneratedCustomer, 'address' | 'wechatOpenId' | 'tags' | 'consents'> & { wechatOpenId: string | null; tags: string[]; consents: GeneratedCustomer['consents'] | { channel: string; status: string; source: string; at: Date }[]; shopRef?: string };

/**
 * Inserts customers with one multi-row INSERT per chunk and reads their ids back in insertion order (ids ascend with
 * insertion on both SQLite and PostgreSQL); the names are compared so a concurrent writer cannot
 * silently shift the mapping. Then identities, tags and consents go in the same way.
 */
export async function writeCustomers(tx: Tx, rows: CustomerRow[], counts: WriteCounts): Promise<number[]> {
  const before = await tx.customer.aggregate({ _max: { id: true } });
  await insertRows(tx, 'Customer', ['name', 'phone', 'email', 'locale', 'region', 'city', 'birthday', 'lifecycleStage', 'notes', 'createdAt', 'updatedAt'],
    rows.map((c) => [c.name, c.phone, c.email, c.locale, c.region, c.city, c.birthday, c.lifecycleStage, c.notes, c.createdAt, c.createdAt]));
  const written = await tx.customer.findMany({
    where: { id: { gt: before._max.id ?? 0 } }, orderBy: { id: 'asc' }, select: { id: true, name: true }, take: rows.length,
  });
  if (written.length !== rows.length || written.some((w, i) => w.name !== rows[i].name)) {
    throw new AppError('CONFLICT', 'Another process wrote customers while seeding; stop it and seed again with --force.');
  }
  const ids = written.map((w) => w.id);
  const identities: SqlValue[][] = [];
  const tags: SqlValue[][] = [];
  const consents: SqlValue[][] = [];
  rows.forEach((c, i) => {
    const customerId = ids[i];
    const kinds: [string, string | null | undefined][] = [['phone', c.phone], ['email', c.email], ['wechat_openid', c.wechatOpenId], ['shop', c.shopRef]];
    for (const [kind, value] of kinds) if (value) identities.push([customerId, kind, value, true, c.createdAt]);
    for (const tag of c.tags) tags.push([customerId, tag, c.createdAt]);
    for (const k of c.consents) consents.push([customerId, k.channel, k.status, k.source, k.at]);
  });
  await insertRows(tx, 'Identity', ['customerId', 'channel', 'externalId', 'verified', 'createdAt'], identities);
  await insertRows(tx, 'CustomerTag', ['customerId', 'tag', 'createdAt'], tags);
  await insertRows(tx, 'MarketingConsent', ['customerId', 'channel', 'status', 'source', 'at'], consents);
  counts.customers += rows.length;
  counts.identities += identities.length;
  return ids;
}

const ORDER_COLUMNS = [
  'orderNumber', 'status', 'currency', 'subtotalCents', 'shippingCents', 'discountCents', 'totalCents', 'refundedCents', 'paymentMethod',
  'shipName', 'shipPhone', 'shipRegion', 'shipCity', 'shipAddress', 'carrier', 'trackingNumber', 'placedAt', 'paidAt', 'shippedAt',
  'deliveredAt', 'cancelledAt', 'createdAt', 'updatedAt',
] as const satisfies readonly (keyof GeneratedOrder['order'])[];
const TICKET_COLUMNS = [
  'type', 'status', 'priority', 'assigneeId', 'subject', 'description', 'slaDueAt', 'resolution', 'resolvedAt', 'createdAt', 'updatedAt',
] as const satisfies readonly (keyof GeneratedTicket['ticket'])[];

export interface OrderToWrite { customerId: number; gen: GeneratedOrder; ticket?: GeneratedTicket }

/** Writes a batch of orders with their items, events, tickets and ticket events (ids read back by order number). */
export async function writeOrders(tx: Tx, batch: OrderToWrite[], counts: WriteCounts): Promise<void> {
  if (batch.length === 0) return;
  await insertRows(tx, 'Order', [...ORDER_COLUMNS, 'customerId'], batch.map((b) => [...ORDER_COLUMNS.map((k) => b.gen.order[k]), b.customerId]));
  const ids = await tx.order.findMany({ where: { orderNumber: { in: batch.map((b) => b.gen.order.orderNumber) } }, select: { id: true, orderNumber: true } });
  const idOf = new Map(ids.map((r) => [r.orderNumber, r.id]));
  const orderId = (b: OrderToWrite) => idOf.get(b.gen.order.orderNumber) as number;
  const items = batch.flatMap((b) => b.gen.items.map((it) => [orderId(b), it.productId, it.sku, it.name, it.quantity, it.unitPriceCents, it.totalCents]));
  const events = batch.flatMap((b) => b.gen.events.map((e) => [orderId(b), e.type, e.isException, e.detail, e.at]));
  await insertRows(tx, 'OrderItem', ['orderId', 'productId', 'sku', 'name', 'quantity', 'unitPriceCents', 'totalCents'], items);
  await insertRows(tx, 'OrderEvent', ['orderId', 'type', 'isException', 'detail', 'at'], events);
  const withTicket = batch.filter((b) => b.ticket);
  if (withTicket.length > 0) {
    await insertRows(tx, 'Ticket', [...TICKET_COLUMNS, 'customerId', 'orderId'],
      withTicket.map((b) => [...TICKET_COLUMNS.map((k) => b.ticket!.ticket[k]), b.customerId, orderId(b)]));
    const tickets = await tx.ticket.findMany({ where: { orderId: { in: withTicket.map(orderId) } }, select: { id: true, orderId: true } });
    const ticketOf = new Map(tickets.map((t) => [t.orderId, t.id]));
    const ticketEvents = withTicket.flatMap((b) => b.ticket!.events.map((e) => [ticketOf.get(orderId(b)) as number, e.type, e.fromStatus, e.toStatus, e.actor, e.note, e.at]));
    await insertRows(tx, 'TicketEvent', ['ticketId', 'type', 'fromStatus', 'toStatus', 'actor', 'note', 'at'], ticketEvents);
    counts.tickets += withTicket.length;
    counts.ticketEvents += ticketEvents.length;
  }
  counts.orders += batch.length;
  counts.orderItems += items.length;
  counts.orderEvents += events.length;
}
