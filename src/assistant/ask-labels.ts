import { RFM_SEGMENTS } from '../crm/crm-constants.js';
import type { GroupBy, Metric } from './ask-query.js';

/** Names the assistant shows, zh and en, and the maps that bring a filter value to the CRM's code. */
export type Lang = 'zh' | 'en';
export type Label = { zh: string; en: string };

export const METRIC_LABELS: Record<Metric, Label> = {
  revenue: { zh: '销售额', en: 'Revenue' },
  orders: { zh: '订单数', en: 'Orders' },
  aov: { zh: '客单价', en: 'Average order value' },
  top_products: { zh: '热销商品', en: 'Top products' },
  top_returned_products: { zh: '退货最多的商品', en: 'Most returned products' },
  new_customers: { zh: '新客户数', en: 'New customers' },
  new_vs_returning: { zh: '新老客户', en: 'New vs returning customers' },
  repurchase_rate: { zh: '复购率', en: 'Repurchase rate' },
  refund_rate: { zh: '退款率', en: 'Refund rate' },
  refund_amount: { zh: '退款金额', en: 'Refunds' },
  open_tickets: { zh: '未结工单', en: 'Open tickets' },
  sla_breaches: { zh: '超时工单(SLA)', en: 'SLA breaches' },
  csat: { zh: '满意度(CSAT)', en: 'CSAT' },
  automation_rate: { zh: '机器人独立解决率', en: 'Automation rate' },
  conversations: { zh: '会话数', en: 'Conversations' },
  customers: { zh: '客户总数', en: 'Customers' },
  dormant_customers: { zh: '沉睡客户', en: 'Dormant customers' },
};

export const GROUP_LABELS: Record<GroupBy, Label> = {
  day: { zh: '按天', en: 'by day' }, week: { zh: '按周', en: 'by week' }, month: { zh: '按月', en: 'by month' },
  product: { zh: '按商品', en: 'by product' }, category: { zh: '按品类', en: 'by category' }, region: { zh: '按地区', en: 'by region' },
  segment: { zh: '按客户分群', en: 'by segment' }, channel: { zh: '按渠道', en: 'by channel' },
};

export const CATEGORY_LABELS: Record<string, Label> = {
  clothing: { zh: '服装', en: 'Clothing' }, shoes: { zh: '鞋靴', en: 'Shoes' }, electronics: { zh: '数码电子', en: 'Electronics' },
  home: { zh: '家居', en: 'Home' }, beauty: { zh: '美妆', en: 'Beauty' }, food: { zh: '食品', en: 'Food' },
  personal_care: { zh: '个护', en: 'Personal care' }, gift_card: { zh: '礼品卡', en: 'Gift cards' }, sports: { zh: '运动户外', en: 'Sports' },
  baby: { zh: '母婴', en: 'Baby' }, books: { zh: '图书', en: 'Books' },
};

export const STATUS_LABELS: Record<string, Label> = {
  pending_payment: { zh: '待付款', en: 'awaiting payment' }, paid: { zh: '已付款', en: 'paid' }, processing: { zh: '处理中', en: 'processing' },
  shipped: { zh: '已发货', en: 'shipped' }, delivered: { zh: '已签收', en: 'delivered' }, completed: { zh: '已完成', en: 'completed' },
  cancelled: { zh: '已取消', en: 'cancelled' }, refunded: { zh: '已退款', en: 'refunded' }, partially_refunded: { zh: '部分退款', en: 'partly refunded' },
  open: { zh: '待处理', en: 'open' }, in_progress: { zh: '处理中', en: 'in progress' }, waiting_customer: { zh: '等待客户', en: 'waiting for customer' },
  resolved: { zh: '已解决', en: 'resolved' }, closed: { zh: '已关闭', en: 'closed' }, waiting: { zh: '排队中', en: 'waiting' },
};

export const TICKET_TYPE_LABELS: Record<string, Label> = {
  return: { zh: '退货', en: 'return' }, refund: { zh: '退款', en: 'refund' }, exchange: { zh: '换货', en: 'exchange' }, cancel: { zh: '取消订单', en: 'cancellation' },
  address_change: { zh: '改地址', en: 'address change' }, complaint: { zh: '投诉', en: 'complaint' }, inquiry: { zh: '咨询', en: 'inquiry' }, handoff: { zh: '转人工', en: 'handoff' },
};

export const EVENT_LABELS: Record<string, Label> = {
  created: { zh: '下单', en: 'placed' }, paid: { zh: '付款', en: 'paid' }, processing: { zh: '备货', en: 'processing' }, shipped: { zh: '发货', en: 'shipped' },
  in_transit: { zh: '运输中', en: 'in transit' }, out_for_delivery: { zh: '派送中', en: 'out for delivery' }, delivered: { zh: '签收', en: 'delivered' },
  completed: { zh: '确认收货', en: 'completed' }, cancelled: { zh: '取消', en: 'cancelled' }, payment_failed: { zh: '支付失败', en: 'payment failed' },
  shipment_delayed: { zh: '发货延迟', en: 'shipment delayed' }, lost: { zh: '包裹丢失', en: 'parcel lost' }, damaged: { zh: '商品破损', en: 'damaged' },
  address_changed: { zh: '修改地址', en: 'address changed' }, customs_hold: { zh: '海关扣留', en: 'held at customs' }, delivery_failed: { zh: '派送失败', en: 'delivery failed' },
  return_requested: { zh: '申请退货', en: 'return requested' }, returned: { zh: '退货入库', en: 'returned' }, refunded: { zh: '退款', en: 'refunded' },
  partially_refunded: { zh: '部分退款', en: 'partly refunded' },
};

export const CHANNEL_LABELS: Record<string, Label> = {
  web: { zh: '网页聊天', en: 'web chat' }, rest: { zh: 'API', en: 'API' }, terminal: { zh: '终端', en: 'terminal' }, wechat: { zh: '微信', en: 'WeChat' }, wechaty: { zh: '个人微信', en: 'WeChat (personal account)' },
  email: { zh: '邮件', en: 'e-mail' }, slack: { zh: 'Slack', en: 'Slack' }, teams: { zh: 'Teams', en: 'Teams' },
};

export const LIFECYCLE_LABELS: Record<string, Label> = {
  lead: { zh: '潜在客户', en: 'lead' }, new: { zh: '新客户', en: 'new' }, active: { zh: '活跃', en: 'active' },
  at_risk: { zh: '有流失风险', en: 'at risk' }, dormant: { zh: '沉睡', en: 'dormant' }, churned: { zh: '已流失', en: 'churned' },
};

export const SEGMENT_LABELS: Record<string, Label> = Object.fromEntries(Object.entries(RFM_SEGMENTS).map(([k, v]) => [k, { zh: v.zh, en: v.en }]));

/** A label for a code, else the code itself; null shows as "unknown". */
export function labelOf(table: Record<string, Label>, key: string | null, lang: Lang): string {
  if (key === null) return lang === 'zh' ? '未知' : 'unknown';
  return table[key]?.[lang] ?? key;
}

/** The code whose key or zh/en label equals the text (case- and space-insensitive), if any. */
export function codeOf(table: Record<string, Label>, text: string): string | undefined {
  const t = text.trim().toLowerCase().replace(/[\s_-]+/g, '');
  for (const [key, label] of Object.entries(table)) {
    if ([key, label.zh, label.en].some((x) => x.toLowerCase().replace(/[\s_-]+/g, '') === t)) return key;
  }
  return undefined;
}
