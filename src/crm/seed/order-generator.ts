import { EXCEPTION_EVENT_TYPES, type OrderEventType, type OrderStatus } from '../crm-constants.js';
import { digits, type Rng } from './seeded-random.js';
import { HOUR_MS } from './shop-time.js';

export interface SeedProduct { id: number; sku: string; nameZh: string; nameEn: string; category: string; priceCents: number; returnable: boolean }
export interface ShipTo { en: boolean; name: string; phone: string | null; region: string; city: string; address: string }

export interface GeneratedEvent { type: OrderEventType; isException: boolean; detail: string | null; at: Date }
export interface GeneratedItem { productId: number; sku: string; name: string; quantity: number; unitPriceCents: number; totalCents: number }
export interface GeneratedOrder {
  order: {
    orderNumber: string; status: OrderStatus; currency: string; subtotalCents: number; shippingCents: number; discountCents: number;
    totalCents: number; refundedCents: number; paymentMethod: string | null; shipName: string; shipPhone: string | null;
    shipRegion: string; shipCity: string; shipAddress: string; carrier: string | null; trackingNumber: string | null;
    placedAt: Date; paidAt: Date | null; shippedAt: Date | null; deliveredAt: Date | null; cancelledAt: Date | null;
    createdAt: Date; updatedAt: Date;
  };
  items: GeneratedItem[];
  events: GeneratedEvent[];
  /** Why a ticket may follow, and when the customer would have raised it. */
  trouble?: { kind: 'return' | 'refund' | 'complaint'; at: Date; resolvedBy?: Date; exception?: OrderEventType };
}

/** Carriers as stored in Order.carrier (English names; zh names for display live with the docs). */
export const CARRIERS = {
  sf: { name: 'SF Express', zh: '顺丰速运', tracking: (r: Rng) => `SF${digits(r, 13)}` },
  zto: { name: 'ZTO Express', zh: '中通快递', tracking: (r: Rng) => `7${digits(r, 13)}` },
  yto: { name: 'YTO Express', zh: '圆通速递', tracking: (r: Rng) => `YT${digits(r, 13)}` },
  jd: { name: 'JD Logistics', zh: '京东物流', tracking: (r: Rng) => `JDV${digits(r, 12)}` },
  dhl: { name: 'DHL Express', zh: 'DHL', tracking: (r: Rng) => digits(r, 10) },
  ups: { name: 'UPS', zh: 'UPS', tracking: (r: Rng) => `1Z${digits(r, 16)}` },
} as const;
export type CarrierKey = keyof typeof CARRIERS;

export const FREE_SHIPPING_FROM_CENTS = 9900;
export const SHIPPING_FEE_CENTS = 1000;

const EXCEPTIONS: readonly OrderEventType[] = ['payment_failed', 'shipment_delayed', 'lost', 'damaged', 'address_changed', 'customs_hold', 'delivery_failed'];
const EXCEPTION_WEIGHTS = [3, 4, 1, 2, 2, 0, 2];
const isException = (t: OrderEventType) => EXCEPTION_EVENT_TYPES.includes(t);

/** Cumulative popularity for O(log n) product sampling. */
export function productSampler(products: readonly SeedProduct[], popularity: readonly number[]): (r: Rng) => SeedProduct {
  const cumulative: number[] = [];
  let sum = 0;
  for (const p of popularity) cumulative.push((sum += p));
  return (r) => {
    const x = r.next() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cumulative[mid] > x) hi = mid; else lo = mid + 1; }
    return products[lo];
  };
}

const minutes = (r: Rng, a: number, b: number) => Math.floor((a + r.next() * (b - a)) * 60_000);
const hours = (r: Rng, a: number, b: number) => Math.floor((a + r.next() * (b - a)) * HOUR_MS);

/** Items plus, for each, whether the shop takes it back (not stored on the item row). */
export function drawItems(r: Rng, sample: (r: Rng) => SeedProduct, en: boolean): { items: GeneratedItem[]; returnable: boolean[] } {
  const n = r.weighted([1, 2, 3, 4], [55, 28, 12, 5]);
  const chosen = new Map<number, SeedProduct>();
  for (let tries = 0; chosen.size < n && tries < 10; tries++) { const p = sample(r); chosen.set(p.id, p); }
  const products = [...chosen.values()];
  const items = products.map((p) => {
    const quantity = p.category === 'gift_card' ? 1 : r.weighted([1, 2, 3], [80, 15, 5]);
    return { productId: p.id, sku: p.sku, name: en ? p.nameEn : p.nameZh, quantity, unitPriceCents: p.priceCents, totalCents: quantity * p.priceCents };
  });
  return { items, returnable: products.map((p) => p.returnable) };
}

