/**
 * PLACEHOLDER — to be replaced by the `ask-parser` branch (issue 9, the parser half), which owns
 * this file and its signature. It exists only so the engine half typechecks and can be tried
 * end to end: a handful of keyword rules, no typo handling, no traditional characters, no
 * explicit date ranges. The engine never depends on its behaviour: the service takes the parser
 * as a dependency and the engine's tests build AskQuery objects directly.
 */
import type { AskQuery, Compare, GroupBy, Metric } from './ask-query.js';

export interface ParsedQuestion {
  query: AskQuery;
  reading: { lang: 'zh' | 'en'; periodLabel: string | null; compareLabel: string | null };
}

const DAY = 86_400_000;

function localToday(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

function period(t: string, today: string): { from: string; to: string; label: string } | null {
  const dow = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  const monday = shift(today, -dow);
  const first = `${today.slice(0, 8)}01`;
  const lastMonthEnd = shift(first, -1);
  const y = Number(today.slice(0, 4));
  const rules: [RegExp, () => { from: string; to: string }][] = [
    [/今天|today/, () => ({ from: today, to: today })],
    [/前天/, () => ({ from: shift(today, -2), to: shift(today, -2) })],
    [/昨天|yesterday/, () => ({ from: shift(today, -1), to: shift(today, -1) })],
    [/上周|上星期|last week/, () => ({ from: shift(monday, -7), to: shift(monday, -1) })],
    [/本周|这周|这星期|this week|since monday/, () => ({ from: monday, to: today })],
    [/上个月|上月|last month/, () => ({ from: `${lastMonthEnd.slice(0, 8)}01`, to: lastMonthEnd })],
    [/本月|这个月|this month/, () => ({ from: first, to: today })],
    [/去年|last year/, () => ({ from: `${y - 1}-01-01`, to: `${y - 1}-12-31` })],
    [/今年|this year/, () => ({ from: `${y}-01-01`, to: today })],
    [/近7天|最近7天|过去7天|last 7 days/, () => ({ from: shift(today, -6), to: today })],
    [/近30天|最近30天|过去30天|last 30 days/, () => ({ from: shift(today, -29), to: today })],
  ];
  for (const [re, f] of rules) {
    const m = re.exec(t);
    if (m) return { ...f(), label: m[0] };
  }
  const year = /(\d{4})年(?:(\d{1,2})月)?/.exec(t);
  if (year) {
    const yy = year[1];
    if (!year[2]) return { from: `${yy}-01-01`, to: `${yy}-12-31`, label: year[0] };
    const mm = year[2].padStart(2, '0');
    return { from: `${yy}-${mm}-01`, to: shift(`${Number(mm) === 12 ? Number(yy) + 1 : yy}-${Number(mm) === 12 ? '01' : String(Number(mm) + 1).padStart(2, '0')}-01`, -1), label: year[0] };
  }
  return null;
}

const METRIC_RULES: [RegExp, Metric][] = [
  [/退货.*商品|退货最多|most returned/, 'top_returned_products'], [/卖得最好|热销|畅销|top.*products?|best.?sell/, 'top_products'],
  [/退款率|refund rate/, 'refund_rate'], [/退款|refunds?/, 'refund_amount'], [/客单价|aov|average order/, 'aov'],
  [/复购|repurchase|repeat/, 'repurchase_rate'], [/新老客|new vs returning/, 'new_vs_returning'], [/新客|new customers?/, 'new_customers'],
  [/沉睡|dormant/, 'dormant_customers'], [/未结工单|未处理工单|open tickets?/, 'open_tickets'], [/超时|sla/, 'sla_breaches'],
  [/满意度|csat/, 'csat'], [/机器人|自动化|automation/, 'automation_rate'], [/会话|conversations?/, 'conversations'],
  [/客户数|多少客户|customers/, 'customers'], [/订单数|多少单|单量|orders/, 'orders'], [/销售额|营业额|卖了多少|revenue|sales/, 'revenue'],
];
const GROUP_RULES: [RegExp, GroupBy][] = [
  [/按天|每天|by day|daily/, 'day'], [/按周|每周|by week|weekly/, 'week'], [/按月|每月|by month|monthly/, 'month'],
  [/按商品|by product/, 'product'], [/按品类|按类目|by category/, 'category'], [/按地区|按省|by region/, 'region'],
  [/按分群|by segment/, 'segment'], [/按渠道|by channel/, 'channel'],
];
const WRITE = /删除|删掉|清空|修改|更改|改成|新增|添加|创建|发送|群发|\b(delete|remove|drop|update|insert|change|modify|create|send|truncate|cancel)\b/;
const SNAPSHOT: Metric[] = ['open_tickets', 'customers', 'dormant_customers'];

export function parseQuestion(text: string, opts: { now: Date; timeZone: string }): ParsedQuestion {
  const t = text.trim().toLowerCase();
  const lang = /[\u4e00-\u9fff]/.test(text) ? 'zh' : 'en';
  const reading = { lang, periodLabel: null, compareLabel: null } as ParsedQuestion['reading'];
  if (!t) return { query: { kind: 'unsupported', reason: 'empty' }, reading };
  if (WRITE.test(t)) return { query: { kind: 'unsupported', reason: 'write_request' }, reading };
  const today = localToday(opts.now, opts.timeZone);
  const p = period(t, today);
  const order = /\b(sd\d{10})\b/i.exec(text)?.[1]?.toUpperCase();
  if (order) return { query: { kind: 'lookup', lookup: /物流|轨迹|timeline|tracking/.test(t) ? 'order_timeline' : 'order', customer: null, order, from: null, to: null, filters: {} }, reading };
  if (/异常|exception/.test(t) && /订单|orders?/.test(t)) {
    return { query: { kind: 'lookup', lookup: 'orders', customer: null, order: null, from: p?.from ?? null, to: p?.to ?? null, filters: { exception: 'any' } }, reading: { ...reading, periodLabel: p?.label ?? null } };
  }
  const phone = /\b1[3-9]\d{9}\b/.exec(t)?.[0];
  const email = /[^\s@]+@[^\s@]+\.[^\s@]+/.exec(t)?.[0];
  const owner = /^(.{1,20}?)(?:的订单|的工单|的资料)$/.exec(text.trim())?.[1] ?? /^(.{1,40}?)'s (orders|tickets)$/i.exec(text.trim())?.[1];
  if (phone || email || owner) {
    const lookup = /工单|tickets/.test(t) ? 'customer_tickets' : /订单|orders/.test(t) ? 'customer_orders' : 'customer';
    const customer = phone ? { phone } : email ? { email } : { name: owner! };
    return { query: { kind: 'lookup', lookup, customer, order: null, from: null, to: null, filters: {} }, reading };
  }
  const metric = METRIC_RULES.find(([re]) => re.test(t))?.[1];
  if (!metric) return { query: { kind: 'unsupported', reason: 'not_understood' }, reading };
  const compare: Compare | null = /同比|same .*last year|previous year/.test(t) ? 'previous_year' : /环比|vs|versus|compared|比上|the week before|the month before/.test(t) ? 'previous_period' : null;
  const groupBy = GROUP_RULES.find(([re]) => re.test(t))?.[1] ?? null;
  const n = /(?:前|top\s*)(\d{1,3})|(\d{1,3})\s*(?:个|款|名)/.exec(t);
  const limit = n ? Math.min(Number(n[1] ?? n[2]), 100) || null : null;
  const snapshot = SNAPSHOT.includes(metric);
  const span = snapshot ? null : p ?? { from: shift(today, -29), to: today, label: lang === 'zh' ? '近30天' : 'last 30 days' };
  return {
    query: { kind: 'metric', metric, from: span?.from ?? null, to: span?.to ?? null, groupBy, compare, limit, filters: {} },
    reading: { lang, periodLabel: span?.label ?? null, compareLabel: null },
  };
}
