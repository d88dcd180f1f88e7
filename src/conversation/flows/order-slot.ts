import type { OrderAccess, OrderAccessVia, OrderStatus, OrderView } from '../../crm/index.js';
import type { Choice } from '../../shared/message-types.js';
import type { FlowFrame } from '../engine/dialogue-state.js';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';
import { statusText } from '../replies/order-formatting.js';
import { say, sayPhrase, type Phrase, type TextKey } from '../replies/reply-texts.js';
import { ask, done, handoffChoice, postbackValue } from './flow-helpers.js';
import { askForCode, checkCode } from './owner-code-steps.js';

export type OrderSlot = { kind: 'order'; order: OrderView; frame: FlowFrame; via: OrderAccessVia } | { kind: 'outcome'; outcome: FlowOutcome };

export const ORDER_SLOT_STEPS = ['start', 'pick_order', 'ask_order', 'verify', 'owner_check', 'otp_code'];

export interface SlotOptions {
  /** Orders in these statuses are offered as choices. */
  listStatuses?: OrderStatus[];
  /** The flow acts on the order: someone who is not its verified owner must prove it or send it for approval. */
  action?: 'return' | 'cancel' | 'change';
  /** Whether the flow could act on this order at all; when not, no ownership is asked for (the flow says why not). */
  actsOn?: (order: OrderView) => boolean;
}

const ACTION_TEXT: Record<NonNullable<SlotOptions['action']>, TextKey> = { return: 'actionReturn', cancel: 'actionCancel', change: 'actionChange' };

/**
 * Fills the "which order" slot for any flow: from the message, from a choice of the customer's
 * own orders, or from a typed number. An order that is not the customer's needs the last 4
 * digits of the phone on it (then its status only), or a one-time code sent to its owner (then
 * the asker acts as the owner in this conversation). Unknown and foreign orders get the same
 * answers, so nothing leaks. What was proved is kept on the conversation by the CRM.
 */
export async function fillOrderSlot(ctx: TurnContext, frame: FlowFrame, opts: SlotOptions = {}): Promise<OrderSlot> {
  const u = ctx.u;
  const lang = u.lang;
  if (frame.step === 'owner_check') return ownerCheck(ctx, frame, opts);
  if (frame.step === 'otp_code') {
    const number = String(frame.slots.proofOrder ?? '');
    const r = await checkCode(ctx, frame, number, Boolean(opts.action));
    return r.kind === 'proved' ? granted(ctx, frame, await access(ctx, number), opts) : r;
  }
  if (frame.step === 'verify') {
    const number = String(frame.slots.pendingOrder ?? '');
    if (!u.phoneLast4) {
      if (u.orderNumbers[0] && u.orderNumbers[0] !== number) return tryNumber(ctx, frame, u.orderNumbers[0], opts);
      // no digits at all ("运费怎么算", "还没到"): another request, not a wrong answer; the router
      // answers it and comes back to this question, and no failed proof is counted
      if (!/\d/.test(u.text) && !postbackValue(u, 'order')) return { kind: 'outcome', outcome: { replies: [], frame, notAnAnswer: true } };
      // "1" picking one of the choices an interruption offered is that choice, not a wrong guess
      if (u.postback && !postbackValue(u, 'order')) return { kind: 'outcome', outcome: { replies: [], frame, notAnAnswer: true } };
      if (frame.retries >= 1) return { kind: 'outcome', outcome: done([{ type: 'choices', text: say(lang, 'orderNotVisible', { order: number }), choices: [handoffChoice(ctx)] }]) };
      return { kind: 'outcome', outcome: { ...ask(ctx, { ...frame, retries: frame.retries + 1 }, 'verify', { key: 'askPhoneLast4' }) } };
    }
    return granted(ctx, frame, await access(ctx, number, u.phoneLast4), opts, number);
  }
  const picked = postbackValue(u, 'order');
  if (picked === '*other') return { kind: 'outcome', outcome: ask(ctx, frame, 'ask_order', { key: 'askOrderNumber' }) };
  const number = picked ?? u.orderNumbers[0] ?? (typeof frame.slots.orderNumber === 'string' ? frame.slots.orderNumber : undefined);
  if (number) return tryNumber(ctx, frame, number, opts);
  if (frame.step === 'pick_order' || frame.step === 'ask_order') {
    if (/\d{4,}|[a-z]{2}\d+/i.test(u.text) && frame.retries < 2) {
      return { kind: 'outcome', outcome: ask(ctx, { ...frame, retries: frame.retries + 1 }, 'ask_order', { key: 'askOrderNumber' }, undefined, [{ type: 'text', text: say(lang, 'invalidOrderNumber') }]) };
    }
    return { kind: 'outcome', outcome: { replies: [], frame, notAnAnswer: true } };
  }
  const exclude = typeof frame.slots.exclude === 'string' ? frame.slots.exclude : undefined;
  const orders = (await ctx.crm.orders.listForCustomer(ctx.customerId, { limit: 6, statuses: opts.listStatuses })).filter((o) => o.orderNumber !== exclude).slice(0, 5);
  const choices: Choice[] = orders.map((o) => ({ label: `${o.orderNumber} · ${statusText(o.status, lang)}`, payload: `order:${o.orderNumber}` }));
  // orders this conversation already proved (a guest has none of their own to list)
  for (const n of [...(ctx.memory?.orders ?? [])].reverse()) {
    if (n !== exclude && !choices.some((c) => c.payload === `order:${n}`) && choices.length < 5) choices.push({ label: n, payload: `order:${n}` });
  }
  if (!choices.length) return { kind: 'outcome', outcome: ask(ctx, frame, 'ask_order', { key: 'askOrderNumber' }) };
  choices.push({ label: say(lang, 'otherOrder'), payload: 'order:*other' });
  return { kind: 'outcome', outcome: ask(ctx, frame, 'pick_order', { key: frame.flow === 'order_status' ? 'pickOrder' : 'pickOrderFor' }, choices) };
}

