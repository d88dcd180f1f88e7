import type { Db } from '../../src/db/database-client.js';
import { buildCustomer, buildOrder, buildProduct } from './shop-builders.js';

/**
 * A small tea shop in Asia/Shanghai for the managers' assistant (issue 9), every figure of which
 * is worked out by hand in test/integration/ask-metrics.test.ts. "Now" is Thu 2025-03-20 12:00
 * CST; last week is Mon 03-10 … Sun 03-16; this week runs Mon 03-17 … today.
 *
 *  #    cust status              local time (CST)          items                      total  refunded  notes
 *  H1   A    completed           2025-01-10 10:00          TEA×1                       5000
 *  H2   D    completed           2024-12-01 12:00          POT×1                      12000            first record of the shop
 *  O11  B    paid                2025-03-05 10:00          CUP×1                       2000            the week before last
 *  O1   A    delivered           2025-03-10 09:00          TEA×2                      10000            return ticket T1 (no event)
 *  O2   B    partially_refunded  2025-03-11 10:00          POT×1 CUP×1                14000   2000     event: return of CUP-002 (03-14)
 *  O3   C    shipped             2025-03-12 23:59:59.999   CUP×3                       6000            exception shipment_delayed; return of CUP-002 (03-16)
 *  O4   C    cancelled           2025-03-13 10:00          POT×1                      12000            never a sale
 *  O5   E    completed           2025-03-15 10:00          TEA×1 CUP×2 +1000 −500      9500            return of the whole order (03-16)
 *  O6   A    refunded            2025-03-17 08:00          POT×1                      12000  12000
 *  O7   F    pending_payment     2025-03-18 10:00          TEA×1                       5000            never a sale
 *  O8   B    completed           2025-03-18 20:00          TEA×1                       5000
 *  O9   E    paid                2025-03-19 10:00          CUP×1                       2000
 *  O10  A    paid                2025-03-20 10:00          TEA×1                       5000
 *
 * Customers: A 客户A 广东省/深圳 champions 13800138000 alice@example.com; B 客户B 广东省/广州 loyal;
 * C 客户C 浙江省/杭州 new_customers; D 客户D 上海市 lost; E 张三 浙江省/宁波 promising;
 * F 张三 北京市 (not scored); G merged into A (never counted). Orders ship to the customer's region.
 */
export const FIXTURE_NOW = new Date('2025-03-20T12:00:00+08:00');
export const FIXTURE_TZ = 'Asia/Shanghai';
const cst = (local: string) => new Date(`${local}+08:00`);

export interface FixtureShop {
  ids: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', number>;
  orders: Record<string, string>;
}

