import { z } from 'zod';
import { isPreShipment } from '../../crm/index.js';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';
import { INTENTS } from '../intent-names.js';
import { money, statusText } from '../replies/order-formatting.js';
import { say, type Phrase } from '../replies/reply-texts.js';
import { defineFlow, END, type FlowFrameOf } from './flow-definition.js';
import { ask, done, handoffChoice } from './flow-helpers.js';
import { createFlowTicket, isUnverified } from './flow-tickets.js';
import { orderSlotStates, OrderSlotsSchema, type OrderFound } from './order-slot.js';

const CancelSlots = OrderSlotsSchema;
type Slots = z.infer<typeof CancelSlots>;

/** Cancel: only before shipping (free of charge); a shipped order is offered the return flow. */
export const cancelOrderFlow = defineFlow<Slots>({
  name: 'cancel',
  about: 'cancel an order that has not shipped (an unpaid one of the owner closes at once); a shipped one is offered a return',
  intents: [INTENTS.cancelOrder],
  slots: CancelSlots,
  start: 'start',
  states: {
    ...orderSlotStates<Slots>({ listStatuses: ['pending_payment', 'paid', 'processing'], action: 'cancel', actsOn: (o) => isPreShipment(o.status), then: offerCancel, thenTo: ['confirm', END] }),
    confirm: { about: 'yes (cancel: at once when unpaid, else a ticket) or no (kept)', to: [END], run: confirm },
  },
});

function offerCancel(ctx: TurnContext, slot: OrderFound<Slots>): FlowOutcome {
  const lang = ctx.u.lang;
  const o = slot.order;
  const p = { order: o.orderNumber, status: statusText(o.status, lang) };
  if (isPreShipment(o.status)) {
    const f = { ...slot.frame, slots: { ...slot.frame.slots, orderId: o.id } };
    const total = money(o.totalCents, o.currency);
    // never paid: nothing to refund, so the question does not promise a refund
    const question: Phrase = slot.via === 'phone_last4' ? { key: 'cancelConfirmShort', params: { order: o.orderNumber } }
      : o.status === 'pending_payment' ? { key: 'cancelUnpaidConfirm', params: { order: o.orderNumber, total } }
      : { key: 'cancelConfirm', params: { order: o.orderNumber, total } };
    return ask(ctx, f, 'confirm', question, [
      { label: say(lang, 'yes'), payload: 'yes' }, { label: say(lang, 'no'), payload: 'no' },
    ]);
  }
  if (['shipped', 'delivered', 'completed'].includes(o.status)) {
    return done([{ type: 'choices', text: say(lang, 'cancelTooLate', p), choices: [{ label: say(lang, 'startReturn'), payload: `flow:return:${o.orderNumber}` }, { label: say(lang, 'no'), payload: 'no' }] }]);
  }
  return done([{ type: 'choices', text: say(lang, 'cancelNotPossible', p), choices: [handoffChoice(ctx)] }]);
}

async function confirm(ctx: TurnContext, frame: FlowFrameOf<Slots>): Promise<FlowOutcome> {
  const lang = ctx.u.lang;
  const orderNumber = String(frame.slots.orderNumber);
  const order = orderNumber;
  const answer = ctx.u.postback ?? ctx.u.control;
  if (answer === 'yes') {
    // the owner's unpaid order closes at once: no ticket, no refund
    if (!isUnverified(frame)) {
      const order = await ctx.crm.orders.byId(Number(frame.slots.orderId));
      if (order?.status === 'pending_payment') {
        const r = await ctx.crm.orders.cancelUnpaid(order.id, { actor: `customer:${ctx.customerId}`, now: ctx.now });
        if (r.ok) return done([{ type: 'text', text: say(lang, 'cancelUnpaidDone', { order: orderNumber }) }], { resolved: {} });
        if (!isPreShipment(r.status)) return done([{ type: 'choices', text: say(lang, 'cancelUnpaidGone', { order: orderNumber, status: statusText(r.status, lang) }), choices: [handoffChoice(ctx)] }]);
      }
    }
    const { ticket, number } = await createFlowTicket(ctx, frame, { type: 'cancel', orderId: Number(frame.slots.orderId), subject: `Cancel ${order}` });
    const text = isUnverified(frame) ? say(lang, 'unverifiedCreated', { ticket: number }) : say(lang, 'cancelDone', { order, ticket: number });
    return done([{ type: 'text', text }], { resolved: { ticketId: ticket.id } });
  }
  if (answer === 'no' || answer === 'cancel') return done([{ type: 'text', text: say(lang, 'cancelKept', { order }) }]);
  return { replies: [], frame, notAnAnswer: true };
}
