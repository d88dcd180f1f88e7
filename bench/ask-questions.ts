/**
 * The questions `npm run bench:ask` times, one or more per metric of the catalogue (and the
 * lookups), each with the query it should become. The parser's reading is timed and checked;
 * the end-to-end run uses the intended query when the parser reads it otherwise, so every
 * metric is timed whatever the parser's accuracy (mismatches are counted in the output).
 */
import type { AskQuery, Metric, MetricQuery } from '../src/assistant/ask-query.js';

export interface BenchQuestion {
  /** The metric (or `lookup`) the figure is reported under. */
  metric: Metric | 'lookup';
  text: string;
  query: AskQuery;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const shift = (date: string, days: number) => iso(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));

export function benchQuestions(today: string, sample: { customerName: string; orderNumber: string }): BenchQuestion[] {
  const first = `${today.slice(0, 8)}01`;
  const lastMonthEnd = shift(first, -1);
  const lastMonth = { from: `${lastMonthEnd.slice(0, 8)}01`, to: lastMonthEnd };
  const thisMonth = { from: first, to: today };
  const last30 = { from: shift(today, -29), to: today };
  const thisYear = { from: `${today.slice(0, 4)}-01-01`, to: today };
  const dow = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  const lastWeek = { from: shift(today, -dow - 7), to: shift(today, -dow - 1) };
  const m = (metric: Metric, span: { from: string; to: string } | null, extra: Partial<MetricQuery> = {}): AskQuery =>
    ({ kind: 'metric', metric, from: span?.from ?? null, to: span?.to ?? null, groupBy: null, compare: null, limit: null, filters: {}, ...extra });
  return [
    { metric: 'revenue', text: '上个月销售额环比', query: m('revenue', lastMonth, { compare: 'previous_period' }) },
    { metric: 'revenue', text: '近30天销售额按天', query: m('revenue', last30, { groupBy: 'day' }) },
    { metric: 'revenue', text: 'revenue this year by month', query: m('revenue', thisYear, { groupBy: 'month' }) },
    { metric: 'orders', text: '上周订单数', query: m('orders', lastWeek) },
    { metric: 'orders', text: 'orders last month by category', query: m('orders', lastMonth, { groupBy: 'category' }) },
    { metric: 'aov', text: '本月客单价', query: m('aov', thisMonth) },
    { metric: 'aov', text: 'aov last month by region', query: m('aov', lastMonth, { groupBy: 'region' }) },
    { metric: 'top_products', text: '这个月卖得最好的5个商品', query: m('top_products', thisMonth, { limit: 5 }) },
    { metric: 'top_products', text: 'top 10 products last 30 days', query: m('top_products', last30, { limit: 10 }) },
    { metric: 'top_returned_products', text: '上个月退货最多的商品', query: m('top_returned_products', lastMonth) },
    { metric: 'new_customers', text: '本月新客户', query: m('new_customers', thisMonth) },
    { metric: 'new_customers', text: 'new customers last 30 days by week', query: m('new_customers', last30, { groupBy: 'week' }) },
    { metric: 'new_vs_returning', text: '上个月新老客户', query: m('new_vs_returning', lastMonth) },
    { metric: 'repurchase_rate', text: '近30天复购率', query: m('repurchase_rate', last30) },
    { metric: 'refund_rate', text: '上个月退款率', query: m('refund_rate', lastMonth) },
    { metric: 'refund_rate', text: 'refund rate last 30 days by category', query: m('refund_rate', last30, { groupBy: 'category' }) },
    { metric: 'refund_amount', text: '本月退款金额', query: m('refund_amount', thisMonth) },
    { metric: 'open_tickets', text: '未结工单', query: m('open_tickets', null) },
    { metric: 'sla_breaches', text: '上个月超时工单', query: m('sla_breaches', lastMonth) },
    { metric: 'csat', text: '本月满意度', query: m('csat', thisMonth) },
    { metric: 'csat', text: 'csat last 30 days by channel', query: m('csat', last30, { groupBy: 'channel' }) },
    { metric: 'automation_rate', text: '上周机器人解决率', query: m('automation_rate', lastWeek) },
    { metric: 'conversations', text: '近30天会话数按渠道', query: m('conversations', last30, { groupBy: 'channel' }) },
    { metric: 'customers', text: '客户总数', query: m('customers', null) },
    { metric: 'customers', text: 'customers by region', query: m('customers', null, { groupBy: 'region' }) },
    { metric: 'dormant_customers', text: '沉睡客户', query: m('dormant_customers', null) },
    { metric: 'lookup', text: `${sample.customerName}的订单`, query: { kind: 'lookup', lookup: 'customer_orders', customer: { name: sample.customerName }, order: null, from: null, to: null, filters: {} } },
    { metric: 'lookup', text: `${sample.orderNumber} 物流`, query: { kind: 'lookup', lookup: 'order_timeline', customer: null, order: sample.orderNumber, from: null, to: null, filters: {} } },
    { metric: 'lookup', text: '上个月异常订单', query: { kind: 'lookup', lookup: 'orders', customer: null, order: null, ...lastMonth, filters: { exception: 'any' } } },
  ];
}
