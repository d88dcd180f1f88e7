import { z } from 'zod';
import { isPreShipment } from '../../crm/index.js';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';
import { INTENTS } from '../intent-names.js';
import { say } from '../replies/reply-texts.js';
import { defineFlow, END, type FlowFrameOf } from './flow-definition.js';
import { ask, done, handoffChoice, looksLikeNewRequest } from './flow-helpers.js';
import { createFlowTicket, isUnverified } from './flow-tickets.js';
import { orderSlotStates, OrderSlotsSchema, type OrderFound } from './order-slot.js';

const ChangeSlots = OrderSlotsSchema.extend({
  /** The message that started the flow: "改地址为 上海市…" may already carry the change. */
  firstText: z.string().optional(),
});
type Slots = z.infer<typeof ChangeSlots>;

/** Change address, phone, items or delivery time of an order that has not shipped: a ticket. */
export const changeOrderFlow = defineFlow<Slots>({
  name: 'change_order',
  about: 'change the address, phone, items or delivery time of an order that has not shipped: a ticket',
  intents: [INTENTS.changeOrder],
  slots: ChangeSlots,
  start: 'start',
  states: {
    ...orderSlotStates<Slots>({ listStatuses: ['pending_payment', 'paid', 'processing'], action: 'change', actsOn: (o) => isPreShipment(o.status), then: orderKnown, thenTo: ['detail', END] }),
    detail: { about: 'what to change (free text; too short is asked once more)', to: ['detail', END], run: detail },
  },
});

function orderKnown(ctx: TurnContext, slot: OrderFound<Slots>): Promise<FlowOutcome> | FlowOutcome {
  const o = slot.order;
  if (!isPreShipment(o.status)) return done([{ type: 'choices', text: say(ctx.u.lang, 'changeTooLate', { order: o.orderNumber }), choices: [handoffChoice(ctx)] }]);
  const f = { ...slot.frame, slots: { ...slot.frame.slots, orderId: o.id } };
  // "改地址为 上海市…" in the first message already carries the change
  const first = f.slots.firstText ?? '';
  if (first.replace(/\s/g, '').length >= 14 && /地址|address|电话|phone|送货|deliver/i.test(first)) return createChange(ctx, f, first);
  return ask(ctx, f, 'detail', { key: 'changeAsk', params: { order: o.orderNumber } });
}

function detail(ctx: TurnContext, frame: FlowFrameOf<Slots>): Promise<FlowOutcome> | FlowOutcome {
  const text = ctx.u.text;
  if (!text || looksLikeNewRequest(ctx.u, [INTENTS.changeOrder])) return { replies: [], frame, notAnAnswer: true };
  if (text.replace(/\s/g, '').length < 6) {
    if (frame.retries >= 1) return { replies: [], frame, notAnAnswer: true };
    return ask(ctx, { ...frame, retries: frame.retries + 1 }, 'detail', { key: 'changeTooShort' });
  }
  return createChange(ctx, frame, text);
}

async function createChange(ctx: TurnContext, frame: FlowFrameOf<Slots>, text: string): Promise<FlowOutcome> {
  const order = String(frame.slots.orderNumber);
  const { ticket, number, sla } = await createFlowTicket(ctx, frame, { type: 'address_change', orderId: Number(frame.slots.orderId), subject: `Change ${order}`, description: text.slice(0, 1000) });
  const reply = isUnverified(frame) ? say(ctx.u.lang, 'unverifiedCreated', { ticket: number }) : say(ctx.u.lang, 'changeDone', { order, ticket: number, sla });
  return done([{ type: 'text', text: reply }], { resolved: { ticketId: ticket.id } });
}
