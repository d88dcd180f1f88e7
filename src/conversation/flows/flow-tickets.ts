import { ticketNumber, type TicketType } from '../../crm/index.js';
import type { TurnContext } from '../engine/turn-types.js';
import { formatDate } from '../replies/order-formatting.js';

/** What a flow's ticket needs from its frame: the message that started it, how the order was opened. */
export interface TicketFrame { startedBy: number; slots: { access?: string } }

/**
 * Opens the ticket a flow ends in. The dedupe key is the message that started the flow, so a
 * re-run of the same turn (crash, retry) finds the ticket instead of opening a second one.
 */
export async function createFlowTicket(ctx: TurnContext, frame: TicketFrame, t: { type: TicketType; orderId?: number; subject: string; description?: string; details?: Record<string, unknown> }) {
  // an order's ticket sits on its owner's profile; asked for by someone who only proved the last
  // 4 digits, it is flagged "unverified requester" and waits for staff approval
  const order = t.orderId ? await ctx.crm.orders.byId(t.orderId) : undefined;
  const unverified = isUnverified(frame);
  const { ticket } = await ctx.crm.tickets.create({
    type: t.type, customerId: order?.customerId ?? ctx.customerId, orderId: t.orderId, conversationId: ctx.conversationId, subject: t.subject,
    description: t.description, details: t.details, dedupeKey: `flow:${ctx.conversationId}:${frame.startedBy}:${t.type}`, actor: `customer:${ctx.customerId}`, now: ctx.now,
    ...(unverified ? { unverifiedRequester: { requesterCustomerId: ctx.customerId } } : {}),
  });
  return { ticket, number: ticketNumber(ticket.id), sla: formatDate(ticket.slaDueAt, ctx.u.lang, ctx.policy.timeZone) };
}

/** The order was opened with its phone's last 4 digits only (not as owner, not with a one-time code). */
export function isUnverified(frame: Pick<TicketFrame, 'slots'>): boolean {
  return frame.slots.access === 'phone_last4';
}
