import { spanLabel } from './ask-dates.js';
import { count, labelWord, localDateTime, localDay, money } from './ask-format.js';
import { CHANNEL_LABELS, EVENT_LABELS, labelOf, LIFECYCLE_LABELS, SEGMENT_LABELS, STATUS_LABELS, TICKET_TYPE_LABELS, type Lang } from './ask-labels.js';
import type { CustomerSummary, LookupResult } from './ask-result.js';
import type { RenderContext } from './ask-renderer.js';

/** Customers, orders, tickets and timelines as short text; contact data arrives already masked per role. */
const REF_WORD: Record<NonNullable<LookupResult['ref']>['kind'], { zh: string; en: string }> = {
  name: { zh: '名为', en: 'named' }, phone: { zh: '手机号为', en: 'with phone' }, email: { zh: '邮箱为', en: 'with e-mail' }, order: { zh: '订单号', en: 'for order' },
};

function contact(c: { phone: string | null; email: string | null }): string {
  return [c.phone, c.email].filter(Boolean).join(' · ');
}

function customerLine(c: CustomerSummary, lang: Lang, tz: string): string {
  const place = [c.region, c.city].filter(Boolean).join(' ');
  // `orders` counts paid orders (a pending or cancelled one is in the list below, not in the count)
  const orders = lang === 'zh' ? `已付款 ${count(c.orders)} 单` : `${count(c.orders)} paid orders`;
  const last = c.lastOrderAt ? (lang === 'zh' ? `，最近 ${localDay(c.lastOrderAt, tz)}` : `, last ${localDay(c.lastOrderAt, tz)}`) : '';
  return `${c.name} (#${c.id})${contact(c) ? ` ${contact(c)}` : ''}${place ? ` · ${place}` : ''} · ${orders}${last}`;
}

export function renderLookup(r: LookupResult, ctx: RenderContext): string {
  const lang = ctx.reading.lang;
  const zh = lang === 'zh';
  const tz = ctx.timeZone;
  const ref = r.ref ? `${REF_WORD[r.ref.kind][lang]} “${r.ref.value}”` : '';
  if (r.lookup === 'orders') return renderOrderList(r, ctx);
  if (r.status === 'not_found') {
    if (r.lookup === 'order' || r.lookup === 'order_timeline') return zh ? `没有找到订单 ${r.ref?.value ?? ''}。` : `No order ${r.ref?.value ?? ''} was found.`;
    return zh ? `没有找到${ref}的客户。可以换成手机号、邮箱或订单号再试。` : `No customer ${ref} was found. Try a phone number, e-mail or order number.`;
  }
  if (r.status === 'ambiguous') {
    const list = (r.matches ?? []).map((c, i) => `${i + 1}. ${customerLine(c, lang, tz)}`);
    const more = (r.matches?.length ?? 0) >= 5 ? [zh ? '（可能还有更多）' : '(there may be more)'] : [];
    return [zh ? `有 ${r.matches?.length ?? 0} 位客户${ref}，请问是哪一位？（回复手机号、邮箱或订单号）` : `${r.matches?.length ?? 0} customers ${ref} — which one? (reply with a phone, e-mail or order number)`, ...list, ...more].join('\n');
  }
  if (r.order) return renderOrder(r, ctx);
  const c = r.customer!;
  const lines = [zh ? `客户：${customerLine(c, lang, tz)}` : `Customer: ${customerLine(c, lang, tz)}`];
  lines.push(zh ? `分群：${c.segment ? labelOf(SEGMENT_LABELS, c.segment, lang) : '未评分'} · 阶段：${labelOf(LIFECYCLE_LABELS, c.lifecycleStage, lang)}` : `Segment: ${c.segment ? labelOf(SEGMENT_LABELS, c.segment, lang) : 'not scored'} · stage: ${labelOf(LIFECYCLE_LABELS, c.lifecycleStage, lang)}`);
  if (r.orders) {
    lines.push(r.lookup === 'customer_orders' ? (zh ? `订单（最近 ${r.orders.length} 单）：` : `Orders (latest ${r.orders.length}):`) : zh ? '最近订单：' : 'Recent orders:');
    if (!r.orders.length) lines.push(zh ? '  （没有订单）' : '  (no orders)');
    for (const o of r.orders) lines.push(`  ${o.orderNumber}  ${labelOf(STATUS_LABELS, o.status, lang)}  ${money(o.totalCents, o.currency)}  ${localDay(o.placedAt, tz)}`);
  }
  if (r.tickets) {
    lines.push(zh ? '工单：' : 'Tickets:');
    if (!r.tickets.length) lines.push(zh ? '  （没有工单）' : '  (no tickets)');
    for (const t of r.tickets) lines.push(`  ${t.number}  ${labelOf(TICKET_TYPE_LABELS, t.type, lang)}  ${labelOf(STATUS_LABELS, t.status, lang)}${t.order ? `  ${t.order}` : ''}  ${localDay(t.createdAt, tz)}`);
  }
  if (r.conversations) {
    lines.push(zh ? '最近会话：' : 'Recent conversations:');
    if (!r.conversations.length) lines.push(zh ? '  （没有会话）' : '  (none)');
    for (const cv of r.conversations) lines.push(`  #${cv.id}  ${labelOf(CHANNEL_LABELS, cv.channel, lang)}  ${labelOf(STATUS_LABELS, cv.status, lang)}  ${count(cv.messages)}${zh ? ' 条消息' : ' messages'}  ${localDateTime(cv.lastActivityAt, tz)}`);
  }
  return lines.join('\n');
}

