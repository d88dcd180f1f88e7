import type { OrderEventType, OrderStatus } from '../crm-constants.js';
import { CARRIERS, FREE_SHIPPING_FROM_CENTS, SHIPPING_FEE_CENTS, type CarrierKey, type GeneratedEvent, type GeneratedOrder, type SeedProduct } from './order-generator.js';
import { DAY_MS } from './shop-time.js';

/**
 * Fixed demo customers every seeded shop has, for scenario tests, the README and live demos.
 * Their order numbers never change (sequence 9xxx, which generated orders never use); their
 * dates are relative to the seeding time `now`:
 *
 * - 张三 13800138000 (zh-CN, 上海): SD2501019001 shipped by SF Express and in transit (tracking SF1234567890123);
 *   SD2501019002 delivered 3 days ago (clothing, returnable); SD2501019003 delivered 40 days ago (outside the
 *   return window); SD2501019004 pending_payment, placed 20 minutes ago; SD2501019005 shipped by ZTO with a
 *   `shipment_delayed` exception 2 days ago.
 * - Alice Smith alice@example.com +14155550123 (en, San Francisco): SD2501019011 shipped by DHL and in transit;
 *   SD2501019012 delivered 2 days ago.
 * - 李四 13900139000 (zh-CN, 北京): SD2501019021 processing (paid, not shipped yet).
 */
export const DEMO_PERSONAS = {
  zhangSan: {
    name: '张三', phone: '13800138000', email: 'zhangsan@example.com', locale: 'zh-CN', region: '上海市', city: '上海',
    wechatOpenId: 'oDEMOzhangsan00000000000001', shopRef: 'DEMO-ZHANGSAN',
    orders: { inTransit: 'SD2501019001', deliveredRecently: 'SD2501019002', deliveredLongAgo: 'SD2501019003', pendingPayment: 'SD2501019004', delayed: 'SD2501019005' },
    tracking: { inTransit: 'SF1234567890123', delayed: '73100000000001' },
  },
  alice: {
    name: 'Alice Smith', phone: '+14155550123', email: 'alice@example.com', locale: 'en', region: 'California, United States', city: 'San Francisco',
    wechatOpenId: null, shopRef: 'DEMO-ALICE',
    orders: { shipped: 'SD2501019011', deliveredRecently: 'SD2501019012' },
    tracking: { shipped: '4829017365' },
  },
  liSi: {
    name: '李四', phone: '13900139000', email: null, locale: 'zh-CN', region: '北京市', city: '北京',
    wechatOpenId: null, shopRef: 'DEMO-LISI',
    orders: { processing: 'SD2501019021' },
    tracking: {},
  },
} as const;
export type PersonaKey = keyof typeof DEMO_PERSONAS;

export const DEMO_ORDER_NUMBERS: readonly string[] = Object.values(DEMO_PERSONAS).flatMap((p) => Object.values(p.orders));
export const DEMO_PHONES: ReadonlySet<string> = new Set(Object.values(DEMO_PERSONAS).map((p) => p.phone));

const ADDRESS: Record<PersonaKey, string> = { zhangSan: '浦东新区世纪大道100号8栋1单元1201室', alice: '1 Market St, Apt 5', liSi: '朝阳区建国路88号3栋2单元502室' };
const PAYMENT: Record<PersonaKey, string> = { zhangSan: 'wechat_pay', alice: 'credit_card', liSi: 'alipay' };

interface Spec {
  persona: PersonaKey; number: string; items: [sku: string, qty: number][]; placedDaysAgo: number;
  /** Milestones in days ago (fractions allowed); absent = not reached. */
  paid?: number; processing?: number; shipped?: number; inTransit?: number; delivered?: number;
  carrier?: CarrierKey; tracking?: string; exception?: { type: OrderEventType; daysAgo: number; detail: string };
}

const P = DEMO_PERSONAS;
const SPECS: Spec[] = [
  { persona: 'zhangSan', number: P.zhangSan.orders.inTransit, items: [['ELE-3002', 1], ['ELE-3009', 2]], placedDaysAgo: 3, paid: 2.99, processing: 2.9, shipped: 2, inTransit: 1.6, carrier: 'sf', tracking: P.zhangSan.tracking.inTransit },
  { persona: 'zhangSan', number: P.zhangSan.orders.deliveredRecently, items: [['CLO-1002', 1], ['CLO-1001', 2]], placedDaysAgo: 7, paid: 6.99, processing: 6.8, shipped: 5.5, inTransit: 5.2, delivered: 3, carrier: 'yto', tracking: 'YT7700000000001' },
  { persona: 'zhangSan', number: P.zhangSan.orders.deliveredLongAgo, items: [['HOM-4004', 1], ['FOO-6003', 1]], placedDaysAgo: 44, paid: 43.99, processing: 43.8, shipped: 42.5, inTransit: 42.2, delivered: 40, carrier: 'jd', tracking: 'JDV000000000001' },
  { persona: 'zhangSan', number: P.zhangSan.orders.pendingPayment, items: [['BEA-5001', 1]], placedDaysAgo: 20 / 1440 },
  { persona: 'zhangSan', number: P.zhangSan.orders.delayed, items: [['SHO-2001', 1]], placedDaysAgo: 6, paid: 5.99, processing: 5.9, shipped: 5, inTransit: 4.7, carrier: 'zto', tracking: P.zhangSan.tracking.delayed, exception: { type: 'shipment_delayed', daysAgo: 2, detail: 'delayed at the sorting centre' } },
  { persona: 'alice', number: P.alice.orders.shipped, items: [['FOO-6002', 1], ['BOO-1201', 1]], placedDaysAgo: 4, paid: 3.99, processing: 3.8, shipped: 2, inTransit: 1.7, carrier: 'dhl', tracking: P.alice.tracking.shipped },
  { persona: 'alice', number: P.alice.orders.deliveredRecently, items: [['CLO-1008', 1]], placedDaysAgo: 10, paid: 9.99, processing: 9.8, shipped: 8, inTransit: 7.8, delivered: 2, carrier: 'ups', tracking: '1Z9990000000000001' },
  { persona: 'liSi', number: P.liSi.orders.processing, items: [['ELE-3003', 1], ['ELE-3004', 1]], placedDaysAgo: 5 / 24, paid: 4.9 / 24, processing: 4 / 24 },
];

