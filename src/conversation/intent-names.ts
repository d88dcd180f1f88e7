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

/** Which intents start a multi-turn flow is declared by the flows themselves (flows/flow-registry.ts). */

/** The built-in intents as a list (knowledge-base/intents/<name>.yml trains each one). */
export const INTENT_NAMES = Object.values(INTENTS) as readonly BuiltInIntent[];
export type IntentName = BuiltInIntent;
/** The fallback intent for anything that is not about the shop. */
export const OUT_OF_SCOPE = INTENTS.outOfScope;
