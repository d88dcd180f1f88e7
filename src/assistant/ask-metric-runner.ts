import { dayRange, localDateString, type Crm, type DateRange, type FigureFilters, type SalesGroup, type SalesRow } from '../crm/index.js';
import type { Span } from './ask-dates.js';
import type { GroupBy, Metric } from './ask-query.js';
import type { MetricRow, NoteCode, Unit } from './ask-result.js';

/**
 * Runs one metric over one range through the CRM facade and shapes its figures: the headline
 * value, the figures beside it and, when grouped, the rows. Definitions live with the CRM
 * queries (src/crm/analytics/*-figures.ts); this file only picks and arranges them.
 */
export type AssistantCrm = Pick<Crm, 'analytics' | 'customers' | 'orders' | 'tickets' | 'audit' | 'staff'>;

export interface RunContext {
  crm: AssistantCrm;
  now: Date;
  timeZone: string;
  /** Days without an order after which a customer counts as dormant. */
  dormantDays: number;
}

export interface MetricRun {
  metric: Metric;
  /** Null for snapshots. */
  range: DateRange | null;
  filters: FigureFilters;
  groupBy: GroupBy | null;
  limit: number | null;
}

export function todayOf(ctx: { now: Date; timeZone: string }): string {
  return localDateString(ctx.now, ctx.timeZone);
}

/** The instants [first local midnight, midnight after the last day) of a span of local dates. */
export function rangeOf(span: Span, timeZone: string): DateRange {
  return { from: dayRange(span.from, timeZone).from, to: dayRange(span.to, timeZone).to };
}

/** Which records a metric counts: an empty span of that kind means "no data". */
export type Family = 'orders' | 'tickets' | 'feedback' | 'conversations' | 'customers';

export interface Figures {
  unit: Unit;
  value: number;
  figures: Record<string, number>;
  rows?: MetricRow[];
  rowUnit?: Unit;
  /** No record of the metric's family in the range. */
  empty: boolean;
  notes: { code: NoteCode; detail?: string }[];
  sample?: { customerId: number; name: string; lastOrderAt: string; orders: number; netCents: number }[];
}

export const METRIC_FAMILY: Record<Metric, Family> = {
  revenue: 'orders', orders: 'orders', aov: 'orders', top_products: 'orders', top_returned_products: 'orders', new_customers: 'orders',
  new_vs_returning: 'orders', repurchase_rate: 'orders', refund_rate: 'orders', refund_amount: 'orders', open_tickets: 'tickets',
  sla_breaches: 'tickets', csat: 'feedback', automation_rate: 'conversations', conversations: 'conversations', customers: 'customers',
  dormant_customers: 'customers',
};

/** Group-bys each metric supports; others are noted and dropped. */
const SALES_GROUPS: GroupBy[] = ['day', 'week', 'month', 'product', 'category', 'region', 'segment'];
const TIME: GroupBy[] = ['day', 'week', 'month'];
export const SUPPORTED_GROUPS: Record<Metric, GroupBy[]> = {
  revenue: SALES_GROUPS, orders: SALES_GROUPS, aov: SALES_GROUPS, refund_rate: SALES_GROUPS, refund_amount: SALES_GROUPS,
  top_products: ['category'], top_returned_products: [], new_customers: TIME, new_vs_returning: [], repurchase_rate: [],
  open_tickets: [], sla_breaches: TIME, csat: [...TIME, 'channel'], automation_rate: [...TIME, 'channel'], conversations: [...TIME, 'channel'],
  customers: ['region', 'segment'], dormant_customers: [],
};

/** Filters each metric applies; others are noted as ignored. */
const ORDER_FILTERS: (keyof FigureFilters)[] = ['status', 'region', 'exception', 'category', 'product', 'segment'];
export const SUPPORTED_FILTERS: Record<Metric, (keyof FigureFilters)[]> = {
  revenue: ORDER_FILTERS, orders: ORDER_FILTERS, aov: ORDER_FILTERS, refund_rate: ORDER_FILTERS, refund_amount: ORDER_FILTERS,
  top_products: ORDER_FILTERS, top_returned_products: ['region', 'category', 'product', 'segment'], new_customers: ['region', 'segment'],
  new_vs_returning: ['region', 'segment'], repurchase_rate: ['region', 'segment'], open_tickets: ['ticketType'], sla_breaches: ['ticketType'],
  csat: ['channel'], automation_rate: ['channel'], conversations: ['channel'], customers: ['region', 'segment'], dormant_customers: [],
};

