import { ticketNumber } from '../../crm/index.js';
import type { FlowFrame } from '../engine/dialogue-state.js';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';
import { say } from '../replies/reply-texts.js';
import { done, newFrame } from './flow-helpers.js';

/** Outside service hours a handoff opens a ticket and this frame: the customer's next message is added to it. */
export function leaveMessageFrame(ctx: TurnContext, ticketId: number): FlowFrame {
  return { ...newFrame(ctx, 'leave_message', { ticketId }), step: 'message' };
}

export async function runLeaveMessageFlow(ctx: TurnContext, frame: FlowFrame): Promise<FlowOutcome> {
  const ticketId = typeof frame.slots.ticketId === 'number' ? frame.slots.ticketId : undefined;
  const words = [ctx.u.text, ctx.u.attachment ? `[${ctx.u.attachment.kind}] ${ctx.u.attachment.url}` : ''].filter(Boolean).join('\n');
  if (!ticketId || !words) return { replies: [], frame: null, notAnAnswer: true };
  await ctx.crm.handoff.appendToTicket(ticketId, words, `customer:${ctx.customerId}`);
  return done([{ type: 'text', text: say(ctx.u.lang, 'leaveMessageAdded', { ticket: ticketNumber(ticketId) }) }]);
}
