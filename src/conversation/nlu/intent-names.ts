/** The intents shopdesk understands; knowledge-base/intents/<name>.yml trains each one. */
export const INTENT_NAMES = [
  'greeting',
  'thanks_goodbye',
  'order_status',
  'cancel_order',
  'change_order',
  'return_refund',
  'exchange',
  'refund_status',
  'invoice',
  'shipping_info',
  'payment_issue',
  'product_question',
  'promotion',
  'complaint',
  'human_agent',
  'account',
  'out_of_scope',
] as const;

export type IntentName = (typeof INTENT_NAMES)[number];

/** The fallback intent for anything that is not about the shop. */
export const OUT_OF_SCOPE = 'out_of_scope' satisfies IntentName;
