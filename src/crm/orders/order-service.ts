import type { Db } from '../../db/database-client.js';
import { recordAudit } from '../audit-log.js';
import { survivingCustomerId } from '../customers/identity-service.js';
import { EXCEPTION_EVENT_TYPES, PRE_SHIPMENT_STATUSES, type OrderEventType, type OrderStatus } from '../crm-constants.js';

export interface OrderView {
  id: number;
  orderNumber: string;
  customerId: number;
  status: OrderStatus;
  currency: string;
  totalCents: number;
  refundedCents: number;
  paymentMethod: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  shipCity: string | null;
  placedAt: Date;
  paidAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  items: { sku: string; name: string; quantity: number; unitPriceCents: number; totalCents: number; category: string | null; returnable: boolean }[];
  events: { type: OrderEventType; isException: boolean; detail: string | null; at: Date }[];
  /** The newest exception not followed by a resolving event, if any. */
  openException?: { type: OrderEventType; detail: string | null; at: Date };
}

const RESOLVES: Partial<Record<OrderEventType, OrderEventType[]>> = {
  payment_failed: ['paid', 'cancelled'],
  shipment_delayed: ['shipped', 'in_transit', 'out_for_delivery', 'delivered'],
  customs_hold: ['in_transit', 'out_for_delivery', 'delivered'],
  delivery_failed: ['delivered'],
  lost: ['refunded', 'delivered'],
  damaged: ['refunded', 'returned'],
};

export async function getOrderByNumber(db: Db, orderNumber: string): Promise<OrderView | undefined> {
  const order = await db.order.findUnique({
    where: { orderNumber: orderNumber.trim().toUpperCase() },
    include: { items: { include: { product: { select: { category: true, returnable: true } } } }, events: { orderBy: { at: 'asc' } } },
  });
  return order ? toView(order) : undefined;
}

export async function getOrderById(db: Db, id: number): Promise<OrderView | undefined> {
  const order = await db.order.findUnique({
    where: { id },
    include: { items: { include: { product: { select: { category: true, returnable: true } } } }, events: { orderBy: { at: 'asc' } } },
  });
  return order ? toView(order) : undefined;
}

/** A customer's orders, newest first (their merged records included by construction). */
export async function listCustomerOrders(db: Db, customerId: number, opts: { limit?: number; statuses?: OrderStatus[] } = {}) {
  const id = await survivingCustomerId(db, customerId);
  return db.order.findMany({
    where: { customerId: id, ...(opts.statuses ? { status: { in: [...opts.statuses] } } : {}) },
    orderBy: { placedAt: 'desc' },
    take: opts.limit ?? 10,
    select: { id: true, orderNumber: true, status: true, totalCents: true, currency: true, placedAt: true, shippedAt: true, deliveredAt: true },
  });
}

/**
 * Cancels an order that was never paid: it closes at once (nothing was charged, so nothing is
 * refunded and no ticket is needed). Conditional on the order still awaiting payment, so a
 * payment that lands meanwhile wins; the answer says what the order is now.
 */
export async function cancelUnpaidOrder(db: Db, orderId: number, opts: { actor: string; now?: Date }): Promise<{ ok: true } | { ok: false; status: OrderStatus }> {
  const now = opts.now ?? new Date();
  const cancelled = await db.$transaction(async (tx) => {
    const moved = await tx.order.updateMany({ where: { id: orderId, status: 'pending_payment' }, data: { status: 'cancelled', cancelledAt: now } });
    if (moved.count !== 1) return false;
    await tx.orderEvent.create({ data: { orderId, type: 'cancelled', detail: 'cancelled by the customer before payment', at: now } });
    await recordAudit(tx, { actor: opts.actor, action: 'order.cancel_unpaid', entity: 'Order', entityId: orderId });
    return true;
  });
  if (cancelled) return { ok: true };
  const row = await db.order.findUnique({ where: { id: orderId }, select: { status: true } });
  return { ok: false, status: (row?.status ?? 'cancelled') as OrderStatus };
}

export function isPreShipment(status: OrderStatus): boolean {
  return PRE_SHIPMENT_STATUSES.includes(status);
}

type OrderRow = Awaited<ReturnType<Db['order']['findUnique']>> & {
  items: { sku: string; name: string; quantity: number; unitPriceCents: number; totalCents: number; product: { category: string; returnable: boolean } | null }[];
  events: { type: string; isException: boolean; detail: string | null; at: Date }[];
};

function toView(o: NonNullable<OrderRow>): OrderView {
  const events = o.events.map((e) => ({ type: e.type as OrderEventType, isException: e.isException, detail: e.detail, at: e.at }));
  let openException: OrderView['openException'];
  for (const e of events) {
    if (EXCEPTION_EVENT_TYPES.includes(e.type)) openException = { type: e.type, detail: e.detail, at: e.at };
    else if (openException && RESOLVES[openException.type]?.includes(e.type)) openException = undefined;
  }
  return {
    id: o.id, orderNumber: o.orderNumber, customerId: o.customerId, status: o.status as OrderStatus, currency: o.currency,
    totalCents: o.totalCents, refundedCents: o.refundedCents, paymentMethod: o.paymentMethod, carrier: o.carrier,
    trackingNumber: o.trackingNumber, shipCity: o.shipCity, placedAt: o.placedAt, paidAt: o.paidAt, shippedAt: o.shippedAt,
    deliveredAt: o.deliveredAt,
    items: o.items.map((i) => ({ sku: i.sku, name: i.name, quantity: i.quantity, unitPriceCents: i.unitPriceCents, totalCents: i.totalCents, category: i.product?.category ?? null, returnable: i.product?.returnable ?? true })),
    events,
    openException,
  };
}
