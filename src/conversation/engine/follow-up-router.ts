import { ticketNumber } from '../../crm/index.js';
import { formatDate } from '../replies/order-formatting.js';
import { say } from '../replies/reply-texts.js';
import { INTENTS } from '../intent-names.js';
import type { ConversationMemory, DialogueState } from './dialogue-state.js';
import { orderStatusFlow } from '../flows/order-status-flow.js';
import { startFlow, type TurnEnds } from './flow-runner.js';
import type { TurnContext, TurnNotes, TurnResult } from './turn-types.js';

/** How long what the conversation was about stays what a bare follow-up refers to. */
export const FOLLOW_UP_WINDOW_MS = 2 * 60 * 60_000;
const REMEMBERED_ORDERS = 5;

const TICKET_STATUS = {
  open: { zh: '待处理', en: 'received' }, in_progress: { zh: '处理中', en: 'in progress' }, waiting_customer: { zh: '等待您的回复', en: 'waiting for you' },
  resolved: { zh: '已解决', en: 'resolved' }, closed: { zh: '已关闭', en: 'closed' }, cancelled: { zh: '已取消', en: 'cancelled' },
} as const;
const TICKET_TYPE = {
  return: { zh: '退货', en: 'return' }, exchange: { zh: '换货', en: 'exchange' }, cancel: { zh: '取消订单', en: 'cancellation' },
  address_change: { zh: '修改订单', en: 'order change' }, refund: { zh: '退款', en: 'refund' },
} as const;

/**
 * A bare follow-up read against the conversation: "等多久?" / "还没到" about the order just
 * shown, "what about the other one?" about the other order it touched (or the customer's other
 * order), "开好了吗" about the invoice question or the request just opened. Undefined when the
 * message is not a follow-up or the conversation has nothing it could refer to: routing goes on.
 */
export async function routeFollowUp(ctx: TurnContext, state: DialogueState, ends: TurnEnds): Promise<TurnResult | undefined> {
  const cue = ctx.u.followUp;
  const m = ctx.memory;
  if (!cue || !m || ctx.now.getTime() - Date.parse(m.at) > FOLLOW_UP_WINDOW_MS) return undefined;
  const lang = ctx.u.lang;
  if (cue === 'eta' && m.order) return startFlow(ctx, state, orderStatusFlow, { orderNumber: m.order, focus: 'eta' }, ends);
  if (cue === 'other_order' && m.order) {
    const touched = m.orders.filter((o) => o !== m.order);
    if (touched.length) return startFlow(ctx, state, orderStatusFlow, { orderNumber: touched.at(-1) }, ends);
    const own = (ctx.identityAsserted ? [] : await ctx.crm.orders.listForCustomer(ctx.customerId, { limit: 6 })).filter((o) => o.orderNumber !== m.order);
    if (own.length === 1) return startFlow(ctx, state, orderStatusFlow, { orderNumber: own[0].orderNumber }, ends);
    return startFlow(ctx, state, orderStatusFlow, { exclude: m.order }, ends);
  }
  if (cue === 'progress') {
    const aboutInvoice = m.topic === INTENTS.invoice && (!m.ticketId || /开|invoice|fapiao/i.test(ctx.u.text));
    if (aboutInvoice) return ends.result([{ type: 'text', text: say(lang, 'invoiceFollowUp') }], { settles: {} });
    if (m.ticketId) {
      const t = await ctx.crm.tickets.get(m.ticketId);
      if (t) {
        const type = TICKET_TYPE[t.type as keyof typeof TICKET_TYPE]?.[lang] ?? t.type;
        const status = TICKET_STATUS[t.status as keyof typeof TICKET_STATUS]?.[lang] ?? t.status;
        const text = say(lang, 'ticketFollowUp', { type, ticket: ticketNumber(t.id), status, sla: formatDate(t.slaDueAt, lang, ctx.policy.timeZone) });
        return ends.result([{ type: 'text', text }], { settles: { ticketId: t.id } });
      }
    }
    if (m.order) return startFlow(ctx, state, orderStatusFlow, { orderNumber: m.order, focus: 'eta' }, ends);
  }
  return undefined;
}

/** Folds what a turn touched into the conversation's memory (orders newest last, a few). */
export function remember(memory: ConversationMemory | undefined, seen: TurnNotes, now: Date): ConversationMemory | undefined {
  const touched = seen.orders.length || seen.ticketId || seen.topic || seen.flow;
  if (!touched) return memory;
  const orders = [...(memory?.orders ?? []).filter((o) => !seen.orders.includes(o)), ...new Set(seen.orders)].slice(-REMEMBERED_ORDERS);
  return {
    orders,
    order: seen.orders.at(-1) ?? memory?.order,
    flow: seen.flow ?? memory?.flow,
    ticketId: seen.ticketId ?? memory?.ticketId,
    // a new topic replaces the old; an order or a ticket makes an older FAQ topic stale
    topic: seen.topic ?? (seen.orders.length || seen.ticketId ? undefined : memory?.topic),
    at: now.toISOString(),
  };
}

