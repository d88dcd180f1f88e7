import { INTENTS } from '../intent-names.js';
import type { Lang } from './reply-texts.js';

/**
 * What an intent is called on a "did you mean…" button. Intents without a label (greeting,
 * thanks, asking for a person, a complaint, out of scope) are never offered as a guess: a person
 * is always one of the choices anyway, and "you want to complain?" is not a guess to make.
 */
const LABELS: Record<string, { zh: string; en: string }> = {
  [INTENTS.orderStatus]: { zh: '查订单物流', en: 'Track an order' },
  [INTENTS.returnRefund]: { zh: '退货退款', en: 'Return or refund' },
  [INTENTS.exchange]: { zh: '换货', en: 'Exchange an item' },
  [INTENTS.cancelOrder]: { zh: '取消订单', en: 'Cancel an order' },
  [INTENTS.changeOrder]: { zh: '修改订单（地址、电话）', en: 'Change an order (address, phone)' },
  [INTENTS.refundStatus]: { zh: '退款进度', en: 'Refund progress' },
  [INTENTS.invoice]: { zh: '发票', en: 'Invoices' },
  [INTENTS.shippingInfo]: { zh: '运费与配送', en: 'Shipping and delivery' },
  [INTENTS.paymentIssue]: { zh: '支付问题', en: 'Payment problems' },
  [INTENTS.productQuestion]: { zh: '商品咨询', en: 'Product questions' },
  [INTENTS.promotion]: { zh: '优惠券与活动', en: 'Coupons and offers' },
  [INTENTS.account]: { zh: '账户与登录', en: 'Account and sign-in' },
};

export function intentLabel(intent: string, lang: Lang): string | undefined {
  return LABELS[intent]?.[lang];
}
