import type { OrderView } from '../../crm/index.js';
import type { Choice } from '../../shared/message-types.js';
import { z } from 'zod';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';
import { ticketNumber } from '../../crm/index.js';
import { formatDate, statusText } from '../replies/order-formatting.js';
import { say } from '../replies/reply-texts.js';
import { ask, done, handoffChoice, looksLikeNewRequest, postbackValue } from './flow-helpers.js';
import { orderSlotStates, OrderSlotsSchema, type OrderFound } from './order-slot.js';
import { defineFlow, END, type FlowFrameOf } from './flow-definition.js';
import { INTENTS } from '../intent-names.js';
import { createFlowTicket, isUnverified } from './flow-tickets.js';

const REASONS = ['quality', 'wrong_item', 'size', 'changed_mind', 'other'] as const;
type Reason = (typeof REASONS)[number];
const REASON_TEXT = { quality: 'reasonQuality', wrong_item: 'reasonWrongItem', size: 'reasonSize', changed_mind: 'reasonChangedMind', other: 'reasonOther' } as const;
const DAY = 86_400_000;

export type Eligibility = { ok: true; items: OrderView['items'] } | { ok: false; text: string; offerHuman: boolean; choices?: Choice[] };

/** The shop's return policy applied to one order (status, window after delivery, categories). */
export function returnEligibility(ctx: TurnContext, order: OrderView, statusOnly = false): Eligibility {
  const lang = ctx.u.lang;
  const p = { order: order.orderNumber, status: statusText(order.status, lang) };
  if (['pending_payment', 'paid', 'processing'].includes(order.status)) {
    return { ok: false, offerHuman: false, text: say(lang, 'ineligibleNotDelivered', { ...p, hint: say(lang, 'hintCancelInstead') }), choices: [{ label: lang === 'zh' ? '取消订单' : 'Cancel the order', payload: `flow:cancel:${order.orderNumber}` }] };
  }
  if (order.status === 'shipped') return { ok: false, offerHuman: false, text: say(lang, 'ineligibleNotDelivered', { ...p, hint: say(lang, 'hintWaitDelivery') }) };
  if (!['delivered', 'completed', 'partially_refunded'].includes(order.status)) return { ok: false, offerHuman: true, text: say(lang, 'ineligibleStatus', p) };
  const days = order.deliveredAt ? Math.floor((ctx.now.getTime() - order.deliveredAt.getTime()) / DAY) : 0;
  if (days > ctx.policy.returnWindowDays) return { ok: false, offerHuman: true, text: say(lang, 'ineligibleWindow', { ...p, days, window: ctx.policy.returnWindowDays }) };
  const items = order.items.filter((i) => i.returnable && !(i.category && ctx.policy.nonReturnableCategories.includes(i.category)));
  if (!items.length) {
    return { ok: false, offerHuman: true, text: statusOnly ? say(lang, 'ineligibleCategoryShort', p) : say(lang, 'ineligibleCategory', { ...p, items: order.items.map((i) => i.name).join(lang === 'zh' ? '、' : ', ') }) };
  }
  return { ok: true, items };
}

const ReturnSlots = OrderSlotsSchema.extend({
  kind: z.enum(['return', 'exchange']).optional(),
  /** The returnable items offered as choices, and the ones picked (SKUs). */
  returnable: z.array(z.string()).optional(),
  items: z.array(z.string()).optional(),
  reason: z.enum(REASONS).optional(),
  reasonText: z.string().optional(),
  exchangeDetail: z.string().optional(),
  photoUrl: z.string().optional(),
  photoMediaId: z.string().optional(),
});
type Slots = z.infer<typeof ReturnSlots>;
type Frame = FlowFrameOf<Slots>;
type Kind = 'return' | 'exchange';
const kindOf = (frame: Frame): Kind => (frame.slots.kind === 'exchange' ? 'exchange' : 'return');
const kindText = (kind: Kind) => ({ key: kind === 'exchange' ? 'kindExchange' : 'kindReturn' }) as const;

