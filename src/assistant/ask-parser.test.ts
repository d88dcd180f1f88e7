import { describe, expect, it } from 'vitest';
import { parseQuestion } from './ask-parser.js';
import { askQuerySchema, type AskQuery } from './ask-query.js';

// Thursday 3 December 2026, 10:00 in Shanghai
const opts = { now: new Date('2026-12-03T10:00:00+08:00'), timeZone: 'Asia/Shanghai' };
const ask = (q: string): AskQuery => parseQuestion(q, opts).query;
const metric = (m: string, from: string | null, to: string | null, extra: Record<string, unknown> = {}) =>
  ({ kind: 'metric', metric: m, from, to, groupBy: null, compare: null, limit: null, filters: {}, ...extra });
const lookup = (l: string, extra: Record<string, unknown> = {}) =>
  ({ kind: 'lookup', lookup: l, customer: null, order: null, from: null, to: null, filters: {}, ...extra });

describe('parseQuestion: metrics', () => {
  it('reads revenue in its everyday words, in Chinese and English', () => {
    for (const q of ['上周销售额多少', 'GMV 上周', '上週銷售額', '上周流水', 'sales last week', 'revenue last wk', 'how much did we sell last week']) {
      expect(ask(q), q).toEqual(metric('revenue', '2026-11-23', '2026-11-29'));
    }
  });

  it('reads each metric of the catalogue', () => {
    expect(ask('今天几单了')).toEqual(metric('orders', '2026-12-03', '2026-12-03'));
    expect(ask('近30天AOV')).toEqual(metric('aov', '2026-11-04', '2026-12-03'));
    expect(ask('上个月新客户数')).toEqual(metric('new_customers', '2026-11-01', '2026-11-30'));
    expect(ask('新老客占比 本月')).toEqual(metric('new_vs_returning', '2026-12-01', '2026-12-03'));
    expect(ask('repeat rate this year')).toEqual(metric('repurchase_rate', '2026-01-01', '2026-12-03'));
    expect(ask('上周退款率')).toEqual(metric('refund_rate', '2026-11-23', '2026-11-29'));
    expect(ask('这个月退了多少钱')).toEqual(metric('refund_amount', '2026-12-01', '2026-12-03'));
    expect(ask('SLA breaches last week')).toEqual(metric('sla_breaches', '2026-11-23', '2026-11-29'));
    expect(ask('本月满意度')).toEqual(metric('csat', '2026-12-01', '2026-12-03'));
    expect(ask('bot resolution rate this month')).toEqual(metric('automation_rate', '2026-12-01', '2026-12-03'));
    expect(ask('chats today')).toEqual(metric('conversations', '2026-12-03', '2026-12-03'));
  });

  it('gives snapshot figures no range, whatever period is named', () => {
    expect(ask('open tickets')).toEqual(metric('open_tickets', null, null));
    expect(ask('一共多少客户')).toEqual(metric('customers', null, null));
    expect(ask('上周沉睡客户')).toEqual(metric('dormant_customers', null, null));
  });

  it('gives all-time questions no range', () => {
    expect(ask('开店以来一共卖了多少钱')).toEqual(metric('revenue', null, null));
    expect(ask('total sales since we opened')).toEqual(metric('revenue', null, null));
  });

  it('covers this month when a metric is asked with no time at all', () => {
    expect(ask('客单价多少')).toEqual(metric('aov', '2026-12-01', '2026-12-03'));
    expect(parseQuestion('revenue', opts).reading).toEqual({ lang: 'en', periodLabel: 'this month (Dec 1–3)', compareLabel: null });
  });

  it('reads top N, breakdowns and comparisons', () => {
    expect(ask('这个月卖得最好的5个商品')).toEqual(metric('top_products', '2026-12-01', '2026-12-03', { limit: 5 }));
    expect(ask('第一季度 热销商品 前５')).toEqual(metric('top_products', '2026-01-01', '2026-03-31', { limit: 5 }));
    expect(ask('top twenty products this year')).toEqual(metric('top_products', '2026-01-01', '2026-12-03', { limit: 20 }));
    expect(ask('best sellers this month')).toEqual(metric('top_products', '2026-12-01', '2026-12-03'));
    expect(ask('近7天營收 每天')).toEqual(metric('revenue', '2026-11-27', '2026-12-03', { groupBy: 'day' }));
    expect(ask('weekly revenue last month')).toEqual(metric('revenue', '2026-11-01', '2026-11-30', { groupBy: 'week' }));
    expect(ask('各省份营业额 今年')).toEqual(metric('revenue', '2026-01-01', '2026-12-03', { groupBy: 'region' }));
    expect(ask('各分群客户数')).toEqual(metric('customers', null, null, { groupBy: 'segment' }));
    expect(ask('上个月 各渠道 机器人解决率')).toEqual(metric('automation_rate', '2026-11-01', '2026-11-30', { groupBy: 'channel' }));
    expect(ask('本月销售额同比')).toEqual(metric('revenue', '2026-12-01', '2026-12-03', { compare: 'previous_year' }));
    expect(ask('revenue last week vs the week before')).toEqual(metric('revenue', '2026-11-23', '2026-11-29', { compare: 'previous_period' }));
  });

  it('reads filters as the CRM keys, and region and product as typed', () => {
    expect(ask('北京 本周 GMV')).toEqual(metric('revenue', '2026-11-30', '2026-12-03', { filters: { region: '北京' } }));
    expect(ask('average order value in California this year')).toEqual(metric('aov', '2026-01-01', '2026-12-03', { filters: { region: 'California' } }));
    expect(ask('electronics revenue last quarter')).toEqual(metric('revenue', '2026-07-01', '2026-09-30', { filters: { category: 'electronics' } }));
    expect(ask('# of orders for running shoes last month')).toEqual(metric('orders', '2026-11-01', '2026-11-30', { filters: { product: 'running shoes' } }));
    expect(ask('重要价值客户的销售额 本月')).toEqual(metric('revenue', '2026-12-01', '2026-12-03', { filters: { segment: 'champions' } }));
    expect(ask('邮件咨询 近7天')).toEqual(metric('conversations', '2026-11-27', '2026-12-03', { filters: { channel: 'email' } }));
    expect(ask('退货工单还剩多少没处理')).toEqual(metric('open_tickets', null, null, { filters: { ticketType: 'return' } }));
    expect(ask('昨天退款的订单有几个')).toEqual(metric('orders', '2026-12-02', '2026-12-02', { filters: { status: 'refunded' } }));
  });

  it('counts orders by status or exception over all time when no period is named', () => {
    expect(ask('待付款的订单有多少')).toEqual(metric('orders', null, null, { filters: { status: 'pending_payment' } }));
    expect(ask('how many orders stuck in customs')).toEqual(metric('orders', null, null, { filters: { exception: 'customs_hold' } }));
  });

  it('survives typos, mixed languages, full-width and traditional characters', () => {
    expect(ask('revnue yesterday')).toEqual(metric('revenue', '2026-12-02', '2026-12-02'));
    expect(ask('ordrs yesterday')).toEqual(metric('orders', '2026-12-02', '2026-12-02'));
    expect(ask('refnud rate last month')).toEqual(metric('refund_rate', '2026-11-01', '2026-11-30'));
    expect(ask('top5商品 this month')).toEqual(metric('top_products', '2026-12-01', '2026-12-03', { limit: 5 }));
    expect(ask('近７天銷售額')).toEqual(metric('revenue', '2026-11-27', '2026-12-03'));
  });
});

