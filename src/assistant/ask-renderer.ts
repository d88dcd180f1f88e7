import { spanLabel, type Span } from './ask-dates.js';
import { count, formatValue, labelWord, money, percent, signedChange, signedPercent } from './ask-format.js';
import { CATEGORY_LABELS, CHANNEL_LABELS, EVENT_LABELS, GROUP_LABELS, labelOf, METRIC_LABELS, SEGMENT_LABELS, STATUS_LABELS, TICKET_TYPE_LABELS, type Lang } from './ask-labels.js';
import type { AskQuery, MetricQuery } from './ask-query.js';
import type { AskResult, MetricResult, NoticeResult } from './ask-result.js';
import { renderLookup } from './ask-render-lookups.js';
import { renderRows } from './ask-render-rows.js';
import { COUNT_NOUN, fill, HEAD, helpText, NOTE_TEXT, NOTICE_LEAD } from './ask-texts.js';

/** How the parser read the question: its language and the words it saw for the period and comparison. */
export interface AskReading {
  lang: Lang;
  periodLabel: string | null;
  compareLabel: string | null;
}

export interface RenderContext {
  reading: AskReading;
  timeZone: string;
  /** The current year in the shop's zone: dates in it are shown without the year. */
  currentYear: number;
}

/** The text answer: it first echoes how the question was read, then the figures. */
export function renderAnswer(query: AskQuery, result: AskResult, ctx: RenderContext): string {
  if (result.type === 'notice') return renderNotice(query, result, ctx);
  if (result.type === 'lookup') return renderLookup(result, ctx);
  return renderMetric(query as MetricQuery, result, ctx);
}

function filterWords(q: { filters: MetricQuery['filters'] }, lang: Lang): string[] {
  const f = q.filters;
  const words: string[] = [];
  if (f.region) words.push(f.region);
  if (f.category) words.push(labelOf(CATEGORY_LABELS, f.category, lang));
  if (f.product) words.push(f.product);
  if (f.segment) words.push(labelOf(SEGMENT_LABELS, f.segment, lang));
  if (f.status) words.push(labelOf(STATUS_LABELS, f.status, lang));
  if (f.exception) words.push(f.exception === 'any' ? (lang === 'zh' ? '有异常' : 'with exceptions') : labelOf(EVENT_LABELS, f.exception, lang));
  if (f.ticketType) words.push(labelOf(TICKET_TYPE_LABELS, f.ticketType, lang));
  if (f.channel) words.push(labelOf(CHANNEL_LABELS, f.channel, lang));
  return words;
}

/** "本周(12/1–12/3) 销售额" / "Revenue, last week (Nov 24–30)": the reading, echoed. */
export function describeMetric(q: MetricQuery, span: Span | null, ctx: RenderContext, groupBy = q.groupBy): string {
  const lang = ctx.reading.lang;
  const periodLabel = labelWord(ctx.reading.periodLabel);
  const ranked = q.limit && (q.metric === 'top_products' || q.metric === 'top_returned_products');
  const metric = ranked && lang === 'en' ? `Top ${q.limit} ${q.metric === 'top_products' ? 'products' : 'most returned products'}` : METRIC_LABELS[q.metric][lang];
  const dates = span ? spanLabel(span, lang, ctx.currentYear) : null;
  const words = filterWords(q, lang);
  const group = groupBy ? GROUP_LABELS[groupBy][lang] : '';
  const top = ranked && lang === 'zh' ? ` 前${q.limit}` : '';
  if (lang === 'zh') {
    const when = !span ? HEAD.now.zh : periodLabel ? `${periodLabel}(${dates})` : dates;
    return `${when} ${words.length ? `${words.join('·')} ` : ''}${metric}${top}${group ? ` ${group}` : ''}`;
  }
  const when = !span ? HEAD.now.en : periodLabel ? `${periodLabel} (${dates})` : dates;
  return `${metric}${top}${words.length ? ` (${words.join(', ')})` : ''}${group ? ` ${group}` : ''}, ${when}`;
}

/** The breakdown named in the echo: none for a ranking of products (the ranking says it). */
export function shownGroup(q: MetricQuery, r: MetricResult): MetricQuery['groupBy'] {
  return q.metric === 'top_products' && r.groupBy === 'product' ? null : (r.groupBy ?? null);
}

