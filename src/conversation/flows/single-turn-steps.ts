import { ticketNumber } from '../../crm/index.js';
import type { OutboundMessage } from '../../shared/message-types.js';
import type { HandoffReason, TurnContext } from '../engine/turn-types.js';
import { formatDate, money } from '../replies/order-formatting.js';
import { say } from '../replies/reply-texts.js';
import { markdownToChatText } from '../replies/plain-text.js';

/** `answered`: one article answered the question (not a choice of several). */
export type StepResult = { replies: OutboundMessage[]; handled: boolean; answered?: boolean };

/** Answers from the knowledge base: one article, a choice of 2–3, or nothing (a miss). */
export function faqStep(ctx: TurnContext, intent?: string): StepResult {
  const lang = ctx.u.lang;
  const decision = ctx.kb.decide(ctx.u.text, { lang, intent });
  if (decision.kind === 'answer') return { handled: true, answered: true, replies: [{ type: 'text', text: markdownToChatText(decision.hit.article.body) }] };
  if (decision.kind === 'choices') {
    return {
      handled: true,
      replies: [{ type: 'choices', text: say(lang, 'kbChoices'), choices: [...decision.hits.slice(0, 3).map((h) => ({ label: h.article.title, payload: `kb:${h.article.id}` })), { label: say(lang, 'menuHuman'), payload: 'handoff' }] }],
    };
  }
  return { handled: false, replies: [] };
}

export function articleStep(ctx: TurnContext, id: string): StepResult {
  const a = ctx.kb.articleById(id, ctx.u.lang) ?? ctx.kb.articleById(id, ctx.u.lang === 'zh' ? 'en' : 'zh');
  return a ? { handled: true, answered: true, replies: [{ type: 'text', text: markdownToChatText(a.body) }] } : { handled: false, replies: [] };
}

const TICKET_STATUS = {
  open: { zh: '待处理', en: 'received' }, in_progress: { zh: '处理中', en: 'in progress' }, waiting_customer: { zh: '等待您的回复', en: 'waiting for you' },
  resolved: { zh: '已解决', en: 'resolved' }, closed: { zh: '已关闭', en: 'closed' }, cancelled: { zh: '已取消', en: 'cancelled' },
} as const;
const TYPE = { return: { zh: '退货', en: 'Return' }, refund: { zh: '退款', en: 'Refund' }, exchange: { zh: '换货', en: 'Exchange' }, cancel: { zh: '取消订单', en: 'Cancellation' } } as const;

/** Where is my refund: the customer's after-sales tickets and any refunds on their orders. */
export async function refundStatusStep(ctx: TurnContext): Promise<StepResult & { found: boolean }> {
  const lang = ctx.u.lang;
  // a sender known only by an asserted identity (an e-mail From:) sees none of that customer's requests
  const tickets = ctx.identityAsserted ? [] : await ctx.crm.tickets.listForCustomer(ctx.customerId, { types: ['return', 'refund', 'exchange', 'cancel'], limit: 5 });
  const orders = ctx.identityAsserted ? [] : await ctx.crm.orders.listForCustomer(ctx.customerId, { limit: 20, statuses: ['refunded', 'partially_refunded'] });
  if (!tickets.length && !orders.length) return { handled: true, found: false, replies: [{ type: 'text', text: say(lang, 'refundStatusNone') }] };
  const lines = tickets.map((t) => {
    const status = TICKET_STATUS[t.status as keyof typeof TICKET_STATUS]?.[lang] ?? t.status;
    const type = TYPE[t.type as keyof typeof TYPE]?.[lang] ?? t.type;
    const order = t.order?.orderNumber ? ` ${t.order.orderNumber}` : '';
    return `• ${ticketNumber(t.id)} ${type}${order}: ${status} (${formatDate(t.createdAt, lang, ctx.policy.timeZone)})`;
  });
  for (const o of orders.slice(0, 3)) {
    lines.push(lang === 'zh' ? `• 订单 ${o.orderNumber} 已退款（${money(o.totalCents, o.currency)} 订单），款项 1–3 个工作日到账（银行卡 3–7 天）。` : `• Order ${o.orderNumber} was refunded (${money(o.totalCents, o.currency)} order); money arrives in 1–3 working days (cards 3–7).`);
  }
  return { handled: true, found: true, replies: [{ type: 'text', text: `${say(lang, 'refundStatusIntro')}\n${lines.join('\n')}` }] };
}

/**
 * Hands the conversation to a person: a handoff (or complaint) ticket carrying a summary of the
 * conversation so far. Outside service hours it is a message left for staff. The engine switches
 * the conversation to waiting in the same commit and tells the customer what happens next.
 */
export async function handoffStep(ctx: TurnContext, reason: HandoffReason): Promise<{ replies: OutboundMessage[]; ticketId: number }> {
  const recent = await ctx.crm.conversations.recentMessages(ctx.conversationId, 10);
  const transcript = [...recent.map((m) => `${m.direction === 'in' ? 'customer' : 'bot'}${m.intent ? ` [${m.intent}]` : ''}: ${m.text.slice(0, 200)}`), `customer: ${ctx.u.text.slice(0, 500)}`];
  const complaint = reason === 'complaint';
  const left = !ctx.staffOpen;
  const { ticket } = await ctx.crm.tickets.create({
    type: complaint ? 'complaint' : 'handoff',
    customerId: ctx.customerId,
    conversationId: ctx.conversationId,
    subject: `${left ? 'Message left' : complaint ? 'Complaint' : 'Handoff'} (${reason}): ${ctx.u.text.slice(0, 80)}`,
    description: `Handed over because: ${reason}${left ? ' (outside service hours)' : ''}\n\n${transcript.join('\n')}`,
    details: left ? { leaveMessage: true, reason } : { reason },
    priority: reason === 'anger' || complaint ? 'high' : 'normal',
    dedupeKey: `handoff:${ctx.inboundId}`,
    actor: 'system',
    now: ctx.now,
  });
  return { replies: [], ticketId: ticket.id };
}