describe('parseQuestion: lookups', () => {
  it('finds a customer by name, phone or e-mail and what is asked about them', () => {
    expect(ask('张三的订单')).toEqual(lookup('customer_orders', { customer: { name: '张三' } }));
    expect(ask('张三')).toEqual(lookup('customer', { customer: { name: '张三' } }));
    expect(ask('客户 张三的资料')).toEqual(lookup('customer', { customer: { name: '张三' } }));
    expect(ask('张三的工单')).toEqual(lookup('customer_tickets', { customer: { name: '张三' } }));
    expect(ask('张三上个月的订单')).toEqual(lookup('customer_orders', { customer: { name: '张三' }, from: '2026-11-01', to: '2026-11-30' }));
    expect(ask('13800138000')).toEqual(lookup('customer', { customer: { phone: '13800138000' } }));
    expect(ask('138 0013 8000 的订单')).toEqual(lookup('customer_orders', { customer: { phone: '13800138000' } }));
    expect(ask('１３８００１３８０００ 买了啥')).toEqual(lookup('customer_orders', { customer: { phone: '13800138000' } }));
    expect(ask('who is alice@example.com')).toEqual(lookup('customer', { customer: { email: 'alice@example.com' } }));
    expect(ask('orders for Alice Smith')).toEqual(lookup('customer_orders', { customer: { name: 'Alice Smith' } }));
  });

  it('finds an order, its timeline and its customer by order number', () => {
    expect(ask('SD2501019001')).toEqual(lookup('order', { order: 'SD2501019001' }));
    expect(ask('ＳＤ２５０１０１９０２１')).toEqual(lookup('order', { order: 'SD2501019021' }));
    for (const q of ['SD2501019001 物流', 'sd2501019001到哪了', 'SD2501019001 timeline', 'history of order SD2501019001']) {
      expect(ask(q), q).toEqual(lookup('order_timeline', { order: 'SD2501019001' }));
    }
    expect(ask('whose order is sd2501019001')).toEqual(lookup('customer', { order: 'SD2501019001' }));
  });

  it('lists orders with an exception or status in a range', () => {
    expect(ask('上周有异常的订单')).toEqual(lookup('orders', { from: '2026-11-23', to: '2026-11-29', filters: { exception: 'any' } }));
    expect(ask('orders with exceptions last week')).toEqual(lookup('orders', { from: '2026-11-23', to: '2026-11-29', filters: { exception: 'any' } }));
    expect(ask('delayed orders')).toEqual(lookup('orders', { filters: { exception: 'shipment_delayed' } }));
    expect(ask('list unpaid orders')).toEqual(lookup('orders', { filters: { status: 'pending_payment' } }));
  });
});

