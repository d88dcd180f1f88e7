import { z } from 'zod';
import type { OrderAccess, OrderAccessVia, OrderStatus, OrderView } from '../../crm/index.js';
import type { Choice } from '../../shared/message-types.js';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';
import { statusText } from '../replies/order-formatting.js';
import { say, sayPhrase, type Phrase, type TextKey } from '../replies/reply-texts.js';
import { END, type FlowFrameOf, type FlowState } from './flow-definition.js';
import { ask, done, handoffChoice, postbackValue } from './flow-helpers.js';
import { askForCode, checkCode } from './owner-code-steps.js';

/** The slots of the shared "which order + may they see it" states; a flow's schema extends these. */
export const OrderSlotsSchema = z.object({
  /** The order asked about (from the message, a choice, the conversation's memory, or proved). */
  orderNumber: z.string().optional(),
  orderId: z.number().optional(),
  /** A number typed that is not the customer's: waits for the phone's last 4 digits. */
  pendingOrder: z.string().optional(),
  /** The order a one-time code or the ownership question is about. */
  proofOrder: z.string().optional(),
  /** "the other one": the order not to offer again. */
  exclude: z.string().optional(),
  /** How the order was opened: as its owner, with a one-time code, or with the phone's last 4 digits only. */
  access: z.enum(['owner', 'otp', 'phone_last4']).optional(),
  /** The customer chose to go on unverified (the request waits for staff approval). */
  unverifiedAck: z.boolean().optional(),
});
export type OrderSlots = z.infer<typeof OrderSlotsSchema>;

type Frame<S> = FlowFrameOf<S>;
export type OrderFound<S> = { kind: 'order'; order: OrderView; frame: Frame<S>; via: OrderAccessVia };
export type OrderSlot<S> = OrderFound<S> | { kind: 'outcome'; outcome: FlowOutcome };

/** The shared states, in the order they are usually met. */
export const ORDER_SLOT_STATES = ['start', 'pick_order', 'ask_order', 'verify', 'owner_check', 'otp_code'] as const;
export type OrderSlotState = (typeof ORDER_SLOT_STATES)[number];

export interface SlotOptions {
  /** Orders in these statuses are offered as choices. */
  listStatuses?: OrderStatus[];
  /** The flow acts on the order: someone who is not its verified owner must prove it or send it for approval. */
  action?: 'return' | 'cancel' | 'change';
  /** Whether the flow could act on this order at all; when not, no ownership is asked for (the flow says why not). */
  actsOn?: (order: OrderView, ctx: TurnContext) => boolean;
}

const ACTION_TEXT: Record<NonNullable<SlotOptions['action']>, TextKey> = { return: 'actionReturn', cancel: 'actionCancel', change: 'actionChange' };

/** How a flow includes the order slot: its options, what it does with the order, and where that may go. */
export interface OrderSlotUse<S extends OrderSlots> extends SlotOptions {
  then(ctx: TurnContext, slot: OrderFound<S>): Promise<FlowOutcome> | FlowOutcome;
  /** The states `then` may move to (`END` when it may finish there). */
  thenTo: readonly string[];
}

type SlotStep = <S extends OrderSlots>(ctx: TurnContext, frame: Frame<S>, opts: SlotOptions) => Promise<OrderSlot<S>>;

/**
 * The "which order" slot as reusable states a flow spreads into its table: from the message,
 * from a choice of the customer's own orders, or from a typed number. An order that is not the
 * customer's needs the last 4 digits of the phone on it (then its status only), or a one-time
 * code sent to its owner (then the asker acts as the owner in this conversation). Unknown and
 * foreign orders get the same answers, so nothing leaks. What was proved is kept on the
 * conversation by the CRM. Once the order is known the flow's `then` runs in the same turn.
 */
export function orderSlotStates<S extends OrderSlots>(use: OrderSlotUse<S>): Record<OrderSlotState, FlowState<S>> {
  const state = (about: string, own: string[], step: SlotStep): FlowState<S> => ({
    about,
    to: [...new Set([...own, ...use.thenTo, END])],
    async run(ctx, frame) {
      const slot = await step(ctx, frame, use);
      return slot.kind === 'outcome' ? slot.outcome : use.then(ctx, slot);
    },
  });
  return {
    start: state('which order: from the message or memory, else the customer\'s orders as choices, else asked for', ['pick_order', 'ask_order', 'verify', 'owner_check'], slotStart),
    pick_order: state('an order picked from the choices ("another order" asks for the number)', ['ask_order', 'verify', 'owner_check'], slotAnswer),
    ask_order: state('a typed order number', ['ask_order', 'verify', 'owner_check'], slotAnswer),
    verify: state('the last 4 digits of the phone on an order that is not the customer\'s', ['verify', 'owner_check'], slotVerify),
    owner_check: state('acting on an order opened with 4 digits: a one-time code to its owner, go on unverified, or a person', ['otp_code', 'owner_check'], slotOwnerCheck),
    otp_code: state('the one-time code sent to the order\'s owner', ['otp_code', 'owner_check'], slotOtpCode),
  };
}

