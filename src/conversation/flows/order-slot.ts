import type { OrderView } from '../../crm/index.js';
import type { OrderStatus } from '../../crm/index.js';
import type { Choice } from '../../shared/message-types.js';
import type { FlowFrame } from '../engine/dialogue-state.js';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';
import { statusText } from '../replies/order-formatting.js';
import { say } from '../replies/reply-texts.js';
import { ask, done, handoffChoice, postbackValue } from './flow-helpers.js';

export type OrderSlot = { kind: 'order'; order: OrderView; frame: FlowFrame } | { kind: 'outcome'; outcome: FlowOutcome };

export const ORDER_SLOT_STEPS = ['start', 'pick_order', 'ask_order', 'verify'];

/**
 * Fills the "which order" slot for any flow: from the message, from a choice of the customer's
 * own orders, or from a typed number; an order that is not the customer's needs the last 4
 * digits of the phone on it. Unknown and foreign orders get the same answer, so nothing leaks.
 */
export async function fillOrderSlot(ctx: TurnContext, frame: FlowFrame, listStatuses?: OrderStatus[]): Promise<OrderSlot> {
  const u = ctx.u;
  const lang = u.lang;
  if (frame.step === 'verify') {
    const number = String(frame.slots.pendingOrder ?? '');
    if (!u.phoneLast4) {
      if (u.orderNumbers[0] && u.orderNumbers[0] !== number) return tryNumber(ctx, frame, u.orderNumbers[0]);
      if (frame.retries >= 1) return { kind: 'outcome', outcome: done([{ type: 'choices', text: say(lang, 'orderNotVisible', { order: number }), choices: [handoffChoice(ctx)] }]) };
      return { kind: 'outcome', outcome: { ...ask(ctx, { ...frame, retries: frame.retries + 1 }, 'verify', say(lang, 'askPhoneLast4')) } };
    }
    const access = await ctx.crm.orders.checkAccess(ctx.customerId, number, { phoneLast4: u.phoneLast4 });
    if (access.allowed) return { kind: 'order', order: access.order, frame: { ...frame, slots: { ...frame.slots, orderNumber: number, pendingOrder: undefined } } };
    return { kind: 'outcome', outcome: done([{ type: 'choices', text: say(lang, 'orderNotVisible', { order: number }), choices: [handoffChoice(ctx)] }]) };
  }
  const picked = postbackValue(u, 'order');
  if (picked === '*other') return { kind: 'outcome', outcome: ask(ctx, frame, 'ask_order', say(lang, 'askOrderNumber')) };
  const number = picked ?? u.orderNumbers[0] ?? (typeof frame.slots.orderNumber === 'string' ? frame.slots.orderNumber : undefined);
  if (number) return tryNumber(ctx, frame, number);
  if (frame.step === 'pick_order' || frame.step === 'ask_order') {
    if (/\d{4,}|[a-z]{2}\d+/i.test(u.text) && frame.retries < 2) {
      return { kind: 'outcome', outcome: ask(ctx, { ...frame, retries: frame.retries + 1 }, 'ask_order', say(lang, 'invalidOrderNumber') + '\n' + say(lang, 'askOrderNumber')) };
    }
    return { kind: 'outcome', outcome: { replies: [], frame, notAnAnswer: true } };
  }
  const orders = await ctx.crm.orders.listForCustomer(ctx.customerId, { limit: 5, statuses: listStatuses });
  if (!orders.length) return { kind: 'outcome', outcome: ask(ctx, frame, 'ask_order', say(lang, 'askOrderNumber')) };
  const choices: Choice[] = orders.map((o) => ({ label: `${o.orderNumber} · ${statusText(o.status, lang)}`, payload: `order:${o.orderNumber}` }));
  choices.push({ label: say(lang, 'otherOrder'), payload: 'order:*other' });
  return { kind: 'outcome', outcome: ask(ctx, frame, 'pick_order', frame.flow === 'order_status' ? say(lang, 'pickOrder') : say(lang, 'pickOrderFor'), choices) };
}

async function tryNumber(ctx: TurnContext, frame: FlowFrame, number: string): Promise<OrderSlot> {
  const access = await ctx.crm.orders.checkAccess(ctx.customerId, number);
  if (access.allowed) return { kind: 'order', order: access.order, frame: { ...frame, slots: { ...frame.slots, orderNumber: access.order.orderNumber } } };
  const verifying = { ...frame, retries: 0, slots: { ...frame.slots, pendingOrder: number.toUpperCase(), orderNumber: undefined } };
  return { kind: 'outcome', outcome: ask(ctx, verifying, 'verify', say(ctx.u.lang, 'askPhoneLast4')) };
}