export interface PersonaCustomer {
  key: PersonaKey; name: string; phone: string; email: string | null; locale: string; region: string; city: string;
  createdAt: Date; lifecycleStage: string; tags: string[]; wechatOpenId: string | null; shopRef: string;
  consents: { channel: string; status: string; source: string; at: Date }[];
}

export function personaCustomers(now: Date): PersonaCustomer[] {
  const ago = (d: number) => new Date(now.getTime() - d * DAY_MS);
  return (Object.keys(P) as PersonaKey[]).map((key) => {
    const p = P[key];
    const createdDays = key === 'zhangSan' ? 400 : key === 'alice' ? 200 : 30;
    return {
      key, name: p.name, phone: p.phone, email: p.email, locale: p.locale, region: p.region, city: p.city,
      createdAt: ago(createdDays), lifecycleStage: key === 'liSi' ? 'new' : 'active', tags: key === 'zhangSan' ? ['vip'] : [],
      wechatOpenId: p.wechatOpenId, shopRef: p.shopRef,
      consents: key === 'liSi' ? [] : [{ channel: key === 'alice' ? 'email' : 'sms', status: 'opt_in', source: 'signup_form', at: ago(createdDays - 1) }],
    };
  });
}

export function personaOrders(now: Date, products: ReadonlyMap<string, SeedProduct>): { persona: PersonaKey; order: GeneratedOrder }[] {
  const at = (daysAgo: number) => new Date(now.getTime() - Math.round(daysAgo * DAY_MS));
  return SPECS.map((s) => {
    const en = s.persona === 'alice';
    const items = s.items.map(([sku, quantity]) => {
      const p = products.get(sku);
      if (!p) throw new Error(`demo persona order ${s.number} names unknown SKU ${sku}`);
      return { productId: p.id, sku, name: en ? p.nameEn : p.nameZh, quantity, unitPriceCents: p.priceCents, totalCents: quantity * p.priceCents };
    });
    const subtotalCents = items.reduce((a, i) => a + i.totalCents, 0);
    const shippingCents = subtotalCents >= FREE_SHIPPING_FROM_CENTS ? 0 : SHIPPING_FEE_CENTS;
    const events: GeneratedEvent[] = [{ type: 'created', isException: false, detail: null, at: at(s.placedDaysAgo) }];
    const milestone = (type: OrderEventType, d?: number) => { if (d !== undefined) events.push({ type, isException: false, detail: null, at: at(d) }); };
    milestone('paid', s.paid); milestone('processing', s.processing); milestone('shipped', s.shipped); milestone('in_transit', s.inTransit);
    if (s.delivered !== undefined) { milestone('out_for_delivery', s.delivered + 3 / 24); milestone('delivered', s.delivered); }
    if (s.exception) events.push({ type: s.exception.type, isException: true, detail: s.exception.detail, at: at(s.exception.daysAgo) });
    events.sort((a, b) => a.at.getTime() - b.at.getTime());
    const status: OrderStatus = s.delivered !== undefined ? 'delivered' : s.shipped !== undefined ? 'shipped' : s.processing !== undefined ? 'processing' : s.paid !== undefined ? 'paid' : 'pending_payment';
    const p = P[s.persona];
    const placedAt = at(s.placedDaysAgo);
    const order: GeneratedOrder = {
      order: {
        orderNumber: s.number, status, currency: 'CNY', subtotalCents, shippingCents, discountCents: 0, totalCents: subtotalCents + shippingCents, refundedCents: 0,
        paymentMethod: s.paid !== undefined ? PAYMENT[s.persona] : null, shipName: p.name, shipPhone: p.phone, shipRegion: p.region, shipCity: p.city,
        shipAddress: ADDRESS[s.persona], carrier: s.carrier ? CARRIERS[s.carrier].name : null, trackingNumber: s.tracking ?? null,
        placedAt, paidAt: s.paid !== undefined ? at(s.paid) : null, shippedAt: s.shipped !== undefined ? at(s.shipped) : null,
        deliveredAt: s.delivered !== undefined ? at(s.delivered) : null, cancelledAt: null, createdAt: placedAt, updatedAt: events[events.length - 1].at,
      },
      items,
      events,
    };
    return { persona: s.persona, order };
  });
}
