import type { OutboundMessage } from '../../shared/message-types.js';
import { say, type Lang } from '../replies/reply-texts.js';
import type { DialogueState, FlowFrame } from './dialogue-state.js';
import { csatFlow } from '../flows/csat-flow.js';

/**
 * The satisfaction question: asked once when a conversation is resolved — the customer confirms
 * they are done, the idle sweep resolves a settled conversation, or staff resolve a handed-off
 * one — never after every answer. A conversation reopened and resolved again within a day is not
 * asked twice.
 */
export const CSAT_REPEAT_AFTER_MS = 24 * 60 * 60_000;

export function csatDue(state: DialogueState, now: Date): boolean {
  return !state.csatAskedAt || now.getTime() - Date.parse(state.csatAskedAt) > CSAT_REPEAT_AFTER_MS;
}

/** The question and the frame that reads its answer; the state records that it was asked. */
export function askCsat(state: DialogueState, lang: Lang, now: Date, opts: { ticketId?: number; startedBy?: number } = {}): OutboundMessage {
  const text = say(lang, 'csatAsk');
  const choices = [1, 2, 3, 4, 5].map((n) => ({ label: '★'.repeat(n), payload: `csat:${n}` }));
  const at = now.toISOString();
  const frame: FlowFrame = { flow: csatFlow.name, step: csatFlow.start, slots: opts.ticketId ? { ticketId: opts.ticketId } : {}, prompt: { text, choices, key: 'csatAsk' }, startedAt: at, updatedAt: at, startedBy: opts.startedBy ?? 0, retries: 0 };
  state.flow = frame;
  state.lastChoices = choices;
  state.csatAskedAt = at;
  state.settled = undefined;
  return { type: 'choices', text, choices };
}

/**
 * What the idle sweep does to a settled conversation nobody wrote in for the quiet time: it is
 * resolved by the bot, with the satisfaction question when one is due. Undefined when the state
 * is not (or no longer) settled, or a flow is open.
 */
export function resolveSettled(state: DialogueState, now: Date, idleMs: number): { messages: OutboundMessage[]; state: DialogueState } | undefined {
  if (!state.settled || state.flow) return undefined;
  if (now.getTime() - Date.parse(state.settled.at) < idleMs) return undefined;
  const next: DialogueState = { ...state, settled: undefined, lastChoices: undefined, queued: undefined };
  const lang = state.lang ?? 'zh';
  const messages = csatDue(state, now) ? [askCsat(next, lang, now, { ticketId: state.settled.ticketId })] : [];
  return { messages, state: next };
}
