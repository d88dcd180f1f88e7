import type { OrderView } from '../../crm/index.js';
import type { Lang } from './reply-texts.js';

const STATUS: Record<string, { zh: string; en: string }> = {
  pending_payment: { zh: '待付款', en: 'awaiting payment' },
  paid: { zh: '已付款，待发货', en: 'paid, preparing to ship' },
  processing: { zh: '仓库处理中', en: 'being prepared' },
  shipped: { zh: '已发货，运输中', en: 'shipped, on the way' },
  delivered: { zh: '已签收', en: 'delivered' },
  completed: { zh: '已完成', en: 'completed' },
  cancelled: { zh: '已取消', en: 'cancelled' },
  refunded: { zh: '已退款', en: 'refunded' },
  partially_refunded: { zh: '部分退款', en: 'partly refunded' },
};

const EVENT: Record<string, { zh: string; en: string }> = {
  created: { zh: '下单', en: 'Order placed' }, paid: { zh: '付款成功', en: 'Payment received' },
  processing: { zh: '仓库处理', en: 'Being prepared' }, shipped: { zh: '已发货', en: 'Shipped' },
  in_transit: { zh: '运输中', en: 'In transit' }, out_for_delivery: { zh: '派送中', en: 'Out for delivery' },
  delivered: { zh: '已签收', en: 'Delivered' }, completed: { zh: '交易完成', en: 'Completed' },
  cancelled: { zh: '已取消', en: 'Cancelled' }, payment_failed: { zh: '付款失败', en: 'Payment failed' },
  shipment_delayed: { zh: '发货延迟', en: 'Shipment delayed' }, lost: { zh: '包裹丢失', en: 'Parcel lost' },
  damaged: { zh: '包裹破损', en: 'Parcel damaged' }, address_changed: { zh: '地址已修改', en: 'Address changed' },
  customs_hold: { zh: '海关查验', en: 'Held at customs' }, delivery_failed: { zh: '派送失败', en: 'Delivery attempt failed' },
  return_requested: { zh: '申请退货', en: 'Return requested' }, returned: { zh: '退货已收到', en: 'Return received' },
  refunded: { zh: '已退款', en: 'Refunded' }, partially_refunded: { zh: '部分退款', en: 'Partly refunded' },
};

const EXCEPTION_EXPLAINED: Record<string, { zh: string; en: string }> = {
  payment_failed: { zh: '这笔订单付款没有成功，请在订单页重新支付，或换一种支付方式。', en: 'The payment for this order did not go through. Please pay again from the order page or use another payment method.' },
  shipment_delayed: { zh: '抱歉，这个订单发货延迟了，仓库正在加急处理，预计 1–3 天内发出。', en: 'Sorry, this order is delayed at the warehouse. We are rushing it and expect it to ship within 1–3 days.' },
  lost: { zh: '很抱歉，快递公司反馈包裹丢失。我们会为您补发或全额退款，客服会联系您确认。', en: 'We are sorry: the courier reports the parcel as lost. We will resend it or refund you in full; a person will contact you.' },
  damaged: { zh: '快递反馈包裹破损，请拍照后申请退换货，运费由我们承担。', en: 'The courier reports the parcel damaged. Please take photos and start a return; we cover the postage.' },
  customs_hold: { zh: '包裹正在海关查验，通常需要 3–7 个工作日，清关后会继续配送。', en: 'The parcel is being checked by customs, usually 3–7 working days, then delivery continues.' },
  delivery_failed: { zh: '快递派送未成功，快递员会再次派送，您也可以联系快递预约时间。', en: 'The courier could not deliver it. They will try again, or you can arrange a time with them.' },
};

export function money(cents: number, currency: string): string {
  const symbol = currency === 'CNY' ? '¥' : currency === 'USD' ? '$' : currency === 'EUR' ? '€' : currency === 'GBP' ? '£' : `${currency} `;
  return `${symbol}${(cents / 100).toFixed(2)}`;
}

export function statusText(status: string, lang: Lang): string {
  return STATUS[status]?.[lang] ?? status;
}

/** An order status shown in one language, said in `lang` (unknown text is kept). */
export function translateStatusText(text: string, lang: Lang): string {
  const entry = Object.values(STATUS).find((s) => s.zh === text || s.en === text);
  return entry ? entry[lang] : text;
}

export function formatDate(d: Date, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
}