const share = (a: number, b: number) => (b === 0 ? 0 : a / b);

function salesRow(metric: Metric, r: SalesRow): MetricRow {
  const value = metric === 'orders' ? r.orders : metric === 'aov' ? Math.round(share(r.netCents, r.orders)) : metric === 'refund_rate' ? share(r.refundedCents, r.grossCents)
    : metric === 'refund_amount' ? r.refundedCents : r.netCents;
  return {
    key: r.key, value, ...(r.nameZh ? { name: { zh: r.nameZh, en: r.nameEn ?? r.nameZh } } : {}),
    values: { netCents: r.netCents, grossCents: r.grossCents, refundedCents: r.refundedCents, orders: r.orders, ...(r.units !== undefined ? { units: r.units } : {}) },
  };
}

export async function runMetric(run: MetricRun, ctx: RunContext): Promise<Figures> {
  const { crm, timeZone } = ctx;
  const { metric, filters: f, groupBy } = run;
  const range = run.range as DateRange;
  const notes: Figures['notes'] = [];
  const time = groupBy === 'day' || groupBy === 'week' || groupBy === 'month' ? groupBy : null;
  switch (metric) {
    case 'revenue': case 'orders': case 'aov': case 'refund_rate': case 'refund_amount': {
      const s = await crm.analytics.sales({ range, timeZone, filters: f, groupBy: groupBy as SalesGroup | null });
      const t = s.total;
      const allOrders = Object.values(s.byStatus).reduce((a, b) => a + b, 0);
      const rows = s.rows?.map((r) => salesRow(metric, r));
      const empty = allOrders === 0;
      const base = { empty, notes, ...(rows ? { rows } : {}) };
      if (metric === 'revenue') return { ...base, unit: 'money', value: t.netCents, figures: { grossCents: t.grossCents, refundedCents: t.refundedCents, orders: t.orders } };
      if (metric === 'orders') {
        const value = f.status ? (s.byStatus[f.status] ?? 0) : t.orders;
        return { ...base, unit: 'count', value, figures: { allOrders, cancelled: s.byStatus.cancelled ?? 0, unpaid: s.byStatus.pending_payment ?? 0 } };
      }
      if (metric === 'aov') return { ...base, unit: 'money', value: Math.round(share(t.netCents, t.orders)), figures: { orders: t.orders, netCents: t.netCents, grossAovCents: Math.round(share(t.grossCents, t.orders)) } };
      if (metric === 'refund_rate') {
        return { ...base, unit: 'percent', rowUnit: 'percent', value: share(t.refundedCents, t.grossCents), figures: { refundedCents: t.refundedCents, grossCents: t.grossCents, refundOrders: t.refundOrders, orders: t.orders, orderRate: share(t.refundOrders, t.orders) } };
      }
      return { ...base, unit: 'money', value: t.refundedCents, figures: { refundOrders: t.refundOrders, orders: t.orders, grossCents: t.grossCents } };
    }
    case 'top_products': {
      const limit = run.limit ?? 10;
      const s = await crm.analytics.sales({ range, timeZone, filters: f, groupBy: groupBy === 'category' ? 'category' : 'product' });
      const rows = (s.rows ?? []).filter((r) => r.orders > 0).slice(0, limit).map((r) => ({ ...salesRow('revenue', r), key: r.key }));
      return { unit: 'money', rowUnit: 'money', value: s.total.netCents, figures: { products: s.rows?.length ?? 0, orders: s.total.orders }, rows, empty: Object.keys(s.byStatus).length === 0, notes };
    }
    case 'top_returned_products': {
      const [returned, sales] = await Promise.all([crm.analytics.returnedProducts(range, { filters: f, limit: run.limit ?? 10 }), crm.analytics.sales({ range, timeZone })]);
      const rows = returned.map((r) => ({ key: r.sku, name: { zh: r.nameZh, en: r.nameEn }, value: r.requests, values: { units: r.units, valueCents: r.valueCents } }));
      return { unit: 'count', rowUnit: 'count', value: returned.reduce((a, r) => a + r.requests, 0), figures: { products: returned.length }, rows, empty: Object.keys(sales.byStatus).length === 0 && rows.length === 0, notes };
    }
    case 'new_customers': case 'new_vs_returning': case 'repurchase_rate': {
      const b = await crm.analytics.buyers(range, { filters: f, groupBy: metric === 'new_customers' ? time : null, timeZone });
      const base = { empty: b.buyers === 0 && (await crm.analytics.sales({ range, timeZone })).total.orders === 0, notes };
      if (metric === 'new_customers') {
        return { ...base, unit: 'count', value: b.newCustomers, figures: { buyers: b.buyers, returningCustomers: b.returningCustomers }, ...(b.rows ? { rows: b.rows.map((r) => ({ key: r.key, value: r.newCustomers })) } : {}) };
      }
      if (metric === 'repurchase_rate') return { ...base, unit: 'percent', value: b.repurchaseRate, figures: { buyers: b.buyers, repeatBuyers: b.repeatBuyers } };
      return {
        ...base, unit: 'percent', rowUnit: 'count', value: share(b.newCustomers, b.buyers),
        figures: { buyers: b.buyers, newCustomers: b.newCustomers, returningCustomers: b.returningCustomers, newRevenueCents: b.newRevenueCents, returningRevenueCents: b.returningRevenueCents, newShare: share(b.newCustomers, b.buyers) },
        rows: [
          { key: 'new', value: b.newCustomers, values: { revenueCents: b.newRevenueCents } },
          { key: 'returning', value: b.returningCustomers, values: { revenueCents: b.returningRevenueCents } },
        ],
      };
    }
    case 'open_tickets': {
      const t = await crm.analytics.openTickets({ now: ctx.now, filters: f });
      return { unit: 'count', rowUnit: 'count', value: t.open, figures: { overdue: t.overdue }, rows: t.byType.map((r) => ({ key: r.key, value: r.tickets })), empty: false, notes };
    }
    case 'sla_breaches': {
      const t = await crm.analytics.slaBreaches(range, { now: ctx.now, filters: f, groupBy: time, timeZone });
      return { unit: 'count', value: t.breaches, figures: { tickets: t.tickets, rate: t.rate }, ...(t.rows ? { rows: t.rows.map((r) => ({ key: r.key, value: r.breaches, values: { tickets: r.tickets } })) } : {}), empty: t.tickets === 0, notes };
    }
    case 'csat': {
      const c = await crm.analytics.csat(range, { filters: f, groupBy: groupBy as 'channel' | null, timeZone });
      return { unit: 'percent', rowUnit: 'percent', value: c.rate, figures: { responses: c.responses, average: c.average, satisfied: c.satisfied }, ...(c.rows ? { rows: c.rows.map((r) => ({ key: r.key, value: r.rate, values: { responses: r.responses, average: r.average } })) } : {}), empty: c.responses === 0, notes };
    }
    case 'automation_rate': case 'conversations': {
      const c = await crm.analytics.conversations(range, { filters: f, groupBy: groupBy as 'channel' | null, timeZone });
      if (metric === 'automation_rate' && ctx.now.getTime() - range.to.getTime() < 7 * 86_400_000) notes.push({ code: 'provisional_7_days' });
      const rows = c.rows?.map((r) => ({ key: r.key, value: metric === 'conversations' ? r.conversations : r.automationRate, values: { conversations: r.conversations, automated: r.automated, withHuman: r.withHuman } }));
      const figures = { conversations: c.conversations, automated: c.automated, withHuman: c.withHuman, resolved: c.resolved };
      return metric === 'conversations'
        ? { unit: 'count', value: c.conversations, figures: { ...figures, automationRate: c.automationRate }, ...(rows ? { rows } : {}), empty: c.conversations === 0, notes }
        : { unit: 'percent', rowUnit: 'percent', value: c.automationRate, figures, ...(rows ? { rows } : {}), empty: c.conversations === 0, notes };
    }
    case 'customers': {
      const c = await crm.analytics.customerCount({ filters: f, groupBy: groupBy === 'region' || groupBy === 'segment' ? groupBy : null });
      return { unit: 'count', rowUnit: 'count', value: c.total, figures: {}, ...(c.rows ? { rows: c.rows.map((r) => ({ key: r.key, value: r.customers })) } : {}), empty: false, notes };
    }
    case 'dormant_customers': {
      const d = await crm.analytics.dormantCustomers({ asOf: ctx.now, days: ctx.dormantDays, sampleSize: run.limit ?? 5 });
      return {
        unit: 'count', value: d.count, figures: { days: ctx.dormantDays }, empty: false, notes,
        sample: d.sample.map((s) => ({ customerId: s.customerId, name: s.name, lastOrderAt: s.lastOrderAt.toISOString(), orders: s.orders, netCents: s.netCents })),
      };
    }
  }
}