/** Return or exchange: order → eligibility → items → reason (→ size/colour) (→ photo) → ticket. */
export const returnFlow = defineFlow<Slots>({
  name: 'return',
  about: 'return or exchange: order, eligibility, items, reason (size/colour for an exchange, a photo for a fault), then a ticket',
  intents: [INTENTS.returnRefund, INTENTS.exchange],
  slots: ReturnSlots,
  start: 'start',
  states: {
    ...orderSlotStates<Slots>({
      listStatuses: ['delivered', 'completed', 'shipped'], action: 'return', actsOn: (o, ctx) => returnEligibility(ctx, o, true).ok,
      then: orderKnown, thenTo: ['items', 'reason', END],
    }),
    items: { about: 'which items (one, or all)', to: ['reason'], run: pickItems },
    reason: { about: 'the reason: a choice, or free text (taken as "other")', to: ['exchange_detail', 'photo', END], run: pickReason },
    exchange_detail: { about: 'the size or colour wanted instead (exchange)', to: ['photo', END], run: exchangeDetail },
    photo: { about: 'a photo of the fault or wrong item, or skip', to: [END], run: photo },
  },
});

async function orderKnown(ctx: TurnContext, slot: OrderFound<Slots>): Promise<FlowOutcome> {
  const lang = ctx.u.lang;
  const kt = kindText(kindOf(slot.frame));
  const statusOnly = slot.via === 'phone_last4';
  const open = await openReturn(ctx, slot.order, statusOnly);
  if (open) return open;
  const elig = returnEligibility(ctx, slot.order, statusOnly);
  if (!elig.ok) {
    const choices = [...(elig.choices ?? []), ...(elig.offerHuman ? [handoffChoice(ctx)] : [])];
    return done([choices.length ? { type: 'choices', text: elig.text, choices } : { type: 'text', text: elig.text }]);
  }
  const f = { ...slot.frame, slots: { ...slot.frame.slots, orderId: slot.order.id } };
  // someone who may see the status only is not shown the items: the request covers what is returnable
  if (elig.items.length === 1 || statusOnly) return askReason(ctx, { ...f, slots: { ...f.slots, items: elig.items.map((i) => i.sku) } }, kt);
  const choices = elig.items.map((i) => ({ label: `${i.name} ×${i.quantity}`, payload: `item:${i.sku}` }));
  choices.push({ label: say(lang, 'allItems'), payload: 'item:*' });
  return ask(ctx, { ...f, slots: { ...f.slots, returnable: elig.items.map((i) => i.sku) } }, 'items', { key: 'returnAskItems', params: { kind: kt } }, choices);
}

function pickItems(ctx: TurnContext, frame: Frame): FlowOutcome {
  const sku = postbackValue(ctx.u, 'item');
  if (!sku) return { replies: [], frame, notAnAnswer: true };
  const all = frame.slots.returnable ?? [];
  const items = sku === '*' ? all : all.filter((s) => s === sku);
  if (!items.length) return { replies: [], frame, notAnAnswer: true };
  return askReason(ctx, { ...frame, slots: { ...frame.slots, items } }, kindText(kindOf(frame)));
}

function pickReason(ctx: TurnContext, frame: Frame): Promise<FlowOutcome> | FlowOutcome {
  const u = ctx.u;
  const code = postbackValue(u, 'reason');
  let reason: Reason | undefined = REASONS.find((r) => r === code);
  let reasonText = reason ? say(u.lang, REASON_TEXT[reason]) : undefined;
  if (!reason) {
    if (!u.text || looksLikeNewRequest(u, [INTENTS.returnRefund, INTENTS.exchange, INTENTS.complaint, INTENTS.productQuestion])) return { replies: [], frame, notAnAnswer: true };
    reason = 'other';
    reasonText = u.text.slice(0, 500);
  }
  const f = { ...frame, slots: { ...frame.slots, reason, reasonText } };
  if (kindOf(frame) === 'exchange') return ask(ctx, f, 'exchange_detail', { key: 'returnAskExchangeDetail' });
  return askPhotoOrCreate(ctx, f);
}