/** Shipping and discount rules of the demo shop: free shipping from ¥99, coupons and 满减 on promo days. */
export function priceOrder(r: Rng, items: GeneratedItem[], promo: boolean) {
  const subtotalCents = items.reduce((s, i) => s + i.totalCents, 0);
  const shippingCents = subtotalCents >= FREE_SHIPPING_FROM_CENTS ? 0 : SHIPPING_FEE_CENTS;
  let discountCents = 0;
  if (promo && subtotalCents >= 30000 && r.chance(0.6)) discountCents = Math.floor(subtotalCents / 30000) * 5000;
  else if (subtotalCents >= 19900 && r.chance(0.2)) discountCents = r.pick([1000, 2000, 3000]);
  else if (r.chance(0.05)) discountCents = 500;
  discountCents = Math.min(discountCents, subtotalCents - 100);
  return { subtotalCents, shippingCents, discountCents: Math.max(0, discountCents), totalCents: subtotalCents + shippingCents - Math.max(0, discountCents) };
}

export function generateOrder(r: Rng, input: { orderNumber: string; placedAt: number; now: number; ship: ShipTo; promo: boolean; sample: (r: Rng) => SeedProduct }): GeneratedOrder {
  const { placedAt: t0, now, ship } = input;
  const { items, returnable: canReturn } = drawItems(r, input.sample, ship.en);
  const money = priceOrder(r, items, input.promo);
  const events: GeneratedEvent[] = [];
  const add = (type: OrderEventType, at: number, detail: string | null = null) => { if (at <= now) events.push({ type, isException: isException(type), detail, at: new Date(at) }); };
  const exception = r.chance(0.05) ? r.weighted(EXCEPTIONS, EXCEPTION_WEIGHTS.map((w, i) => (EXCEPTIONS[i] === 'customs_hold' && ship.en ? 3 : w))) : undefined;
  const recipientDiffers = r.chance(0.08);
  const o: GeneratedOrder['order'] = {
    orderNumber: input.orderNumber, status: 'pending_payment', currency: 'CNY', ...money, refundedCents: 0,
    paymentMethod: null, shipName: recipientDiffers && !ship.en ? `${ship.name.slice(0, 1)}先生` : ship.name, shipPhone: ship.phone,
    shipRegion: ship.region, shipCity: ship.city, shipAddress: ship.address, carrier: null, trackingNumber: null,
    placedAt: new Date(t0), paidAt: null, shippedAt: null, deliveredAt: null, cancelledAt: null, createdAt: new Date(t0), updatedAt: new Date(t0),
  };
  const gen: GeneratedOrder = { order: o, items, events };
  add('created', t0);
  const method = ship.en ? r.weighted(['credit_card', 'paypal', 'alipay'], [55, 35, 10]) : r.weighted(['wechat_pay', 'alipay', 'unionpay', 'credit_card'], [50, 40, 7, 3]);
  const finish = () => { o.updatedAt = events[events.length - 1].at; return gen; };

  if (r.chance(0.03)) { // cancelled: mostly unpaid timeouts, some paid and refunded before shipping
    const paidFirst = r.chance(0.3);
    const payAt = t0 + minutes(r, 1, 10);
    const cancelAt = paidFirst ? payAt + minutes(r, 10, 360) : t0 + (r.chance(0.6) ? 30 * 60_000 : minutes(r, 2, 25));
    if (exception === 'payment_failed') add('payment_failed', t0 + 60_000, 'card declined');
    if (cancelAt > now) { if (paidFirst && payAt <= now) { o.status = 'paid'; o.paidAt = new Date(payAt); o.paymentMethod = method; add('paid', payAt); } return finish(); }
    if (paidFirst) { o.paidAt = new Date(payAt); o.paymentMethod = method; o.refundedCents = o.totalCents; add('paid', payAt); }
    o.status = 'cancelled';
    o.cancelledAt = new Date(cancelAt);
    add('cancelled', cancelAt, paidFirst ? 'cancelled by customer, payment refunded' : 'payment not received in 30 minutes');
    return finish();
  }

  let payAt = t0 + (r.chance(0.1) ? minutes(r, 30, 20 * 60) : minutes(r, 0.3, 12)); // some pay hours later
  if (exception === 'payment_failed') { add('payment_failed', t0 + 45_000, r.pick(['card declined', 'insufficient balance', 'payment timed out'])); payAt += minutes(r, 5, 60); }
  if (payAt > now) return finish();
  o.status = 'paid'; o.paidAt = new Date(payAt); o.paymentMethod = method;
  add('paid', payAt);
  const processAt = payAt + minutes(r, 30, 360);
  if (processAt > now) return finish();
  o.status = 'processing';
  add('processing', processAt);
  const shipAt = processAt + hours(r, 4, ship.en ? 60 : 36);
  if (exception === 'address_changed') add('address_changed', payAt + Math.floor((shipAt - payAt) * r.next()), 'customer updated the delivery address');
  if (shipAt > now) return finish();
  const carrier: CarrierKey = ship.en ? r.weighted(['dhl', 'ups'] as const, [60, 40]) : r.weighted(['sf', 'zto', 'yto', 'jd'] as const, [30, 30, 25, 15]);
  o.status = 'shipped'; o.shippedAt = new Date(shipAt); o.carrier = CARRIERS[carrier].name; o.trackingNumber = CARRIERS[carrier].tracking(r);
  add('shipped', shipAt);
  const transitAt = shipAt + hours(r, 4, 12);
  add('in_transit', transitAt);
  let deliverAt = transitAt + (ship.en ? hours(r, 5 * 24, 11 * 24) : hours(r, 16, 80));
  if (exception === 'shipment_delayed' || exception === 'customs_hold') {
    const at = transitAt + hours(r, 12, 48);
    add(exception, at, exception === 'customs_hold' ? 'held for customs inspection' : 'delayed at the sorting centre');
    deliverAt = Math.max(deliverAt, at) + hours(r, 48, 120);
    gen.trouble = { kind: 'complaint', at: new Date(at + hours(r, 2, 30)), exception };
  }
  if (exception === 'lost') {
    const lostAt = transitAt + hours(r, 72, 144);
    add('lost', lostAt, 'parcel lost by the carrier');
    const refundAt = lostAt + hours(r, 12, 72);
    gen.trouble = { kind: 'refund', at: new Date(lostAt + hours(r, 1, 12)), resolvedBy: new Date(refundAt), exception };
    if (refundAt <= now) { o.status = 'refunded'; o.refundedCents = o.totalCents; add('refunded', refundAt, `refunded ${o.totalCents} fen`); }
    return finish();
  }
  if (exception === 'delivery_failed') {
    add('delivery_failed', deliverAt, 'recipient not available');
    gen.trouble = { kind: 'complaint', at: new Date(deliverAt + hours(r, 1, 20)), exception };
    deliverAt += hours(r, 20, 30);
  }
  add('out_for_delivery', deliverAt - hours(r, 2, 5));
  if (deliverAt > now) return finish();
  o.status = 'delivered'; o.deliveredAt = new Date(deliverAt);
  add('delivered', deliverAt);

  const returnable = items.filter((_, i) => canReturn[i]);
  const damaged = exception === 'damaged';
  if (damaged) add('damaged', deliverAt + hours(r, 1, 20), 'customer reports the goods arrived damaged');
  if ((damaged || r.chance(0.035)) && (returnable.length > 0 || damaged)) {
    const requestAt = deliverAt + hours(r, 6, 6 * 24);
    const returnedAt = requestAt + hours(r, 48, 120);
    const refundAt = returnedAt + hours(r, 6, 48);
    const pool = returnable.length > 0 ? returnable : items;
    const full = !damaged && pool.length === items.length && r.chance(0.5);
    const amount = full ? o.totalCents : Math.min(o.totalCents, pool[0].totalCents);
    add('return_requested', requestAt, full ? 'return of the whole order' : `return of ${pool[0].sku}`);
    add('returned', returnedAt);
    gen.trouble = { kind: damaged ? 'complaint' : 'return', at: new Date(requestAt), resolvedBy: new Date(refundAt), exception };
    if (refundAt <= now) {
      o.status = full ? 'refunded' : 'partially_refunded'; o.refundedCents = amount;
      add(full ? 'refunded' : 'partially_refunded', refundAt, `refunded ${amount} fen`);
    }
    return finish();
  }
  const completeAt = deliverAt + hours(r, 7 * 24, 15 * 24);
  if (completeAt <= now) { o.status = 'completed'; add('completed', completeAt, 'receipt confirmed'); }
  return finish();
}
