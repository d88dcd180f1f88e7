import type { Db } from '../../db/database-client.js';
import { survivingCustomerId } from '../customers/identity-service.js';
import { recordAudit } from '../audit-log.js';
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

/** Wrong "last 4 digits" answers an order takes within the window before it refuses all. */
export const MAX_VERIFY_FAILURES = 5;
const VERIFY_WINDOW_MS = 60 * 60_000;

export type OrderAccess =
  | { allowed: true; order: OrderView; via: 'owner' | 'phone_last4' }
  | { allowed: false; reason: 'not_found' | 'not_owner' | 'verification_failed' };

/**
 * The one check everything customer-facing uses before showing an order: the order belongs to
 * the asking customer, or the asker proves it with the last 4 digits of the order's phone.
 * `not_found` and `not_owner` must be presented to the customer identically, so that a
 * stranger cannot learn whether an order number exists.
 */
export async function checkOrderAccess(db: Db, customerId: number, orderNumber: string, proof?: { phoneLast4?: string }): Promise<OrderAccess> {
  const order = await getOrderByNumber(db, orderNumber);
  if (!order) return { allowed: false, reason: 'not_found' };
  const asker = await survivingCustomerId(db, customerId);
  if ((await survivingCustomerId(db, order.customerId)) === asker) return { allowed: true, order, via: 'owner' };
  if (proof?.phoneLast4 && /^\d{4}$/.test(proof.phoneLast4)) {
    // 10,000 possible answers: after a few wrong ones the order takes no more guesses for a while,
    // from anyone, and the answer looks exactly like a wrong guess.
    const since = new Date(Date.now() - VERIFY_WINDOW_MS);
    const failures = await db.auditLog.count({ where: { entity: 'Order', entityId: order.orderNumber, action: 'order.verify_failed', at: { gte: since } } });
    if (failures >= MAX_VERIFY_FAILURES) return { allowed: false, reason: 'verification_failed' };
    const row = await db.order.findUnique({ where: { id: order.id }, select: { shipPhone: true, customer: { select: { phone: true } } } });
    const phones = [row?.shipPhone, row?.customer.phone].filter((p): p is string => Boolean(p)).map((p) => p.replace(/\D/g, ''));
    if (phones.some((p) => p.endsWith(proof.phoneLast4!))) return { allowed: true, order, via: 'phone_last4' };
    await recordAudit(db, { actor: `customer:${asker}`, action: 'order.verify_failed', entity: 'Order', entityId: order.orderNumber });
    return { allowed: false, reason: 'verification_failed' };
  }
  return { allowed: false, reason: 'not_owner' };
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