function exchangeDetail(ctx: TurnContext, frame: Frame): Promise<FlowOutcome> | FlowOutcome {
  const u = ctx.u;
  if (!u.text || looksLikeNewRequest(u, [INTENTS.exchange, INTENTS.productQuestion])) return { replies: [], frame, notAnAnswer: true };
  return askPhotoOrCreate(ctx, { ...frame, slots: { ...frame.slots, exchangeDetail: u.text.slice(0, 500) } });
}

function photo(ctx: TurnContext, frame: Frame): Promise<FlowOutcome> | FlowOutcome {
  const u = ctx.u;
  if (u.attachment?.kind === 'image') return create(ctx, { ...frame, slots: { ...frame.slots, photoUrl: u.attachment.url, photoMediaId: u.attachment.mediaId } }, [{ type: 'text', text: say(u.lang, 'photoReceived') }]);
  if (u.control === 'skip' || u.control === 'no' || u.postback === 'skip') return create(ctx, frame);
  return { replies: [], frame, notAnAnswer: true };
}

/** A second return on an order whose return or exchange is still being worked on points to that one. */
async function openReturn(ctx: TurnContext, order: OrderView, statusOnly: boolean): Promise<FlowOutcome | undefined> {
  const [t] = await ctx.crm.tickets.activeForOrder(order.id, ['return', 'exchange']);
  if (!t) return undefined;
  const lang = ctx.u.lang;
  if (ctx.seen) ctx.seen.ticketId = t.id;
  const text = statusOnly ? say(lang, 'returnAlreadyOpenShort', { order: order.orderNumber }) : say(lang, 'returnAlreadyOpen', {
    order: order.orderNumber, kind: say(lang, t.type === 'exchange' ? 'kindExchange' : 'kindReturn'), ticket: ticketNumber(t.id),
    status: say(lang, t.status === 'open' ? 'ticketReceived' : 'ticketInProgress'), when: formatDate(t.createdAt, lang, ctx.policy.timeZone), sla: formatDate(t.slaDueAt, lang, ctx.policy.timeZone),
  });
  return done([{ type: 'choices', text, choices: [handoffChoice(ctx)] }], { resolved: { ticketId: t.id } });
}

function askReason(ctx: TurnContext, frame: Frame, kind: ReturnType<typeof kindText>): FlowOutcome {
  const lang = ctx.u.lang;
  const choices = REASONS.map((r) => ({ label: say(lang, REASON_TEXT[r]), payload: `reason:${r}` }));
  return ask(ctx, frame, 'reason', { key: 'returnAskReason', params: { kind } }, choices);
}

function askPhotoOrCreate(ctx: TurnContext, frame: Frame): Promise<FlowOutcome> | FlowOutcome {
  const needsPhoto = frame.slots.reason === 'quality' || frame.slots.reason === 'wrong_item';
  if (needsPhoto && ctx.capabilities.attachments) {
    return ask(ctx, frame, 'photo', { key: 'returnAskPhoto' }, [{ label: say(ctx.u.lang, 'skip'), payload: 'skip' }]);
  }
  return create(ctx, frame);
}

async function create(ctx: TurnContext, frame: Frame, before: FlowOutcome['replies'] = []): Promise<FlowOutcome> {
  const s = frame.slots;
  const kind = kindOf(frame);
  const { ticket, number, sla } = await createFlowTicket(ctx, frame, {
    type: kind,
    orderId: Number(s.orderId),
    subject: `${kind === 'exchange' ? 'Exchange' : 'Return'} ${String(s.orderNumber)}`,
    description: String(s.reasonText ?? ''),
    details: { items: s.items, reason: s.reason, reasonText: s.reasonText, exchangeDetail: s.exchangeDetail, photoUrl: s.photoUrl, photoMediaId: s.photoMediaId },
  });
  const lang = ctx.u.lang;
  const text = isUnverified(frame) ? say(lang, 'unverifiedCreated', { ticket: number })
    : kind === 'exchange' ? say(lang, 'exchangeCreated', { ticket: number, sla }) : say(lang, 'returnCreated', { kind: say(lang, 'kindReturn'), ticket: number, sla });
  return done([...before, { type: 'text', text }], { resolved: { ticketId: ticket.id } });
}