/** A number picked, typed or already known: tried; "another order" asks for one. Undefined when there is none. */
async function numberGiven<S extends OrderSlots>(ctx: TurnContext, frame: Frame<S>, opts: SlotOptions): Promise<OrderSlot<S> | undefined> {
  const picked = postbackValue(ctx.u, 'order');
  if (picked === '*other') return { kind: 'outcome', outcome: ask(ctx, frame, 'ask_order', { key: 'askOrderNumber' }) };
  const number = picked ?? ctx.u.orderNumbers[0] ?? frame.slots.orderNumber;
  return number ? tryNumber(ctx, frame, number, opts) : undefined;
}

async function slotStart<S extends OrderSlots>(ctx: TurnContext, frame: Frame<S>, opts: SlotOptions): Promise<OrderSlot<S>> {
  const given = await numberGiven(ctx, frame, opts);
  if (given) return given;
  const lang = ctx.u.lang;
  const exclude = frame.slots.exclude;
  // a sender known only by an asserted identity (an e-mail From:) sees none of that customer's orders
  const own = ctx.identityAsserted ? [] : await ctx.crm.orders.listForCustomer(ctx.customerId, { limit: 6, statuses: opts.listStatuses });
  const orders = own.filter((o) => o.orderNumber !== exclude).slice(0, 5);
  const choices: Choice[] = orders.map((o) => ({ label: `${o.orderNumber} · ${statusText(o.status, lang)}`, payload: `order:${o.orderNumber}` }));
  // orders this conversation already proved (a guest has none of their own to list)
  for (const n of [...(ctx.memory?.orders ?? [])].reverse()) {
    if (n !== exclude && !choices.some((c) => c.payload === `order:${n}`) && choices.length < 5) choices.push({ label: n, payload: `order:${n}` });
  }
  if (!choices.length) {
    // nobody we can name: besides the number, offer to prove who they are (a code to the contact on file)
    const offer = Boolean(ctx.otp?.kinds.length) && (ctx.identityAsserted || (await ctx.crm.customers.isGuest(ctx.customerId)));
    if (offer) return { kind: 'outcome', outcome: ask(ctx, frame, 'ask_order', { key: 'askOrderOrLink' }, [{ label: say(lang, 'linkOffer'), payload: 'flow:link' }]) };
    return { kind: 'outcome', outcome: ask(ctx, frame, 'ask_order', { key: 'askOrderNumber' }) };
  }
  choices.push({ label: say(lang, 'otherOrder'), payload: 'order:*other' });
  // a flow that acts on the order asks which one "this is about"; the status flow, which one to look up
  return { kind: 'outcome', outcome: ask(ctx, frame, 'pick_order', { key: opts.action ? 'pickOrderFor' : 'pickOrder' }, choices) };
}

async function slotAnswer<S extends OrderSlots>(ctx: TurnContext, frame: Frame<S>, opts: SlotOptions): Promise<OrderSlot<S>> {
  const given = await numberGiven(ctx, frame, opts);
  if (given) return given;
  if (/\d{4,}|[a-z]{2}\d+/i.test(ctx.u.text) && frame.retries < 2) {
    return { kind: 'outcome', outcome: ask(ctx, { ...frame, retries: frame.retries + 1 }, 'ask_order', { key: 'askOrderNumber' }, undefined, [{ type: 'text', text: say(ctx.u.lang, 'invalidOrderNumber') }]) };
  }
  return { kind: 'outcome', outcome: { replies: [], frame, notAnAnswer: true } };
}

async function slotVerify<S extends OrderSlots>(ctx: TurnContext, frame: Frame<S>, opts: SlotOptions): Promise<OrderSlot<S>> {
  const u = ctx.u;
  const number = frame.slots.pendingOrder ?? '';
  if (!u.phoneLast4) {
    if (u.orderNumbers[0] && u.orderNumbers[0] !== number) return tryNumber(ctx, frame, u.orderNumbers[0], opts);
    // no digits at all ("运费怎么算", "还没到"): another request, not a wrong answer; the router
    // answers it and comes back to this question, and no failed proof is counted
    if (!/\d/.test(u.text) && !postbackValue(u, 'order')) return { kind: 'outcome', outcome: { replies: [], frame, notAnAnswer: true } };
    // "1" picking one of the choices an interruption offered is that choice, not a wrong guess
    if (u.postback && !postbackValue(u, 'order')) return { kind: 'outcome', outcome: { replies: [], frame, notAnAnswer: true } };
    if (frame.retries >= 1) return { kind: 'outcome', outcome: done([{ type: 'choices', text: say(u.lang, 'orderNotVisible', { order: number }), choices: [handoffChoice(ctx)] }]) };
    return { kind: 'outcome', outcome: ask(ctx, { ...frame, retries: frame.retries + 1 }, 'verify', { key: 'askPhoneLast4' }) };
  }
  return granted(ctx, frame, await access(ctx, number, u.phoneLast4), opts, number);
}

