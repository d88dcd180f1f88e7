import type { Db } from '../../src/db/database-client.js';
import { EXCEPTION_EVENT_TYPES, SALE_STATUSES, type OrderEventType, type OrderStatus } from '../../src/crm/crm-constants.js';

/**
 * Small builders for tests: every default is deterministic (a per-process counter, never
 * random or the clock), so two runs build the same shop. Each returns the created row.
 */
let counter = 0;
const next = (): number => ++counter;

/** A fixed instant used where a test does not care about time (2025-01-06 10:00 in Shanghai). */
export const DEFAULT_INSTANT = new Date('2025-01-06T02:00:00.000Z');

export interface ProductOverrides {
  sku?: string;
  nameZh?: string;
  nameEn?: string;
  category?: string;
  priceCents?: number;
  stock?: number;
  returnable?: boolean;
}

export async function buildProduct(db: Db, overrides: ProductOverrides = {}) {
  const n = next();
  return db.product.create({
    data: {
      sku: overrides.sku ?? `SKU-${String(n).padStart(5, '0')}`,
      nameZh: overrides.nameZh ?? `测试商品${n}`,
      nameEn: overrides.nameEn ?? `Test product ${n}`,
      category: overrides.category ?? 'general',
      priceCents: overrides.priceCents ?? 1000 * ((n % 9) + 1),
      stock: overrides.stock ?? 100,
      returnable: overrides.returnable ?? true,
    },
  });
}

export interface CustomerOverrides {
  name?: string;
  phone?: string | null;
  email?: string | null;
  locale?: string;
  region?: string | null;
  city?: string | null;
  birthday?: Date | null;
  lifecycleStage?: string;
  rfmSegment?: string | null;
  notes?: string | null;
  createdAt?: Date;
  /** Identities created with the customer, e.g. `{ channel: 'wechat_openid', externalId: 'o-123' }`. */
  identities?: { channel: string; externalId: string; verified?: boolean }[];
}

/** A customer named `顾客N`; phone and e-mail stay empty unless given, so identity tests control them. */
export async function buildCustomer(db: Db, overrides: CustomerOverrides = {}) {
  const n = next();
  const { identities = [], ...fields } = overrides;
  return db.customer.create({
    data: {
      ...fields,
      name: fields.name ?? `顾客${n}`,
      identities: { create: identities.map((i) => ({ channel: i.channel, externalId: i.externalId, verified: i.verified ?? false })) },
    },
    include: { identities: true },
  });
}

export interface OrderItemSpec {
  productId?: number;
  sku?: string;
  quantity: number;
  /** Defaults to the product's price. */
  unitPriceCents?: number;
}

export interface OrderEventSpec {
  type: OrderEventType;
  at: Date;
  detail?: string;
  /** Defaults to whether the type is one of EXCEPTION_EVENT_TYPES. */
  isException?: boolean;
}

export interface OrderSpec {
  customerId: number;
  items: OrderItemSpec[];
  status?: OrderStatus;
  placedAt?: Date;
  /** Defaults to placedAt for sale statuses, null otherwise. */
  paidAt?: Date | null;
  shippedAt?: Date | null;
  deliveredAt?: Date | null;
  /** Defaults to placedAt for a cancelled order. */
  cancelledAt?: Date | null;
  orderNumber?: string;
  refundedCents?: number;
  shippingCents?: number;
  discountCents?: number;
  currency?: string;
  paymentMethod?: string | null;
  shipName?: string | null;
  shipPhone?: string | null;
  shipRegion?: string | null;
  shipCity?: string | null;
  shipAddress?: string | null;
  carrier?: string | null;
  trackingNumber?: string | null;
  /** Only these events are created (none by default). */
  events?: OrderEventSpec[];
}

/**
 * An order whose items are priced from their products (by id or sku) unless a unit price is
 * given; subtotal = Σ quantity × unit price, total = subtotal + shipping − discount.
 * Order numbers default to `SD` + 10 digits.
 */
export async function buildOrder(db: Db, spec: OrderSpec) {
  const n = next();
  const status = spec.status ?? 'paid';
  const placedAt = spec.placedAt ?? DEFAULT_INSTANT;
  const items = [];
  for (const item of spec.items) {
    const product = item.productId !== undefined
      ? await db.product.findUnique({ where: { id: item.productId } })
      : item.sku !== undefined ? await db.product.findUnique({ where: { sku: item.sku } }) : null;
    if (!product) throw new Error(`buildOrder: no product ${item.productId ?? item.sku ?? '(none given)'}`);
    const unit = item.unitPriceCents ?? product.priceCents;
    items.push({ productId: product.id, sku: product.sku, name: product.nameZh, quantity: item.quantity, unitPriceCents: unit, totalCents: unit * item.quantity });
  }
  const subtotalCents = items.reduce((sum, i) => sum + i.totalCents, 0);
  const shippingCents = spec.shippingCents ?? 0;
  const discountCents = spec.discountCents ?? 0;
  const isSale = SALE_STATUSES.includes(status);
  return db.order.create({
    data: {
      orderNumber: spec.orderNumber ?? `SD${String(n).padStart(10, '0')}`,
      customerId: spec.customerId,
      status,
      currency: spec.currency ?? 'CNY',
      subtotalCents,
      shippingCents,
      discountCents,
      totalCents: subtotalCents + shippingCents - discountCents,
      refundedCents: spec.refundedCents ?? 0,
      paymentMethod: spec.paymentMethod ?? null,
      shipName: spec.shipName ?? null,
      shipPhone: spec.shipPhone ?? null,
      shipRegion: spec.shipRegion ?? null,
      shipCity: spec.shipCity ?? null,
      shipAddress: spec.shipAddress ?? null,
      carrier: spec.carrier ?? null,
      trackingNumber: spec.trackingNumber ?? null,
      placedAt,
      paidAt: spec.paidAt !== undefined ? spec.paidAt : isSale ? placedAt : null,
      shippedAt: spec.shippedAt ?? null,
      deliveredAt: spec.deliveredAt ?? null,
      cancelledAt: spec.cancelledAt !== undefined ? spec.cancelledAt : status === 'cancelled' ? placedAt : null,
      items: { create: items },
      events: {
        create: (spec.events ?? []).map((e) => ({
          type: e.type, at: e.at, detail: e.detail ?? null, isException: e.isException ?? EXCEPTION_EVENT_TYPES.includes(e.type),
        })),
      },
    },
    include: { items: true, events: true },
  });
}
