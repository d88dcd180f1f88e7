import type { FlowFrame } from '../engine/dialogue-state.js';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';
import { exceptionText, formatDate, orderFields, orderSummary, statusText } from '../replies/order-formatting.js';
import { say } from '../replies/reply-texts.js';
import { done } from './flow-helpers.js';
import { fillOrderSlot } from './order-slot.js';

/** "Where is my order": status, carrier, tracking, timeline and any exception in plain words. */
export async function runOrderStatusFlow(ctx: TurnContext, frame: FlowFrame): Promise<FlowOutcome> {
  const slot = await fillOrderSlot(ctx, frame);
  if (slot.kind === 'outcome') return slot.outcome;
  const { order } = slot;
  const lang = ctx.u.lang;
  if (slot.via === 'phone_last4') {
    // a guest who proved only the last 4 digits sees where the order is, nothing more
    const last = order.events.at(-1)?.at ?? order.placedAt;
    const title = say(lang, 'statusOnlyTitle', { order: order.orderNumber, status: statusText(order.status, lang) });
    const body = [exceptionText(order, lang), say(lang, 'statusOnlyBody', { when: formatDate(last, lang, ctx.policy.timeZone) })].filter(Boolean).join('\n');
    // "等多久?" about an order just shown: the answer, not the whole card again
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