async function slotOtpCode<S extends OrderSlots>(ctx: TurnContext, frame: Frame<S>, opts: SlotOptions): Promise<OrderSlot<S>> {
  const number = frame.slots.proofOrder ?? '';
  const r = await checkCode(ctx, frame, number, Boolean(opts.action));
  return r.kind === 'proved' ? granted(ctx, frame, await access(ctx, number), opts) : r;
}

function access(ctx: TurnContext, number: string, phoneLast4?: string): Promise<OrderAccess> {
  return ctx.crm.orders.checkAccess(ctx.customerId, number, { phoneLast4, conversationId: ctx.conversationId, clientKey: ctx.clientKey, assertedOnly: ctx.identityAsserted, now: ctx.now });
}

async function tryNumber<S extends OrderSlots>(ctx: TurnContext, frame: Frame<S>, number: string, opts: SlotOptions): Promise<OrderSlot<S>> {
  // "SD2501019001 尾号8000": the digits came with the number, so they are not asked for again
  const a = await access(ctx, number, ctx.u.orderNumbers.includes(number.toUpperCase()) ? ctx.u.phoneLast4 : undefined);
  if (a.allowed) return granted(ctx, frame, a, opts);
  if (a.reason === 'too_many_attempts' || a.reason === 'verification_failed') return granted(ctx, frame, a, opts, number);
  const verifying = { ...frame, retries: 0, slots: { ...frame.slots, pendingOrder: number.toUpperCase(), orderNumber: undefined } };
  return { kind: 'outcome', outcome: ask(ctx, verifying, 'verify', { key: 'askPhoneLast4' }) };
}

/** What an access answer means for the flow: the order (maybe after an ownership question), or why not. */
function granted<S extends OrderSlots>(ctx: TurnContext, frame: Frame<S>, a: OrderAccess, opts: SlotOptions, asked?: string): OrderSlot<S> {
  const lang = ctx.u.lang;
  if (!a.allowed) {
    const number = asked ?? frame.slots.proofOrder ?? frame.slots.pendingOrder ?? '';
    if (a.reason === 'too_many_attempts') return tooMany(ctx, frame, number);
    return { kind: 'outcome', outcome: done([{ type: 'choices', text: say(lang, 'orderNotVisible', { order: number }), choices: [handoffChoice(ctx)] }]) };
  }
  ctx.seen?.orders.push(a.order.orderNumber);
  const f: Frame<S> = { ...frame, retries: 0, slots: { ...frame.slots, orderNumber: a.order.orderNumber, pendingOrder: undefined, proofOrder: undefined, exclude: undefined, access: a.via } };
  if (a.via === 'phone_last4' && opts.action && frame.slots.unverifiedAck !== true && (opts.actsOn?.(a.order, ctx) ?? true)) {
    const choices: Choice[] = [
      ...(ctx.otp ? [{ label: say(lang, 'sendCode'), payload: 'owner:code' }] : []),
      { label: say(lang, 'continueUnverified'), payload: 'owner:continue' },
      handoffChoice(ctx),
    ];
    const text: Phrase = { key: ctx.otp ? 'ownerCheck' : 'ownerCheckNoOtp', params: { action: { key: ACTION_TEXT[opts.action] } } };
    return { kind: 'outcome', outcome: ask(ctx, { ...f, slots: { ...f.slots, proofOrder: a.order.orderNumber } }, 'owner_check', text, choices) };
  }
  return { kind: 'order', order: a.order, frame: f, via: a.via };
}

/** Locked by too many wrong guesses: the real owner signs in, asks for a code, or talks to a person. */
function tooMany<S extends OrderSlots>(ctx: TurnContext, frame: Frame<S>, number: string): OrderSlot<S> {
  const lang = ctx.u.lang;
  const text: Phrase = { key: 'tooManyAttempts', params: { order: number, otp: ctx.otp ? { key: 'tooManyAttemptsOtp' } : '' } };
  if (!ctx.otp) return { kind: 'outcome', outcome: done([{ type: 'choices', text: sayPhrase(lang, text), choices: [handoffChoice(ctx)] }]) };
  const f = { ...frame, slots: { ...frame.slots, proofOrder: number, pendingOrder: undefined } };
  return { kind: 'outcome', outcome: ask(ctx, f, 'owner_check', text, [{ label: say(lang, 'sendCode'), payload: 'owner:code' }, handoffChoice(ctx)]) };
}

async function slotOwnerCheck<S extends OrderSlots>(ctx: TurnContext, frame: Frame<S>, opts: SlotOptions): Promise<OrderSlot<S>> {
  const choice = postbackValue(ctx.u, 'owner');
  const number = frame.slots.proofOrder ?? '';
  if (choice === 'code' && ctx.otp) return askForCode(ctx, frame, number);
  if (choice === 'continue' && opts.action) {
    const a = await access(ctx, number);
    return granted(ctx, { ...frame, slots: { ...frame.slots, unverifiedAck: true } }, a, opts, number);
  }
  return { kind: 'outcome', outcome: { replies: [], frame, notAnAnswer: true } };
}
