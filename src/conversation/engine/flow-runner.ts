import type { OutboundMessage } from '../../shared/message-types.js';
import { runAccountLinkFlow } from '../flows/account-link-flow.js';
import { runCancelFlow } from '../flows/cancel-order-flow.js';
import { runChangeOrderFlow } from '../flows/change-order-flow.js';
import { newFrame } from '../flows/flow-helpers.js';
import { leaveMessageFrame, runLeaveMessageFlow } from '../flows/leave-message-flow.js';
import { runOrderStatusFlow } from '../flows/order-status-flow.js';
import { runReturnFlow } from '../flows/return-flow.js';
import { handoffStep } from '../flows/single-turn-steps.js';
import type { DialogueState, FlowFrame, FlowName } from './dialogue-state.js';
import { runCsat } from './satisfaction.js';
import type { FlowOutcome, HandoffReason, TurnContext, TurnResult } from './turn-types.js';

export type ResultFn = (replies: OutboundMessage[], extra?: Partial<TurnResult>) => TurnResult;
export type HandoffFn = (reason: HandoffReason, before?: OutboundMessage[]) => Promise<TurnResult>;

/** The two ways every routing step ends a turn: with replies, or by handing over to a person. */
export interface TurnEnds { result: ResultFn; handoff: HandoffFn }

export async function runFlow(ctx: TurnContext, frame: FlowFrame): Promise<FlowOutcome> {
  switch (frame.flow) {
    case 'order_status': return runOrderStatusFlow(ctx, frame);
    case 'return': return runReturnFlow(ctx, frame);
    case 'cancel': return runCancelFlow(ctx, frame);
    case 'change_order': return runChangeOrderFlow(ctx, frame);
    case 'csat': return runCsat(ctx, frame);
    case 'leave_message': return runLeaveMessageFlow(ctx, frame);
    case 'link_account': return runAccountLinkFlow(ctx, frame);
  }
}

/** Builds the turn's result and handoff functions over a state the routing steps change in place. */
export function turnEnds(ctx: TurnContext, state: DialogueState): TurnEnds {
  const u = ctx.u;
  const result: ResultFn = (replies, extra = {}) => ({ replies, state, intent: u.postback ? 'postback' : u.intent, confidence: u.postback ? 1 : u.confidence, ...extra });
  const handoff: HandoffFn = async (reason, before = []) => {
    const h = await handoffStep(ctx, reason);
    // the engine adds the notice (with the expected wait, or the service hours when closed)
    state.flow = ctx.staffOpen ? undefined : leaveMessageFrame(ctx, h.ticketId);
    state.misses = 0;
    state.anger = 0;
    return result([...before, ...h.replies], { handoff: { reason, ticketId: h.ticketId, leaveMessage: !ctx.staffOpen } });
  };
  return { result, handoff };
}

/**
 * A flow step's outcome applied to the state. A flow that finished what the customer asked
 * "settles" the conversation: it is resolved when they confirm, or after a quiet while — the
 * satisfaction question is not asked here.
 */
export async function finishFlow(ctx: TurnContext, state: DialogueState, outcome: FlowOutcome, notes: OutboundMessage[], ends: TurnEnds, flow?: FlowName): Promise<TurnResult> {
  state.misses = 0;
  if (ctx.seen && flow && flow !== 'csat') ctx.seen.flow = flow;
  if (outcome.handoff) return ends.handoff(outcome.handoff, [...notes, ...outcome.replies]);
  state.flow = outcome.frame ?? undefined;
  state.lastChoices = outcome.frame?.prompt?.choices;
  const replies = [...notes, ...outcome.replies];
  const extra: Partial<TurnResult> = outcome.feedback ? { feedback: outcome.feedback } : {};
  if (outcome.resolved && !outcome.frame) {
    if (ctx.seen && outcome.resolved.ticketId) ctx.seen.ticketId = outcome.resolved.ticketId;
    return ends.result(replies, { ...extra, settles: { ticketId: outcome.resolved.ticketId } });
  }
  return ends.result(replies, extra);
}

export async function startFlow(ctx: TurnContext, state: DialogueState, flow: FlowName, slots: Record<string, unknown>, ends: TurnEnds): Promise<TurnResult> {
  const outcome = await runFlow(ctx, newFrame(ctx, flow, slots));
  return finishFlow(ctx, state, { ...outcome, notAnAnswer: false }, [], ends, flow);
}