/** The order card's fields: status, carrier and tracking, and the timeline in plain words. */
export function orderFields(o: OrderView, lang: Lang, timeZone: string): { label: string; value: string }[] {
  const zh = lang === 'zh';
  const fields = [
    { label: zh ? '状态' : 'Status', value: statusText(o.status, lang) },
    { label: zh ? '金额' : 'Total', value: money(o.totalCents, o.currency) },
    { label: zh ? '商品' : 'Items', value: o.items.map((i) => `${i.name} ×${i.quantity}`).join(zh ? '，' : ', ') },
  ];
  if (o.carrier) fields.push({ label: zh ? '快递' : 'Carrier', value: o.carrier });
  if (o.trackingNumber) fields.push({ label: zh ? '运单号' : 'Tracking', value: o.trackingNumber });
  const timeline = o.events.slice(-5).map((e) => `${formatDate(e.at, lang, timeZone)} ${eventLabel(o, e, lang)}`);
  if (timeline.length) fields.push({ label: zh ? '物流进度' : 'Timeline', value: timeline.join('\n') });
  return fields;
}

/** Once the parcel left the warehouse a delay is the courier's, not the warehouse's. */
const DELAYED_IN_TRANSIT = {
  zh: '抱歉，包裹在运输途中延迟了，快递正在加紧处理，预计比原计划晚 1–3 天送达。',
  en: 'Sorry, the parcel has been delayed in transit. The courier is on it, and we expect it 1–3 days later than planned.',
};

const shippedBefore = (o: OrderView, at: Date) => Boolean(o.shippedAt && o.shippedAt.getTime() <= at.getTime());

export function exceptionText(o: OrderView, lang: Lang): string | undefined {
  const e = o.openException;
  if (!e) return undefined;
  if (e.type === 'shipment_delayed' && shippedBefore(o, e.at)) return DELAYED_IN_TRANSIT[lang];
  return EXCEPTION_EXPLAINED[e.type]?.[lang] ?? EVENT[e.type]?.[lang];
}

function eventLabel(o: OrderView, e: OrderView['events'][number], lang: Lang): string {
  if (e.type === 'shipment_delayed' && shippedBefore(o, e.at)) return lang === 'zh' ? '运输延迟' : 'Delayed in transit';
  return EVENT[e.type]?.[lang] ?? e.type;
}

/**
 * Where the order is, said once: the usual timing, or — when something went wrong — what went
 * wrong instead of the usual timing, so a delayed parcel is never also "usually 2–4 days".
 */
export function orderSummary(o: OrderView, lang: Lang, timeZone: string): string {
  const exception = exceptionText(o, lang);
  if (!exception) return orderHeadline(o, lang, timeZone);
  const zh = lang === 'zh';
  const when = (d: Date | null) => (d ? formatDate(d, lang, timeZone) : '');
  const courier = o.carrier ? (zh ? `（${o.carrier} ${o.trackingNumber ?? ''}）` : ` with ${o.carrier} (${o.trackingNumber ?? ''})`) : '';
  const where = o.status === 'shipped'
    ? (zh ? `订单 ${o.orderNumber} 已于 ${when(o.shippedAt)} 发货${courier}。` : `Order ${o.orderNumber} shipped on ${when(o.shippedAt)}${courier}.`)
    : (zh ? `订单 ${o.orderNumber} 当前状态：${statusText(o.status, lang)}。` : `Order ${o.orderNumber} is ${statusText(o.status, lang)}.`);
  return `${where}${zh ? '' : ' '}${exception}`;
}

/** A one-line summary of where the order is, for the text of the card. */
export function orderHeadline(o: OrderView, lang: Lang, timeZone: string): string {
  const zh = lang === 'zh';
  const when = (d: Date | null) => (d ? formatDate(d, lang, timeZone) : '');
  switch (o.status) {
    case 'shipped':
      return zh ? `订单 ${o.orderNumber} 已于 ${when(o.shippedAt)} 发货，正在运输中${o.carrier ? `（${o.carrier} ${o.trackingNumber ?? ''}）` : ''}，一般 2–4 天送达。` : `Order ${o.orderNumber} shipped on ${when(o.shippedAt)} and is on the way${o.carrier ? ` with ${o.carrier} (${o.trackingNumber ?? ''})` : ''}; it usually arrives in 2–4 days.`;
    case 'delivered':
    case 'completed':
      return zh ? `订单 ${o.orderNumber} 已于 ${when(o.deliveredAt)} 签收。` : `Order ${o.orderNumber} was delivered on ${when(o.deliveredAt)}.`;
    case 'paid':
    case 'processing':
      return zh ? `订单 ${o.orderNumber} 已付款，仓库正在备货，一般 48 小时内发货。` : `Order ${o.orderNumber} is paid and being prepared; it usually ships within 48 hours.`;
    case 'pending_payment':
      return zh ? `订单 ${o.orderNumber} 还未付款，请在 30 分钟内完成支付，否则订单会自动关闭。` : `Order ${o.orderNumber} is awaiting payment. Please pay within 30 minutes or it will close automatically.`;
    default:
      return zh ? `订单 ${o.orderNumber} 当前状态：${statusText(o.status, lang)}。` : `Order ${o.orderNumber} is ${statusText(o.status, lang)}.`;
  }
}
