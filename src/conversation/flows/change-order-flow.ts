import { isPreShipment } from '../../crm/index.js';
import type { FlowFrame } from '../engine/dialogue-state.js';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';
import { say } from '../replies/reply-texts.js';
import { ask, done, handoffChoice, looksLikeNewRequest } from './flow-helpers.js';
import { createFlowTicket, isUnverified } from './flow-tickets.js';
import { fillOrderSlot, ORDER_SLOT_STEPS } from './order-slot.js';

/** Change address, phone, items or delivery time of an order that has not shipped: a ticket. */
export async function runChangeOrderFlow(ctx: TurnContext, frame: FlowFrame): Promise<FlowOutcome> {
  const lang = ctx.u.lang;
  if (ORDER_SLOT_STEPS.includes(frame.step)) {
    const slot = await fillOrderSlot(ctx, frame, { listStatuses: ['pending_payment', 'paid', 'processing'], action: 'change', actsOn: (o) => isPreShipment(o.status) });
    if (slot.kind === 'outcome') return slot.outcome;
    const o = slot.order;
    if (!isPreShipment(o.status)) return done([{ type: 'choices', text: say(lang, 'changeTooLate', { order: o.orderNumber }), choices: [handoffChoice(ctx)] }]);
    const f = { ...slot.frame, slots: { ...slot.frame.slots, orderId: o.id } };
    // "改地址为 上海市…" in the first message already carries the change
    const first = String(frame.slots.firstText ?? '');
    if (first.replace(/\s/g, '').length >= 14 && /地址|address|电话|phone|送货|deliver/i.test(first)) return createChange(ctx, f, first);
    return ask(ctx, f, 'detail', { key: 'changeAsk', params: { order: o.orderNumber } });
  }
  if (frame.step === 'detail') {
    const text = ctx.u.text;
    if (!text || looksLikeNewRequest(ctx.u, ['change_order'])) return { replies: [], frame, notAnAnswer: true };
    if (text.replace(/\s/g, '').length < 6) {
      if (frame.retries >= 1) return { replies: [], frame, notAnAnswer: true };
      return ask(ctx, { ...frame, retries: frame.retries + 1 }, 'detail', { key: 'changeTooShort' });
    }
    return createChange(ctx, frame, text);
  }
  return done([]);
}

async function createChange(ctx: TurnContext, frame: FlowFrame, text: string): Promise<FlowOutcome> {
  const order = String(frame.slots.orderNumber);
  const { ticket, number, sla } = await createFlowTicket(ctx, frame, { type: 'address_change', orderId: Number(frame.slots.orderId), subject: `Change ${order}`, description: text.slice(0, 1000) });
  const reply = isUnverified(frame) ? say(ctx.u.lang, 'unverifiedCreated', { ticket: number }) : say(ctx.u.lang, 'changeDone', { order, ticket: number, sla });
  return done([{ type: 'text', text: reply }], { resolved: { ticketId: ticket.id } });
}