describe('parseQuestion: what it does not answer', () => {
  it('refuses requests to change data, in any wording', () => {
    for (const q of ['delete all customers', '删除所有客户', '把SD2501019001改成已发货', 'mark SD2501019021 as shipped', 'close all open tickets', 'cancel order SD2501019001', 'refund them', 'DROP TABLE orders;', '给张三退款', '改价']) {
      expect(ask(q), q).toEqual({ kind: 'unsupported', reason: 'write_request' });
    }
  });

  it('does not take questions about refunds and cancellations for requests', () => {
    expect(ask('how much did we refund this month').kind).toBe('metric');
    expect(ask('refund tickets that breached sla last month').kind).toBe('metric');
    expect(ask('今天取消了多少单')).toEqual(metric('orders', '2026-12-03', '2026-12-03', { filters: { status: 'cancelled' } }));
  });

  it('treats SQL and markup as text it does not understand', () => {
    expect(ask('select * from orders')).toEqual({ kind: 'unsupported', reason: 'not_understood' });
    expect(ask('<script>alert(1)</script>')).toEqual({ kind: 'unsupported', reason: 'not_understood' });
  });

  it('answers empty input, chit-chat and junk without a query', () => {
    expect(ask('')).toEqual({ kind: 'unsupported', reason: 'empty' });
    expect(ask('  \n\t ')).toEqual({ kind: 'unsupported', reason: 'empty' });
    for (const q of ['hi', 'asdfgh', '你是谁', '今天天气怎么样', 'are you even working']) expect(ask(q), q).toEqual({ kind: 'unsupported', reason: 'not_understood' });
  });

  it('offers both readings of "退款" asked alone', () => {
    const q = ask('退款');
    expect(q).toMatchObject({ kind: 'unsupported', reason: 'ambiguous' });
    expect(q.kind === 'unsupported' && q.choices?.map((c) => c.kind === 'metric' && c.metric)).toEqual(['refund_amount', 'refund_rate']);
  });

  it('reads only the start of a 10 KB paste, quickly', () => {
    const long = `上周销售额${'啊'.repeat(10_000)}`;
    const t = performance.now();
    expect(ask(long)).toEqual(metric('revenue', '2026-11-23', '2026-11-29'));
    expect(performance.now() - t).toBeLessThan(200);
  });
});

describe('parseQuestion: contract and echo', () => {
  it('always returns a query the contract accepts', () => {
    for (const q of ['上周销售额', '张三', 'SD2501019001', 'delete all', '', '退款', 'top 5 products', '各品类退款率 同比']) {
      expect(askQuerySchema.safeParse(ask(q)).success, q).toBe(true);
    }
  });

  it('echoes how the period and comparison were read, in the asker\'s language', () => {
    expect(parseQuestion('本周销售额环比', opts).reading).toEqual({ lang: 'zh', periodLabel: '本周(11/30–12/3)', compareLabel: '环比(11/23–11/26)' });
    expect(parseQuestion('revenue last week', opts).reading).toEqual({ lang: 'en', periodLabel: 'last week (Nov 23–29)', compareLabel: null });
    expect(parseQuestion('open tickets', opts).reading.periodLabel).toBeNull();
  });
});