function renderOrder(r: LookupResult, ctx: RenderContext): string {
  const lang = ctx.reading.lang;
  const zh = lang === 'zh';
  const tz = ctx.timeZone;
  const o = r.order!;
  const refunded = o.refundedCents ? (zh ? `，已退 ${money(o.refundedCents, o.currency)}` : `, ${money(o.refundedCents, o.currency)} refunded`) : '';
  const lines = [
    zh ? `订单 ${o.orderNumber} · ${labelOf(STATUS_LABELS, o.status, lang)} · ${money(o.totalCents, o.currency)}${refunded} · ${localDateTime(o.placedAt, tz)} 下单`
      : `Order ${o.orderNumber} · ${labelOf(STATUS_LABELS, o.status, lang)} · ${money(o.totalCents, o.currency)}${refunded} · placed ${localDateTime(o.placedAt, tz)}`,
    `${zh ? '客户' : 'Customer'}：${o.customer.name} (#${o.customer.id})${contact(o.customer) ? ` ${contact(o.customer)}` : ''}`.replace('：', zh ? '：' : ': '),
    `${zh ? '商品' : 'Items'}${zh ? '：' : ': '}${o.items.map((i) => `${i.name} ×${i.quantity}`).join('，')}`,
  ];
  const ship = [o.ship.name, o.ship.phone, [o.ship.region, o.ship.city].filter(Boolean).join(' '), o.ship.carrier, o.ship.trackingNumber].filter(Boolean).join(' · ');
  if (ship) lines.push(`${zh ? '收货/物流：' : 'Shipping: '}${ship}`);
  const exceptions = o.events.filter((e) => e.isException);
  if (r.lookup === 'order_timeline' || exceptions.length) {
    const shown = r.lookup === 'order_timeline' ? o.events : exceptions;
    lines.push(r.lookup === 'order_timeline' ? (zh ? '轨迹：' : 'Timeline:') : zh ? '异常：' : 'Exceptions:');
    if (!shown.length) lines.push(zh ? '  （没有记录）' : '  (nothing recorded)');
    for (const e of shown) lines.push(`  ${localDateTime(e.at, tz)}  ${e.isException ? '⚠ ' : ''}${labelOf(EVENT_LABELS, e.type, lang)}${e.detail ? `  ${e.detail.slice(0, 80)}` : ''}`);
  } else {
    const last = o.events.at(-1);
    if (last) lines.push(`${zh ? '最新：' : 'Latest: '}${localDateTime(last.at, tz)} ${labelOf(EVENT_LABELS, last.type, lang)}`);
  }
  if (o.tickets.length) lines.push(`${zh ? '工单：' : 'Tickets: '}${o.tickets.map((t) => `${t.number} ${labelOf(TICKET_TYPE_LABELS, t.type, lang)} ${labelOf(STATUS_LABELS, t.status, lang)}`).join('，')}`);
  return lines.join('\n');
}

function renderOrderList(r: LookupResult, ctx: RenderContext): string {
  const lang = ctx.reading.lang;
  const zh = lang === 'zh';
  const span = r.span ? spanLabel(r.span, lang, ctx.currentYear) : zh ? '全部' : 'all time';
  const word = labelWord(ctx.reading.periodLabel);
  const period = word ? (zh ? `${word}(${span})` : `${word} (${span})`) : span;
  const orders = r.orders ?? [];
  const head = zh ? `${period} 的订单：共 ${count(r.total ?? 0)} 单${orders.length < (r.total ?? 0) ? `（显示最近 ${orders.length} 单）` : ''}` : `Orders, ${period}: ${count(r.total ?? 0)}${orders.length < (r.total ?? 0) ? ` (latest ${orders.length} shown)` : ''}`;
  const lines = [head];
  for (const o of orders) {
    const ex = o.exceptions?.length ? `  ⚠ ${o.exceptions.map((e) => labelOf(EVENT_LABELS, e.type, lang)).join(', ')}` : '';
    lines.push(`  ${o.orderNumber}  ${labelOf(STATUS_LABELS, o.status, lang)}  ${money(o.totalCents, o.currency)}  ${localDay(o.placedAt, ctx.timeZone)}  ${o.customer?.name ?? ''}${ex}`);
  }
  return lines.join('\n');
}
