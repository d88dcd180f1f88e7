import { z } from 'zod';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';
import { INTENTS } from '../intent-names.js';
import { exceptionText, formatDate, orderFields, orderSummary, statusText } from '../replies/order-formatting.js';
import { say } from '../replies/reply-texts.js';
import { defineFlow, END } from './flow-definition.js';
import { done } from './flow-helpers.js';
import { orderSlotStates, OrderSlotsSchema, type OrderFound } from './order-slot.js';

const StatusSlots = OrderSlotsSchema.extend({
  /** "等多久?" about an order just shown: the answer only, not the whole card again. */
  focus: z.literal('eta').optional(),
});
type Slots = z.infer<typeof StatusSlots>;

/** "Where is my order": status, carrier, tracking, timeline and any exception in plain words. */
export const orderStatusFlow = defineFlow<Slots>({
  name: 'order_status',
  about: 'where is my order: status, carrier, tracking, timeline and any exception',
  intents: [INTENTS.orderStatus],
  slots: StatusSlots,
  start: 'start',
  states: orderSlotStates<Slots>({ then: showStatus, thenTo: [END] }),
  // "还没到" while it waits for the digits: the same request, its question asked again
  reaskOnOwnIntent: ['verify'],
});

function showStatus(ctx: TurnContext, slot: OrderFound<Slots>): FlowOutcome {
  const { order, frame } = slot;
  const lang = ctx.u.lang;
  if (slot.via === 'phone_last4') {
    // a guest who proved only the last 4 digits sees where the order is, nothing more
    const last = order.events.at(-1)?.at ?? order.placedAt;
    const title = say(lang, 'statusOnlyTitle', { order: order.orderNumber, status: statusText(order.status, lang) });
    const body = [exceptionText(order, lang), say(lang, 'statusOnlyBody', { when: formatDate(last, lang, ctx.policy.timeZone) })].filter(Boolean).join('\n');
    if (frame.slots.focus === 'eta') return done([{ type: 'text', text: [title, exceptionText(order, lang)].filter(Boolean).join(lang === 'zh' ? '。' : '. ') }], { resolved: {} });
    return done([{ type: 'card', title, body, fields: [{ label: lang === 'zh' ? '状态' : 'Status', value: statusText(order.status, lang) }] }], { resolved: {} });
  }
  const summary = orderSummary(order, lang, ctx.policy.timeZone);
  if (frame.slots.focus === 'eta') return done([{ type: 'text', text: summary }], { resolved: {} });
  const replies: FlowOutcome['replies'] = [{ type: 'card', title: summary, fields: orderFields(order, lang, ctx.policy.timeZone) }];
  if (order.status === 'delivered' || order.status === 'completed') {
    replies.push({ type: 'choices', text: lang === 'zh' ? '还需要其他帮助吗？' : 'Anything else?', choices: [{ label: say(lang, 'startReturn'), payload: `flow:return:${order.orderNumber}` }, { label: say(lang, 'menuHuman'), payload: 'handoff' }] });
  }
  return done(replies, { resolved: {} });
}