function besideText(r: MetricResult, lang: Lang): string {
  const f = r.figures;
  const m = (c: number) => money(c, r.currency);
  const zh = lang === 'zh';
  switch (r.metric) {
    case 'revenue': return zh ? `总额 ${m(f.grossCents)}，退款 ${m(f.refundedCents)}，共 ${count(f.orders)} 单` : `gross ${m(f.grossCents)}, refunds ${m(f.refundedCents)}, ${count(f.orders)} orders`;
    case 'orders': return zh ? `下单共 ${count(f.allOrders)} 单，其中已取消 ${count(f.cancelled)}、待付款 ${count(f.unpaid)}` : `${count(f.allOrders)} placed in all, ${count(f.cancelled)} cancelled, ${count(f.unpaid)} unpaid`;
    case 'aov': return zh ? `${count(f.orders)} 单，销售额 ${m(f.netCents)}` : `${count(f.orders)} orders, revenue ${m(f.netCents)}`;
    case 'refund_rate': return zh ? `退款 ${m(f.refundedCents)} / 总额 ${m(f.grossCents)}；有退款的订单 ${count(f.refundOrders)}/${count(f.orders)}（${percent(f.orderRate)}）` : `refunds ${m(f.refundedCents)} of gross ${m(f.grossCents)}; ${count(f.refundOrders)} of ${count(f.orders)} orders refunded (${percent(f.orderRate)})`;
    case 'refund_amount': return zh ? `${count(f.refundOrders)} 单有退款，占总额 ${percent(f.grossCents ? (r.value / f.grossCents) : 0)}` : `${count(f.refundOrders)} orders refunded, ${percent(f.grossCents ? r.value / f.grossCents : 0)} of gross`;
    case 'new_customers': return zh ? `购买客户 ${count(f.buyers)} 位，其中老客户 ${count(f.returningCustomers)} 位` : `${count(f.buyers)} buyers, ${count(f.returningCustomers)} of them returning`;
    case 'new_vs_returning': return zh ? `购买客户 ${count(f.buyers)} 位：新客户 ${count(f.newCustomers)} 位（${m(f.newRevenueCents)}），老客户 ${count(f.returningCustomers)} 位（${m(f.returningRevenueCents)}）` : `${count(f.buyers)} buyers: ${count(f.newCustomers)} new (${m(f.newRevenueCents)}), ${count(f.returningCustomers)} returning (${m(f.returningRevenueCents)})`;
    case 'repurchase_rate': return zh ? `购买客户 ${count(f.buyers)} 位中 ${count(f.repeatBuyers)} 位买过两次以上` : `${count(f.repeatBuyers)} of ${count(f.buyers)} buyers have bought twice or more`;
    case 'open_tickets': return zh ? `其中 ${count(f.overdue)} 张已超过 SLA` : `${count(f.overdue)} past their SLA`;
    case 'sla_breaches': return zh ? `共 ${count(f.tickets)} 张工单，超时率 ${percent(f.rate)}` : `of ${count(f.tickets)} tickets opened, ${percent(f.rate)}`;
    case 'csat': return zh ? `${count(f.responses)} 条评价，平均 ${f.average.toFixed(1)} 分，满意（4–5 分）${count(f.satisfied)} 条` : `${count(f.responses)} ratings, average ${f.average.toFixed(1)}, ${count(f.satisfied)} satisfied (4–5)`;
    case 'automation_rate': return zh ? `${count(f.conversations)} 个会话中机器人独立解决 ${count(f.automated)} 个，人工参与 ${count(f.withHuman)} 个` : `the bot alone resolved ${count(f.automated)} of ${count(f.conversations)} conversations; a person took part in ${count(f.withHuman)}`;
    case 'conversations': return zh ? `机器人独立解决 ${count(f.automated)} 个（${percent(f.automationRate)}），人工参与 ${count(f.withHuman)} 个` : `${count(f.automated)} resolved by the bot alone (${percent(f.automationRate)}), ${count(f.withHuman)} with a person`;
    case 'dormant_customers': return zh ? `超过 ${f.days} 天没有下单` : `no order in ${f.days} days`;
    default: return '';
  }
}

function headline(r: MetricResult, lang: Lang): string {
  if (r.metric === 'top_products' || r.metric === 'top_returned_products') return '';
  const noun = r.unit === 'count' ? COUNT_NOUN[r.metric]?.[lang] : r.metric === 'new_vs_returning' ? (lang === 'zh' ? '为新客户' : 'new') : undefined;
  return `${formatValue(r.value, r.unit, r.currency)}${noun ? ` ${noun}` : ''}`;
}