function access(ctx: TurnContext, number: string, phoneLast4?: string): Promise<OrderAccess> {
  return ctx.crm.orders.checkAccess(ctx.customerId, number, { phoneLast4, conversationId: ctx.conversationId, clientKey: ctx.clientKey, now: ctx.now });
}

async function tryNumber(ctx: TurnContext, frame: FlowFrame, number: string, opts: SlotOptions): Promise<OrderSlot> {
  // "SD2501019001 尾号8000": the digits came with the number, so they are not asked for again
  const a = await access(ctx, number, ctx.u.orderNumbers.includes(number.toUpperCase()) ? ctx.u.phoneLast4 : undefined);
  if (a.allowed) return granted(ctx, frame, a, opts);
  if (a.reason === 'too_many_attempts' || a.reason === 'verification_failed') return granted(ctx, frame, a, opts, number);
  const verifying = { ...frame, retries: 0, slots: { ...frame.slots, pendingOrder: number.toUpperCase(), orderNumber: undefined } };
  return { kind: 'outcome', outcome: ask(ctx, verifying, 'verify', { key: 'askPhoneLast4' }) };
}

/** What an access answer means for the flow: the order (maybe after an ownership question), or why not. */
function granted(ctx: TurnContext, frame: FlowFrame, a: OrderAccess, opts: SlotOptions, asked?: string): OrderSlot {
  const lang = ctx.u.lang;
  if (!a.allowed) {
    const number = asked ?? String(frame.slots.proofOrder ?? frame.slots.pendingOrder ?? '');
    if (a.reason === 'too_many_attempts') return tooMany(ctx, frame, number);
    return { kind: 'outcome', outcome: done([{ type: 'choices', text: say(lang, 'orderNotVisible', { order: number }), choices: [handoffChoice(ctx)] }]) };
  }
  ctx.seen?.orders.push(a.order.orderNumber);
  const f: FlowFrame = { ...frame, retries: 0, slots: { ...frame.slots, orderNumber: a.order.orderNumber, pendingOrder: undefined, proofOrder: undefined, exclude: undefined, access: a.via } };
  if (a.via === 'phone_last4' && opts.action && frame.slots.unverifiedAck !== true && (opts.actsOn?.(a.order) ?? true)) {
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
function tooMany(ctx: TurnContext, frame: FlowFrame, number: string): OrderSlot {
  const lang = ctx.u.lang;
  const text: Phrase = { key: 'tooManyAttempts', params: { order: number, otp: ctx.otp ? { key: 'tooManyAttemptsOtp' } : '' } };
  if (!ctx.otp) return { kind: 'outcome', outcome: done([{ type: 'choices', text: sayPhrase(lang, text), choices: [handoffChoice(ctx)] }]) };
  const f = { ...frame, slots: { ...frame.slots, proofOrder: number, pendingOrder: undefined } };
  return { kind: 'outcome', outcome: ask(ctx, f, 'owner_check', text, [{ label: say(lang, 'sendCode'), payload: 'owner:code' }, handoffChoice(ctx)]) };
}

async function ownerCheck(ctx: TurnContext, frame: FlowFrame, opts: SlotOptions): Promise<OrderSlot> {
  const choice = postbackValue(ctx.u, 'owner');
  const number = String(frame.slots.proofOrder ?? '');
  if (choice === 'code' && ctx.otp) return askForCode(ctx, frame, number);
  if (choice === 'continue' && opts.action) {
    const a = await access(ctx, number);
    return granted(ctx, { ...frame, slots: { ...frame.slots, unverifiedAck: true } }, a, opts, number);
  }
  return { kind: 'outcome', outcome: { replies: [], frame, notAnAnswer: true } };
}
