import type { Choice, OutboundMessage } from '../../shared/message-types.js';
import type { FlowFrame } from '../engine/dialogue-state.js';
import type { FlowOutcome, TurnContext, Understanding } from '../engine/turn-types.js';
import { localiseChoice } from '../replies/choice-labels.js';
import { isTextKey, say, sayPhrase, type Lang, type Phrase } from '../replies/reply-texts.js';

/** A new frame of a flow, in its start state. */
export function newFrame(ctx: TurnContext, flow: { name: string; start: string }, slots: Record<string, unknown> = {}): FlowFrame {
  const at = ctx.now.toISOString();
  return { flow: flow.name, step: flow.start, slots, startedAt: at, updatedAt: at, startedBy: ctx.inboundId, retries: 0 };
}

/**
 * Asks the flow's next question and remembers it, so it can be asked again after an
 * interruption — in the other language too, when it is given as a phrase (a text key).
 */
export function ask(ctx: TurnContext, frame: FlowFrame, step: string, question: string | Phrase, choices?: Choice[], before: OutboundMessage[] = []): FlowOutcome {
  const text = typeof question === 'string' ? question : sayPhrase(ctx.u.lang, question);
  const byKey = typeof question === 'string' ? {} : { key: question.key, ...(question.params ? { params: question.params } : {}) };
  const sameStep = step === frame.step;
  const next: FlowFrame = { ...frame, step, prompt: { text, choices, ...byKey }, updatedAt: ctx.now.toISOString(), retries: sameStep ? frame.retries : 0, resumed: sameStep ? frame.resumed : undefined };
  return { replies: [...before, choices?.length ? { type: 'choices', text, choices } : { type: 'text', text }], frame: next };
}

/** A flow's stored question as it should be asked now, in `lang`. */
export function promptIn(prompt: NonNullable<FlowFrame['prompt']>, lang: Lang): { text: string; choices?: Choice[] } {
  const key = prompt.key;
  const params = prompt.params && Object.values(prompt.params).every((v) => typeof v !== 'object' || isTextKey(v.key)) ? (prompt.params as Phrase['params']) : undefined;
  const text = key && isTextKey(key) ? sayPhrase(lang, { key, params }) : prompt.text;
  return { text, choices: prompt.choices?.map((c) => localiseChoice(c, lang)) };
}

export function done(replies: OutboundMessage[], extra: Partial<FlowOutcome> = {}): FlowOutcome {
  return { replies, frame: null, ...extra };
}

export function handoffChoice(ctx: TurnContext): Choice {
  return { label: say(ctx.u.lang, 'menuHuman'), payload: 'handoff' };
}

const QUESTION = /[?？]|吗|呢|么|怎么|如何|多久|几天|什么|哪|how|what|when|why|which|can i|do you|is there|are there/i;

/** A question about the shop's rules rather than a request to act ("what is your return policy?"). */
export const POLICY_QUESTION = /政策|规则|规定|多久|几天|多少天|怎么算|运费|谁出|吗[?？]?$|policy|rules|how long|how many days|who pays|do you|can i|is it possible/i;

/**
 * At a free-text step, is this message a new question rather than the answer? Only a confident,
 * question-shaped message counts: one about something else, or one asking about the policy of
 * the flow's own subject. An ordinary answer is never lost.
 */
export function looksLikeNewRequest(u: Understanding, ownIntents: string[]): boolean {
  if (u.postback || u.attachment) return false;
  // "好的谢谢" is the customer closing, never a return reason or an address
  if (u.closing) return true;
  if (u.orderNumbers.length) return false;
  if (u.confidence < 0.75 || u.outOfScope || !QUESTION.test(u.text)) return false;
  return !ownIntents.includes(u.intent) || POLICY_QUESTION.test(u.text);
}

export function postbackValue(u: Understanding, prefix: string): string | undefined {
  return u.postback?.startsWith(`${prefix}:`) ? u.postback.slice(prefix.length + 1) : undefined;
}