function renderMetric(q: MetricQuery, r: MetricResult, ctx: RenderContext): string {
  const lang = ctx.reading.lang;
  const zh = lang === 'zh';
  const head = describeMetric(q, r.span, ctx, shownGroup(q, r));
  const notes = r.notes.map((n) => fill(NOTE_TEXT[n.code][lang], { detail: n.detail ?? '' }));
  if (r.empty && r.span && (r.firstRecord === null || (r.firstRecord !== undefined && r.span.to < r.firstRecord))) {
    const why = r.firstRecord ? fill(HEAD.recordsStart[lang], { date: r.firstRecord }) : HEAD.noRecords[lang];
    return [`${head}${zh ? '：' : ': '}${HEAD.noData[lang]}${zh ? `（${why}）` : ` (${why})`}`, ...notes].join('\n');
  }
  const lines: string[] = [];
  const value = headline(r, lang);
  const beside = besideText(r, lang);
  if (value) lines.push(`${head}${zh ? ' ' : ': '}${value}${beside ? (zh ? `（${beside}）` : ` (${beside})`) : ''}`);
  else lines.push(`${head}${zh ? '：' : ':'}`);
  if (r.empty) lines.push(zh ? `（${HEAD.zeroInSpan.zh}）` : `(${HEAD.zeroInSpan.en})`);
  if (r.compare) {
    const c = r.compare;
    const label = labelWord(ctx.reading.compareLabel) ?? (c.kind === 'previous_year' ? HEAD.previousYear[lang] : HEAD.previousPeriod[lang]);
    const dates = spanLabel(c.span, lang, ctx.currentYear);
    const rel = c.relative === null ? HEAD.wasZero[lang] : signedPercent(c.relative);
    const then = formatValue(c.value, r.unit, r.currency);
    lines.push(zh ? `${label}（${dates}）：${then}，变化 ${signedChange(c.change, r.unit, r.currency, lang)}（${rel}）` : `${label} (${dates}): ${then}, change ${signedChange(c.change, r.unit, r.currency, lang)} (${rel})`);
  }
  if (r.rows && r.rows.length) lines.push(renderRows(r, ctx));
  else if (r.rows && (q.metric === 'top_products' || q.metric === 'top_returned_products')) lines.push(zh ? '（这段时间没有记录）' : '(nothing in that period)');
  if (r.sample?.length) {
    lines.push(zh ? '最近流失的客户：' : 'Most recently lapsed:');
    for (const s of r.sample) lines.push(`  ${s.name} (#${s.customerId}) · ${s.lastOrderAt.slice(0, 10)} · ${count(s.orders)}${zh ? ' 单' : ' orders'} · ${money(s.netCents, r.currency)}`);
  }
  return [...lines, ...notes].join('\n');
}

/** One line naming a query, for the choices of an ambiguous question. */
export function describeQuery(q: AskQuery, ctx: RenderContext): string {
  if (q.kind === 'metric') return describeMetric(q, q.from && q.to ? { from: q.from, to: q.to } : null, { ...ctx, reading: { ...ctx.reading, periodLabel: null } });
  if (q.kind === 'lookup') {
    const who = q.customer ? Object.values(q.customer)[0] : q.order ?? '';
    const what = { customer: ['客户资料', 'customer'], customer_orders: ['的订单', 'orders of'], customer_tickets: ['的工单', 'tickets of'], order: ['订单', 'order'], order_timeline: ['订单轨迹', 'timeline of order'], orders: ['订单列表', 'orders'] }[q.lookup];
    return ctx.reading.lang === 'zh' ? `${who}${what[0]}` : `${what[1]} ${who}`;
  }
  return '';
}

function renderNotice(query: AskQuery, n: NoticeResult, ctx: RenderContext): string {
  const lang = ctx.reading.lang;
  switch (n.notice) {
    case 'future': {
      const word = labelWord(ctx.reading.periodLabel);
      const dates = n.span ? spanLabel(n.span, lang, ctx.currentYear) : '';
      return fill(HEAD.future[lang], { span: word ? (lang === 'zh' ? `${word}(${dates})` : `${word} (${dates})`) : dates });
    }
    case 'bad_filter': return helpText(lang, fill(HEAD.badFilter[lang], { detail: n.detail ?? '' }));
    case 'missing_reference': return n.detail === 'order' ? NOTICE_LEAD.missing_order[lang] : NOTICE_LEAD.missing_customer[lang];
    case 'not_allowed': return NOTICE_LEAD.not_allowed[lang];
    case 'write_request': return helpText(lang, NOTICE_LEAD.write_request[lang]);
    case 'ambiguous': {
      const choices = query.kind === 'unsupported' ? query.choices ?? [] : [];
      if (choices.length === 0) return helpText(lang, NOTICE_LEAD.not_understood[lang]);
      return [NOTICE_LEAD.ambiguous[lang], ...choices.map((c, i) => `${i + 1}. ${describeQuery(c, ctx)}`)].join('\n');
    }
    case 'empty': return helpText(lang, NOTICE_LEAD.empty[lang]);
    case 'not_understood': return helpText(lang, NOTICE_LEAD.not_understood[lang]);
  }
}
