import { ticketNumber, type CustomerMatch, type FigureFilters, type TicketType } from '../crm/index.js';
import { localDateString } from '../crm/index.js';
import type { Span } from './ask-dates.js';
import type { ExecContext } from './ask-executor.js';
import { rangeOf } from './ask-metric-runner.js';
import type { LookupQuery } from './ask-query.js';
import type { CustomerSummary, LookupResult, NoticeResult } from './ask-result.js';

/**
 * Lookups: a customer by name, phone, e-mail or order number (several matches → the choices),
 * their orders, tickets and recent conversations; an order with its timeline; the orders of a
 * range with an exception. Contact data comes back whole here and is masked per role by the
 * service (ask-access.ts) before anyone sees it.
 */
const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

function summary(c: CustomerMatch): CustomerSummary {
  return { id: c.id, name: c.name, phone: c.phone, email: c.email, region: c.region, city: c.city, orders: c.orders, lastOrderAt: iso(c.lastOrderAt) };
}

type RefOf = NonNullable<LookupResult['ref']>;

function refOf(q: LookupQuery): RefOf | undefined {
  if (q.customer && 'name' in q.customer) return { kind: 'name', value: q.customer.name };
  if (q.customer && 'phone' in q.customer) return { kind: 'phone', value: q.customer.phone };
  if (q.customer && 'email' in q.customer) return { kind: 'email', value: q.customer.email };
  if (q.order) return { kind: 'order', value: q.order };
  return undefined;
}

export async function runLookup(q: LookupQuery, ctx: ExecContext & { filters: FigureFilters; span: Span | null }): Promise<LookupResult | NoticeResult> {
  const { crm } = ctx;
  if (q.lookup === 'orders') return listOrders(q, ctx);
  if (q.lookup === 'order' || q.lookup === 'order_timeline') {
    if (!q.order) return { type: 'notice', notice: 'missing_reference', detail: 'order' };
    const o = await crm.analytics.orderTimeline(q.order);
    const ref = { kind: 'order' as const, value: q.order.slice(0, 64) };
    if (!o) return { type: 'lookup', lookup: q.lookup, status: 'not_found', ref };
    return {
      type: 'lookup', lookup: q.lookup, status: 'found', ref,
      order: {
        orderNumber: o.orderNumber, status: o.status, currency: o.currency, totalCents: o.totalCents, refundedCents: o.refundedCents, placedAt: o.placedAt.toISOString(),
        customer: o.customer,
        ship: { name: o.shipName, phone: o.shipPhone, region: o.shipRegion, city: o.shipCity, carrier: o.carrier, trackingNumber: o.trackingNumber },
        items: o.items.map((i) => ({ sku: i.sku, name: i.name, quantity: i.quantity, totalCents: i.totalCents })),
        events: o.events.map((e) => ({ type: e.type, isException: e.isException, detail: e.detail, at: e.at.toISOString() })),
        tickets: o.tickets.map((t) => ({ number: ticketNumber(t.id), type: t.type, status: t.status, createdAt: t.createdAt.toISOString() })),
      },
    };
  }
  const ref = refOf(q);
  if (!ref) return { type: 'notice', notice: 'missing_reference', detail: 'customer' };
  const matches = await crm.analytics.findCustomers(ref.kind === 'order' ? { orderNumber: ref.value } : ref.kind === 'name' ? { name: ref.value } : ref.kind === 'phone' ? { phone: ref.value } : { email: ref.value });
  const shownRef = { kind: ref.kind, value: ref.value.slice(0, 100) };
  if (matches.length === 0) return { type: 'lookup', lookup: q.lookup, status: 'not_found', ref: shownRef };
  if (matches.length > 1) return { type: 'lookup', lookup: q.lookup, status: 'ambiguous', ref: shownRef, matches: matches.slice(0, 5).map(summary) };
  const match = matches[0];
  const profile = await crm.customers.profile(match.id);
  const customer = { ...summary(match), segment: profile?.rfmSegment ?? null, lifecycleStage: profile?.lifecycleStage ?? 'lead' };
  const base = { type: 'lookup' as const, lookup: q.lookup, status: 'found' as const, ref: shownRef, customer };
  const status = ctx.filters.status;
  const orders = async (limit: number) => (await crm.orders.listForCustomer(match.id, { limit, ...(status ? { statuses: [status as never] } : {}) }))
    .map((o) => ({ orderNumber: o.orderNumber, status: o.status, totalCents: o.totalCents, currency: o.currency, placedAt: o.placedAt.toISOString() }));
  const tickets = async (limit: number) => (await crm.tickets.listForCustomer(match.id, { limit, ...(ctx.filters.ticketType ? { types: [ctx.filters.ticketType as TicketType] } : {}) }))
    .map((t) => ({ number: ticketNumber(t.id), type: t.type, status: t.status, priority: t.priority, subject: t.subject, order: t.order?.orderNumber ?? null, createdAt: t.createdAt.toISOString(), slaDueAt: t.slaDueAt.toISOString() }));
  if (q.lookup === 'customer_orders') return { ...base, orders: await orders(10) };
  if (q.lookup === 'customer_tickets') return { ...base, tickets: await tickets(10) };
  const [o, t, c] = await Promise.all([orders(5), tickets(5), crm.analytics.recentConversations(match.id, 3)]);
  return {
    ...base, orders: o, tickets: t,
    conversations: c.map((x) => ({ id: x.id, channel: x.channel, status: x.status, mode: x.mode, messages: x._count.messages, lastActivityAt: x.lastActivityAt.toISOString() })),
  };
}

async function listOrders(q: LookupQuery, ctx: ExecContext & { filters: FigureFilters; span: Span | null }): Promise<LookupResult> {
  const today = localDateString(ctx.now, ctx.timeZone);
  let span = ctx.span;
  if (!span) {
    const first = await ctx.crm.analytics.firstRecordAt('orders');
    span = { from: first ? localDateString(first, ctx.timeZone) : today, to: today };
  }
  const f = ctx.filters;
  const { total, orders } = await ctx.crm.analytics.listOrders({ range: rangeOf(span, ctx.timeZone), exception: f.exception, status: f.status, region: f.region, limit: 20 });
  return {
    type: 'lookup', lookup: q.lookup, status: total > 0 ? 'found' : 'not_found', span: ctx.span ?? span, total,
    orders: orders.map((o) => ({
      orderNumber: o.orderNumber, status: o.status, totalCents: o.totalCents, currency: o.currency, placedAt: o.placedAt.toISOString(), customer: o.customer,
      exceptions: o.events.map((e) => ({ type: e.type, at: e.at.toISOString() })),
    })),
  };
}
