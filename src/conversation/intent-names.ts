/** Built-in intent names (shops may add more in knowledge-base/intents/*.yml). */
export const INTENTS = {
  greeting: 'greeting',
  thanksGoodbye: 'thanks_goodbye',
  orderStatus: 'order_status',
  cancelOrder: 'cancel_order',
  changeOrder: 'change_order',
  returnRefund: 'return_refund',
  exchange: 'exchange',
  refundStatus: 'refund_status',
  invoice: 'invoice',
  shippingInfo: 'shipping_info',
  paymentIssue: 'payment_issue',
  productQuestion: 'product_question',
  promotion: 'promotion',
  complaint: 'complaint',
  humanAgent: 'human_agent',
  account: 'account',
  outOfScope: 'out_of_scope',
} as const;
export type BuiltInIntent = (typeof INTENTS)[keyof typeof INTENTS];

/** Intents that start a multi-turn flow rather than get an FAQ answer. */
export const FLOW_INTENTS: readonly string[] = [INTENTS.orderStatus, INTENTS.cancelOrder, INTENTS.changeOrder, INTENTS.returnRefund, INTENTS.exchange];
