import type { OutboundMessage } from '../../shared/message-types.js';
import { AppError } from '../../shared/app-error.js';
import { logger } from '../../shared/logger.js';
import { END, type AnyFlowDefinition } from '../flows/flow-definition.js';
import { newFrame } from '../flows/flow-helpers.js';
import { leaveMessageFrame } from '../flows/leave-message-flow.js';
import { flowByName, isOptionalFlow } from '../flows/flow-registry.js';
import { handoffStep } from '../flows/single-turn-steps.js';
import type { DialogueState, FlowFrame } from './dialogue-state.js';
import type { FlowOutcome, HandoffReason, TurnContext, TurnResult } from './turn-types.js';

const log = logger('conversation.flow-runner');

export type ResultFn = (replies: OutboundMessage[], extra?: Partial<TurnResult>) => TurnResult;
export type HandoffFn = (reason: HandoffReason, before?: OutboundMessage[]) => Promise<TurnResult>;

/** The two ways every routing step ends a turn: with replies, or by handing over to a person. */
export interface TurnEnds { result: ResultFn; handoff: HandoffFn }

/** A stored frame checked against its flow: usable (slots parsed), or stale (and the flow, when it still exists). */
export type LoadedFrame = { kind: 'ok'; frame: FlowFrame } | { kind: 'stale'; flow?: AnyFlowDefinition };

/**
 * Checks a frame read from the conversation against the registry: its flow must exist, its step
 * be one of the flow's states and its slots parse with the flow's schema. A frame from an older
 * version that does not fit is stale — the caller drops it and, for a flow a customer starts,
 * starts it over (its first question asked again).
 */
export function loadFrame(ctx: TurnContext, frame: FlowFrame): LoadedFrame {
  const def = flowByName(frame.flow);
  const slots = def?.slots.safeParse(frame.slots);
  if (def && def.states[frame.step] && slots?.success) return { kind: 'ok', frame: { ...frame, slots: slots.data } };
  const why = !def ? 'unknown flow' : !def.states[frame.step] ? 'unknown step' : 'slots do not parse';
  const fields = slots && !slots.success ? slots.error.issues.map((i) => i.path.join('.')) : undefined;
  log.warn({ conversationId: ctx.conversationId, flow: frame.flow, step: frame.step, why, fields }, 'stored flow frame dropped');
  return { kind: 'stale', flow: def };
}

/** Runs the frame's state (its slots already parsed by `loadFrame`) and checks the move against the table. */
export async function runFlow(ctx: TurnContext, frame: FlowFrame): Promise<FlowOutcome> {
  const def = flowByName(frame.flow);
  const state = def?.states[frame.step];
  if (!def || !state) throw new AppError('NOT_FOUND', `no state "${frame.step}" in flow "${frame.flow}"`, { details: { flow: frame.flow, step: frame.step } });
  const outcome = await state.run(ctx, frame);
  checkTransition(def, frame.step, outcome);
  return outcome;
}

/**
 * Refuses a move the flow's table does not list: to a state not in `to`, finishing (or handing
 * over) where `END` is not in `to`, a frame of another flow, slots that do not fit the schema, or
 * "not an answer" that moved the frame. A refused move is a bug in the flow, logged and thrown.
 */
export function checkTransition(def: AnyFlowDefinition, from: string, outcome: FlowOutcome): void {
  const allowed = def.states[from]?.to ?? [];
  const next = outcome.frame;
  const to = outcome.notAnAnswer ? (next?.step ?? from) : outcome.handoff || !next ? END : next.step;
  let problem: string | undefined;
  if (outcome.notAnAnswer && to !== from) problem = 'a message that is not an answer moved the flow';
  else if (!outcome.notAnAnswer && !allowed.includes(to)) problem = `"${from}" may go to ${allowed.join(', ') || 'nothing'}`;
  else if (next && next.flow !== def.name) problem = `the frame belongs to flow "${next.flow}"`;
  else if (next && !outcome.notAnAnswer) problem = slotProblem(def, next.slots);
  if (!problem) return;
  log.error({ flow: def.name, from, to }, 'illegal flow transition');
  throw new AppError('ILLEGAL_TRANSITION', `flow "${def.name}" cannot go from "${from}" to "${to}": ${problem}`, { details: { flow: def.name, from, to } });
}

/** Slots a handler wrote must fit the schema, and every key must be declared (an undeclared one would be lost). */
function slotProblem(def: AnyFlowDefinition, slots: Record<string, unknown>): string | undefined {
  const parsed = def.slots.safeParse(slots);
  if (!parsed.success) return `slots do not fit: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`;
  const undeclared = Object.keys(slots).filter((k) => slots[k] !== undefined && !(k in parsed.data));
  return undeclared.length ? `undeclared slots: ${undeclared.join(', ')}` : undefined;
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
export async function finishFlow(ctx: TurnContext, state: DialogueState, outcome: FlowOutcome, notes: OutboundMessage[], ends: TurnEnds, flow?: string): Promise<TurnResult> {
  state.misses = 0;
  if (ctx.seen && flow && !isOptionalFlow(flow)) ctx.seen.flow = flow;
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

/**
 * Starts a flow in its start state with the slots the router already knows (parsed with the
 * flow's schema: what the flow does not declare is left out). The start state always answers.
 */
export async function startFlow(ctx: TurnContext, state: DialogueState, flow: AnyFlowDefinition, slots: Record<string, unknown>, ends: TurnEnds, notes: OutboundMessage[] = []): Promise<TurnResult> {
  const parsed = flow.slots.safeParse(slots);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', `flow "${flow.name}" cannot start with these slots: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const outcome = await runFlow(ctx, newFrame(ctx, flow, parsed.data));
  return finishFlow(ctx, state, { ...outcome, notAnAnswer: false }, notes, ends, flow.name);
}
