import type { Metric } from './ask-query.js';
import type { Lang } from './ask-labels.js';
import type { NoteCode } from './ask-result.js';

/** The assistant's fixed sentences, zh and en. */
export const EXAMPLES: Record<Lang, string[]> = {
  zh: ['上周销售额多少', '这个月卖得最好的5个商品', '本月销售额环比', '近30天退款率', '上个月新客户按周', '现在有多少未结工单', '本周满意度', '张三的订单', '订单 SD2501019002 的物流', '本月有异常的订单'],
  en: ['revenue last week', 'top 5 products this month', 'revenue this month vs last month', 'refund rate last 30 days', 'new customers last month by week', 'open tickets', 'CSAT this week', "Alice Smith's orders", 'timeline of order SD2501019002', 'orders with exceptions this month'],
};

const CAN_DO: Record<Lang, string> = {
  zh: '我可以查询：销售额、订单数、客单价、热销/退货商品、新老客户、复购率、退款、工单与超时、满意度、机器人解决率、会话数、客户数和沉睡客户（可按天/周/月、商品、品类、地区、分群、渠道拆分，支持环比/同比）；也可以查客户、订单和物流轨迹。',
  en: 'I can answer: revenue, orders, average order value, top and most-returned products, new vs returning customers, repurchase rate, refunds, tickets and SLA breaches, CSAT, automation rate, conversations, customers and dormant customers (by day/week/month, product, category, region, segment or channel, vs the previous period or year); and look up customers, orders and their timelines.',
};

export function helpText(lang: Lang, lead: string): string {
  const examples = EXAMPLES[lang].slice(0, 6).map((e) => `  · ${e}`).join('\n');
  return `${lead}\n${CAN_DO[lang]}\n${lang === 'zh' ? '例如：' : 'For example:'}\n${examples}`;
}

export const NOTICE_LEAD = {
  not_understood: { zh: '抱歉，这个问题我没看懂。', en: "Sorry, I didn't understand that question." },
  empty: { zh: '请直接问我一个问题。', en: 'Ask me a question.' },
  write_request: { zh: '我只能查询数据，不能修改、删除或发送任何东西（这个请求没有执行）。', en: "I can only look things up; I can't change, delete or send anything (nothing was done)." },
  not_allowed: {
    zh: '抱歉，客服账号不能查看销售等经营数据。可以查询客户、订单和工单，以及未结工单、超时工单、满意度、机器人解决率和会话数。',
    en: "Sorry, agents can't see sales figures here. You can look up customers, orders and tickets, and ask for open tickets, SLA breaches, CSAT, automation rate and conversations.",
  },
  missing_customer: { zh: '请告诉我客户的姓名、手机号、邮箱或订单号。', en: "Tell me the customer's name, phone, e-mail or an order number." },
  missing_order: { zh: '请告诉我订单号（例如 SD2501019002）。', en: 'Tell me the order number (e.g. SD2501019002).' },
  ambiguous: { zh: '您是想问哪一个？', en: 'Which did you mean?' },
} as const;

export const NOTE_TEXT: Record<NoteCode, { zh: string; en: string }> = {
  clipped_to_today: { zh: '（只统计到今天）', en: '(counted up to today)' },
  snapshot_no_range: { zh: '（这是当前数字，不按日期统计）', en: '(a figure for now; it has no date range)' },
  compare_not_for_snapshot: { zh: '（当前数字没有环比/同比）', en: '(a figure for now has no comparison)' },
  compare_not_for_list: { zh: '（排行榜不做环比/同比）', en: '(rankings are not compared)' },
  group_not_supported: { zh: '（这个指标不能这样拆分，显示总数）', en: "(this figure can't be broken down that way; showing the total)" },
  channel_not_on_orders: { zh: '（订单还没有记录来源渠道，按渠道拆分只适用于会话，显示总数）', en: "(orders don't record their channel yet; by channel applies to conversations; showing the total)" },
  filter_ignored: { zh: '（这个指标不支持该筛选，已忽略）', en: "(that filter doesn't apply to this figure and was ignored)" },
  range_limited: { zh: '（按时间拆分最多十年，从 {detail} 开始）', en: '(breakdowns by time cover at most ten years, from {detail})' },
  provisional_7_days: { zh: '（最近 7 天内解决的会话仍可能被重新打开）', en: '(conversations resolved in the last 7 days may still be reopened)' },
};

/** The noun after a count, per metric. */
export const COUNT_NOUN: Partial<Record<Metric, { zh: string; en: string }>> = {
  orders: { zh: '单', en: 'orders' },
  new_customers: { zh: '位', en: 'customers' },
  open_tickets: { zh: '张', en: 'tickets' },
  sla_breaches: { zh: '张', en: 'tickets' },
  conversations: { zh: '个', en: 'conversations' },
  customers: { zh: '位', en: 'customers' },
  dormant_customers: { zh: '位', en: 'customers' },
  top_returned_products: { zh: '次退货申请', en: 'return requests' },
};

export const HEAD = {
  now: { zh: '当前', en: 'now' },
  noData: { zh: '没有数据', en: 'no data' },
  recordsStart: { zh: '店铺记录从 {date} 开始', en: 'the records start on {date}' },
  noRecords: { zh: '还没有任何记录', en: 'nothing has been recorded yet' },
  zeroInSpan: { zh: '这段时间没有记录', en: 'nothing was recorded in that period' },
  future: { zh: '{span} 还没到，暂时没有数据。', en: "{span} hasn't happened yet, so there is nothing to count." },
  badFilter: { zh: '不认识这个筛选条件：{detail}', en: "I don't know this filter value: {detail}" },
  previousPeriod: { zh: '环比', en: 'vs previous period' },
  previousYear: { zh: '同比', en: 'vs same period last year' },
  wasZero: { zh: '上期为 0', en: 'was 0' },
  more: { zh: '…另有 {n} 行', en: '…{n} more rows' },
} as const;

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
}
