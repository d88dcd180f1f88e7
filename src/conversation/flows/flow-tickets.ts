import { ticketNumber, type TicketType } from '../../crm/index.js';
import type { FlowFrame } from '../engine/dialogue-state.js';
import type { TurnContext } from '../engine/turn-types.js';
import { formatDate } from '../replies/order-formatting.js';

/**
 * Opens the ticket a flow ends in. The dedupe key is the message that started the flow, so a
 * re-run of the same turn (crash, retry) finds the ticket instead of opening a second one.
 */
export async function createFlowTicket(ctx: TurnContext, frame: FlowFrame, t: { type: TicketType; orderId?: number; subject: string; description?: string; details?: Record<string, unknown> }) {
  const { ticket } = await ctx.crm.tickets.create({
    type: t.type, customerId: ctx.customerId, orderId: t.orderId, conversationId: ctx.conversationId, subject: t.subject,
    description: t.description, details: t.details, dedupeKey: `flow:${ctx.conversationId}:${frame.startedBy}:${t.type}`, actor: `customer:${ctx.customerId}`, now: ctx.now,
  });
  return { ticket, number: ticketNumber(ticket.id), sla: formatDate(ticket.slaDueAt, ctx.u.lang, ctx.policy.timeZone) };
}
