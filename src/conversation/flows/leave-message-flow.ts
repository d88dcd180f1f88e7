import { z } from 'zod';
import { ticketNumber } from '../../crm/index.js';
import type { FlowFrame } from '../engine/dialogue-state.js';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';
import { say } from '../replies/reply-texts.js';
import { defineFlow, END, type FlowFrameOf } from './flow-definition.js';
import { done, newFrame } from './flow-helpers.js';

const LeaveMessageSlots = z.object({ ticketId: z.number().optional() });
type Slots = z.infer<typeof LeaveMessageSlots>;

/** Outside service hours a handoff opens a ticket and this flow: the customer's next message is added to it. */
export const leaveMessageFlow = defineFlow<Slots>({
  name: 'leave_message',
  about: 'outside service hours, the message after a handoff is added to its ticket',
  intents: [],
  slots: LeaveMessageSlots,
  start: 'message',
  states: {
    message: { about: 'the customer\'s message (text or attachment), added to the handoff ticket', to: [END], run: addMessage },
  },
});

export function leaveMessageFrame(ctx: TurnContext, ticketId: number): FlowFrame {
  return newFrame(ctx, leaveMessageFlow, { ticketId });
}

async function addMessage(ctx: TurnContext, frame: FlowFrameOf<Slots>): Promise<FlowOutcome> {
  const ticketId = frame.slots.ticketId;
  const words = [ctx.u.text, ctx.u.attachment ? `[${ctx.u.attachment.kind}] ${ctx.u.attachment.url}` : ''].filter(Boolean).join('\n');
  if (!ticketId || !words) return { replies: [], frame: null, notAnAnswer: true };
  await ctx.crm.handoff.appendToTicket(ticketId, words, `customer:${ctx.customerId}`);
  return done([{ type: 'text', text: say(ctx.u.lang, 'leaveMessageAdded', { ticket: ticketNumber(ticketId) }) }]);
}