export async function buildAskFixtureShop(db: Db): Promise<FixtureShop> {
  await buildProduct(db, { sku: 'TEA-001', nameZh: '绿茶', nameEn: 'Green tea', category: 'food', priceCents: 5000 });
  await buildProduct(db, { sku: 'CUP-002', nameZh: '茶杯', nameEn: 'Tea cup', category: 'home', priceCents: 2000 });
  await buildProduct(db, { sku: 'POT-003', nameZh: '茶壶', nameEn: 'Teapot', category: 'home', priceCents: 12000 });
  const people = [
    ['A', '客户A', '广东省', '深圳', 'champions', '13800138000', 'alice@example.com'], ['B', '客户B', '广东省', '广州', 'loyal', '13900139000', null],
    ['C', '客户C', '浙江省', '杭州', 'new_customers', null, null], ['D', '客户D', '上海市', '上海', 'lost', null, null],
    ['E', '张三', '浙江省', '宁波', 'promising', '13700137000', 'zhangsan@example.com'], ['F', '张三', '北京市', '北京', null, '13600136000', null],
  ] as const;
  const ids = {} as FixtureShop['ids'];
  const regions = {} as Record<string, string>;
  for (const [key, name, region, city, rfmSegment, phone, email] of people) {
    ids[key] = (await buildCustomer(db, { name, region, city, rfmSegment, phone, email, createdAt: cst('2024-11-01T10:00:00') })).id;
    regions[key] = region;
  }
  const merged = await buildCustomer(db, { name: '客户G', region: '广东省', rfmSegment: 'loyal' });
  await db.customer.update({ where: { id: merged.id }, data: { mergedIntoId: ids.A } });

  const orders: Record<string, string> = {};
  let seq = 1;
  const order = async (label: string, key: keyof FixtureShop['ids'], status: Parameters<typeof buildOrder>[1]['status'], local: string, items: [string, number][], extra: Partial<Parameters<typeof buildOrder>[1]> = {}) => {
    const orderNumber = `SD25${String(seq++).padStart(8, '0')}`;
    orders[label] = orderNumber;
    return buildOrder(db, { customerId: ids[key], status, placedAt: cst(local), orderNumber, shipRegion: regions[key], items: items.map(([sku, quantity]) => ({ sku, quantity })), ...extra });
  };
  await order('H1', 'A', 'completed', '2025-01-10T10:00:00', [['TEA-001', 1]]);
  await order('H2', 'D', 'completed', '2024-12-01T12:00:00', [['POT-003', 1]]);
  await order('O11', 'B', 'paid', '2025-03-05T10:00:00', [['CUP-002', 1]]);
  const o1 = await order('O1', 'A', 'delivered', '2025-03-10T09:00:00', [['TEA-001', 2]]);
  const o2 = await order('O2', 'B', 'partially_refunded', '2025-03-11T10:00:00', [['POT-003', 1], ['CUP-002', 1]], { refundedCents: 2000, events: [{ type: 'return_requested', at: cst('2025-03-14T10:00:00'), detail: 'return of CUP-002' }] });
  const o3 = await order('O3', 'C', 'shipped', '2025-03-12T23:59:59.999', [['CUP-002', 3]], {
    events: [{ type: 'shipped', at: cst('2025-03-13T09:00:00') }, { type: 'shipment_delayed', at: cst('2025-03-14T09:00:00'), detail: 'warehouse backlog' }, { type: 'return_requested', at: cst('2025-03-16T09:00:00'), detail: 'return of CUP-002' }],
  });
  await order('O4', 'C', 'cancelled', '2025-03-13T10:00:00', [['POT-003', 1]]);
  await order('O5', 'E', 'completed', '2025-03-15T10:00:00', [['TEA-001', 1], ['CUP-002', 2]], { shippingCents: 1000, discountCents: 500, events: [{ type: 'return_requested', at: cst('2025-03-16T10:00:00'), detail: 'return of the whole order' }] });
  await order('O6', 'A', 'refunded', '2025-03-17T08:00:00', [['POT-003', 1]], { refundedCents: 12000 });
  await order('O7', 'F', 'pending_payment', '2025-03-18T10:00:00', [['TEA-001', 1]]);
  await order('O8', 'B', 'completed', '2025-03-18T20:00:00', [['TEA-001', 1]]);
  await order('O9', 'E', 'paid', '2025-03-19T10:00:00', [['CUP-002', 1]]);
  await order('O10', 'A', 'paid', '2025-03-20T10:00:00', [['TEA-001', 1]]);

  // tickets: T1 open return (O1, no order event), T2 return on O2 (which has its own event: not counted twice)
  const ticket = (customer: keyof FixtureShop['ids'], type: string, status: string, priority: string, created: string, due: string, extra: { orderId?: number; resolvedAt?: string; details?: string } = {}) =>
    db.ticket.create({ data: { customerId: ids[customer], type, status, priority, subject: `${type} ${created}`, createdAt: cst(created), slaDueAt: cst(due), orderId: extra.orderId ?? null, resolvedAt: extra.resolvedAt ? cst(extra.resolvedAt) : null, details: extra.details ?? null } });
  await ticket('A', 'return', 'open', 'normal', '2025-03-15T10:00:00', '2025-03-16T10:00:00', { orderId: o1.id, details: JSON.stringify({ items: ['TEA-001'] }) });
  await ticket('B', 'return', 'in_progress', 'normal', '2025-03-15T09:00:00', '2025-03-16T09:00:00', { orderId: o2.id });
  await ticket('C', 'complaint', 'resolved', 'high', '2025-03-12T10:00:00', '2025-03-12T18:00:00', { orderId: o3.id, resolvedAt: '2025-03-12T20:00:00' });
  await ticket('E', 'refund', 'closed', 'high', '2025-03-11T10:00:00', '2025-03-11T18:00:00', { resolvedAt: '2025-03-11T15:00:00' });
  await ticket('E', 'inquiry', 'waiting_customer', 'normal', '2025-03-19T10:00:00', '2025-03-20T10:00:00');
  await ticket('A', 'inquiry', 'open', 'low', '2025-03-20T09:00:00', '2025-03-23T09:00:00');

  // conversations started last week (C6 the week before); events as the handoff state machine writes them
  const conversation = async (n: number, key: keyof FixtureShop['ids'], channel: string, created: string, fields: { status: string; resolvedBy?: string; humanInvolved?: boolean }, events: [string, string][] = []) => {
    const c = await db.conversation.create({ data: { customerId: ids[key], channel, threadId: `ask-fixture-${n}`, createdAt: cst(created), lastActivityAt: cst(created), status: fields.status, resolvedBy: fields.resolvedBy ?? null, humanInvolved: fields.humanInvolved ?? false, resolvedAt: fields.status === 'resolved' ? cst(created) : null } });
    for (const [type, at] of events) await db.conversationEvent.create({ data: { conversationId: c.id, type, actor: 'bot', at: cst(at) } });
    return c;
  };
  const c1 = await conversation(1, 'A', 'web', '2025-03-10T10:00:00', { status: 'resolved', resolvedBy: 'bot' }, [['resolve', '2025-03-10T10:05:00']]);
  await conversation(2, 'B', 'web', '2025-03-10T11:00:00', { status: 'resolved', resolvedBy: 'bot' }, [['resolve', '2025-03-10T12:00:00'], ['reopen', '2025-03-12T12:00:00'], ['resolve', '2025-03-12T13:00:00']]);
  const c3 = await conversation(3, 'C', 'terminal', '2025-03-12T10:00:00', { status: 'resolved', resolvedBy: 'staff', humanInvolved: true }, [['handoff', '2025-03-12T10:01:00'], ['claim', '2025-03-12T10:02:00'], ['resolve', '2025-03-12T10:30:00']]);
  await conversation(4, 'E', 'web', '2025-03-14T10:00:00', { status: 'open' });
  await conversation(5, 'E', 'web', '2025-03-10T08:00:00', { status: 'resolved', resolvedBy: 'bot' }, [['resolve', '2025-03-10T09:00:00'], ['reopen', '2025-03-18T10:00:00'], ['resolve', '2025-03-18T11:00:00']]);
  await conversation(6, 'A', 'web', '2025-03-05T10:00:00', { status: 'resolved', resolvedBy: 'bot' }, [['resolve', '2025-03-05T10:05:00']]);

  // satisfaction given last week: 5 and 4 on the web, 2 at the terminal, 5 without a conversation; one the week before
  const feedback = (key: keyof FixtureShop['ids'], score: number, at: string, conversationId?: number) => db.feedback.create({ data: { customerId: ids[key], score, createdAt: cst(at), conversationId: conversationId ?? null } });
  await feedback('A', 5, '2025-03-10T10:06:00', c1.id);
  await feedback('A', 4, '2025-03-11T10:00:00', c1.id);
  await feedback('C', 2, '2025-03-12T10:31:00', c3.id);
  await feedback('E', 5, '2025-03-16T23:00:00');
  await feedback('B', 1, '2025-03-09T23:59:00');
  return { ids, orders };
}
