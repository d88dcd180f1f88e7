import type { OutboundMessage } from '../../shared/message-types.js';
import { runCancelFlow } from '../flows/cancel-order-flow.js';
import { runChangeOrderFlow } from '../flows/change-order-flow.js';
import { newFrame, POLICY_QUESTION } from '../flows/flow-helpers.js';
import { runOrderStatusFlow } from '../flows/order-status-flow.js';
import { runReturnFlow } from '../flows/return-flow.js';
import { articleStep, faqStep, handoffStep, refundStatusStep } from '../flows/single-turn-steps.js';
import { productCard, productInfoStep, STOCK_OR_PRICE } from '../flows/product-info-step.js';
import { leaveMessageFrame, runLeaveMessageFlow } from '../flows/leave-message-flow.js';
import { FLOW_INTENTS, INTENTS } from '../intent-names.js';
import { say } from '../replies/reply-texts.js';
import { FLOW_TIMEOUT_MS, type DialogueState, type FlowFrame, type FlowName } from './dialogue-state.js';
import type { FlowOutcome, HandoffReason, TurnContext, TurnResult } from './turn-types.js';

const FLOW_OF_INTENT: Record<string, FlowName> = {
  [INTENTS.orderStatus]: 'order_status', [INTENTS.returnRefund]: 'return', [INTENTS.exchange]: 'return',
  [INTENTS.cancelOrder]: 'cancel', [INTENTS.changeOrder]: 'change_order',
};
const FAQ_INTENTS: readonly string[] = [INTENTS.invoice, INTENTS.shippingInfo, INTENTS.paymentIssue, INTENTS.productQuestion, INTENTS.promotion, INTENTS.account];
/** Below this the classifier's intent is not acted on without help from the knowledge base. */
const ACT_CONFIDENCE = 0.45;
const ANGER_RUN = 3;

async function runFlow(ctx: TurnContext, frame: FlowFrame): Promise<FlowOutcome> {
  switch (frame.flow) {
    case 'order_status': return runOrderStatusFlow(ctx, frame);
    case 'return': return runReturnFlow(ctx, frame);
    case 'cancel': return runCancelFlow(ctx, frame);
    case 'change_order': return runChangeOrderFlow(ctx, frame);
    case 'csat': return runCsat(ctx, frame);
    case 'leave_message': return runLeaveMessageFlow(ctx, frame);
  }
}

function runCsat(ctx: TurnContext, frame: FlowFrame): FlowOutcome {
  const score = ctx.u.score ?? (ctx.u.postback?.startsWith('csat:') ? Number(ctx.u.postback.slice(5)) : undefined);
  if (!score || score < 1 || score > 5) return { replies: [], frame: null, notAnAnswer: true };
  const ticketId = typeof frame.slots.ticketId === 'number' ? frame.slots.ticketId : undefined;
  return { replies: [{ type: 'text', text: say(ctx.u.lang, score <= 2 ? 'csatLow' : 'csatThanks') }], frame: null, feedback: { score, ticketId } };
}

function csatQuestion(ctx: TurnContext, ticketId?: number): { reply: OutboundMessage; frame: FlowFrame } {
  const text = say(ctx.u.lang, 'csatAsk');
  const choices = [1, 2, 3, 4, 5].map((n) => ({ label: '★'.repeat(n), payload: `csat:${n}` }));
  const frame = { ...newFrame(ctx, 'csat', { ticketId }), step: 'score', prompt: { text, choices } };
  return { reply: { type: 'choices', text, choices }, frame };
}

/**
 * One customer turn: timeouts and control words, then the active flow (an interruption is
 * answered and the flow resumes, or a new flow replaces it), then routing by intent; misses,
 * anger and explicit requests hand over to a person.
 */
export async function routeTurn(ctx: TurnContext, prior: DialogueState): Promise<TurnResult> {
  const u = ctx.u;
  const state: DialogueState = { ...prior, lang: u.text ? u.lang : (prior.lang ?? u.lang), lastChoices: undefined, releasedAt: undefined };
  // handed back by staff: whatever flow was open before the handoff is stale
  if (prior.releasedAt && state.flow && Date.parse(state.flow.updatedAt) <= Date.parse(prior.releasedAt)) state.flow = undefined;
  const result = (replies: OutboundMessage[], extra: Partial<TurnResult> = {}): TurnResult => ({ replies, state, intent: u.postback ? 'postback' : u.intent, confidence: u.postback ? 1 : u.confidence, ...extra });
  const handoff = async (reason: HandoffReason, before: OutboundMessage[] = []): Promise<TurnResult> => {
    const h = await handoffStep(ctx, reason);
    // the engine adds the notice (with the expected wait, or the service hours when closed)
    state.flow = ctx.staffOpen ? undefined : leaveMessageFrame(ctx, h.ticketId);
    state.misses = 0;
    state.anger = 0;
    return result([...before, ...h.replies], { handoff: { reason, ticketId: h.ticketId, leaveMessage: !ctx.staffOpen } });
  };

  if (u.empty) return result([{ type: 'text', text: say(u.lang, 'emptyMessage') }]);
  if (u.unsupported) return result([{ type: 'text', text: say(u.lang, 'unsupportedContent') }]);

  const notes: OutboundMessage[] = [];
  if (state.flow && ctx.now.getTime() - Date.parse(state.flow.updatedAt) > FLOW_TIMEOUT_MS) {
    if (state.flow.flow !== 'csat') notes.push({ type: 'text', text: say(u.lang, 'flowTimedOut') });
    state.flow = undefined;
  }
  state.anger = u.sentiment <= -0.4 ? state.anger + 1 : Math.max(0, state.anger - 1);
  if (state.anger >= ANGER_RUN) return handoff('anger', notes);
  // "我要投诉…转人工": a complaint that asks for a person is still a complaint (priority, apology)
  if (u.postback === 'handoff' || u.control === 'human') return handoff(u.control === 'human' && u.intent === INTENTS.complaint ? 'complaint' : 'requested', notes);
  if ((u.control === 'cancel' || u.control === 'restart') && state.flow && state.flow.flow !== 'csat') {
    state.flow = undefined;
    return result([...notes, { type: 'text', text: say(u.lang, 'flowCancelled') }]);
  }

  // the active flow gets the message first
  let pendingResume: FlowFrame | undefined;
  if (state.flow) {
    const outcome = await runFlow(ctx, state.flow);
    if (!outcome.notAnAnswer) return finishFlow(ctx, state, outcome, [...notes], result, handoff);
    if (state.flow.flow !== 'csat') pendingResume = state.flow;
    state.flow = undefined;
  }

  const routed = await routeRequest(ctx, state, result, handoff);
  if (routed.state.flow || routed.handoff || !pendingResume) return { ...routed, replies: [...notes, ...routed.replies] };
  // interruption answered: pick the flow up where it was
  const prompt = pendingResume.prompt;
  const resume: OutboundMessage[] = prompt
    ? [prompt.choices?.length ? { type: 'choices', text: `${say(u.lang, 'resume')}\n${prompt.text}`, choices: prompt.choices } : { type: 'text', text: `${say(u.lang, 'resume')}\n${prompt.text}` }]
    : [];
  routed.state.flow = { ...pendingResume, updatedAt: ctx.now.toISOString() };
  routed.state.lastChoices = prompt?.choices;
  // an FAQ answer's "start this flow" button is moot when that very flow resumes below
  const offersResumedFlow = (m: OutboundMessage) =>
    m.type === 'choices' && m.choices.every((c) => c.payload.startsWith('intent:') && FLOW_OF_INTENT[c.payload.slice(7)] === pendingResume.flow);
  return { ...routed, replies: [...notes, ...routed.replies.filter((m) => !offersResumedFlow(m)), ...resume] };
}

type ResultFn = (replies: OutboundMessage[], extra?: Partial<TurnResult>) => TurnResult;
type HandoffFn = (reason: HandoffReason, before?: OutboundMessage[]) => Promise<TurnResult>;

async function finishFlow(ctx: TurnContext, state: DialogueState, outcome: FlowOutcome, notes: OutboundMessage[], result: ResultFn, handoff: HandoffFn): Promise<TurnResult> {
  state.misses = 0;
  if (outcome.handoff) return handoff(outcome.handoff, [...notes, ...outcome.replies]);
  state.flow = outcome.frame ?? undefined;
  state.lastChoices = outcome.frame?.prompt?.choices;
  const replies = [...notes, ...outcome.replies];
  if (outcome.resolved && !outcome.frame) {
    const q = csatQuestion(ctx, outcome.resolved.ticketId);
    replies.push(q.reply);
    state.flow = q.frame;
    state.lastChoices = q.frame.prompt?.choices;
    return result(replies, { resolved: true, ...(outcome.feedback ? { feedback: outcome.feedback } : {}) });
  }
  return result(replies, outcome.feedback ? { feedback: outcome.feedback } : {});
}

async function startFlow(ctx: TurnContext, state: DialogueState, flow: FlowName, slots: Record<string, unknown>, result: ResultFn, handoff: HandoffFn): Promise<TurnResult> {
  const outcome = await runFlow(ctx, newFrame(ctx, flow, slots));
  return finishFlow(ctx, state, { ...outcome, notAnAnswer: false }, [], result, handoff);
}

async function routeRequest(ctx: TurnContext, state: DialogueState, result: ResultFn, handoff: HandoffFn): Promise<TurnResult> {
  const u = ctx.u;
  const lang = u.lang;
  // buttons
  if (u.postback) {
    const [kind, a, b] = u.postback.split(':');
    if (kind === 'intent' && a) return routeIntent(ctx, state, a, result, handoff);
    if (kind === 'product' && a) {
      const product = await ctx.crm.products.bySku(u.postback.slice(8));
      if (product) { state.misses = 0; return result([productCard(product, ctx)]); }
    }
    if (kind === 'kb' && a) {
      const r = articleStep(ctx, u.postback.slice(3));
      if (r.handled) { state.misses = 0; return result(r.replies); }
    }
    if (kind === 'flow' && a && FLOW_OF_INTENT[a === 'return' ? INTENTS.returnRefund : a === 'cancel' ? INTENTS.cancelOrder : a]) {
      const flow = a === 'return' ? 'return' : a === 'cancel' ? 'cancel' : FLOW_OF_INTENT[a];
      return startFlow(ctx, state, flow, { orderNumber: b, kind: 'return' }, result, handoff);
    }
    if (u.postback === 'no' || u.postback === 'skip') return result([{ type: 'text', text: say(lang, 'goodbye') }]);
    if (u.postback.startsWith('csat:')) return result([]);
    // a stale button from an earlier question: treat its label like typed text
    if (!u.text) return result([{ type: 'choices', text: say(lang, 'notUnderstood'), choices: menu(ctx) }]);
  }
  if (u.attachment && !u.text) return result([{ type: 'text', text: say(lang, 'photoReceived') + ' ' + say(lang, 'unsupportedContent') }]);
  if (u.orderNumbers.length && !FLOW_OF_INTENT[u.intent]) return startFlow(ctx, state, 'order_status', {}, result, handoff);
  if (u.outOfScope && u.intent === INTENTS.outOfScope && u.confidence >= 0.5) return miss(ctx, state, say(lang, 'outOfScope'), result, handoff);
  if (u.confidence < ACT_CONFIDENCE || u.outOfScope) {
    const faq = faqStep(ctx);
    if (faq.handled) { state.misses = 0; return result(faq.replies); }
    return miss(ctx, state, say(lang, 'notUnderstood'), result, handoff);
  }
  return routeIntent(ctx, state, u.intent, result, handoff);
}

async function routeIntent(ctx: TurnContext, state: DialogueState, intent: string, result: ResultFn, handoff: HandoffFn): Promise<TurnResult> {
  const u = ctx.u;
  const lang = u.lang;
  if (intent === INTENTS.humanAgent) return handoff('requested');
  if (intent === INTENTS.complaint) return handoff('complaint');
  if (intent === INTENTS.greeting) { state.misses = 0; return result([{ type: 'choices', text: say(lang, 'greeting', { shop: ctx.policy.name }), choices: menu(ctx) }]); }
  if (intent === INTENTS.thanksGoodbye) { state.misses = 0; return result([{ type: 'text', text: say(lang, 'goodbye') }]); }
  if (intent === INTENTS.refundStatus) {
    state.misses = 0;
    const status = await refundStatusStep(ctx);
    // "how long does a refund take?" from someone with nothing in progress is a policy question
    if (!status.found && POLICY_QUESTION.test(u.text)) {
      const faq = faqStep(ctx, intent);
      if (faq.handled) return result(faq.replies);
    }
    return result(status.replies);
  }
  if (FLOW_INTENTS.includes(intent)) {
    // "what is your return policy?" is a question for the FAQ, with the flow one tap away
    if (!u.orderNumbers.length && !u.postback && POLICY_QUESTION.test(u.text)) {
      const faq = faqStep(ctx, intent);
      if (faq.handled) {
        state.misses = 0;
        const start = { label: say(lang, intent === INTENTS.orderStatus ? 'checkOrder' : 'startReturn'), payload: `intent:${intent}` };
        return result([...faq.replies, { type: 'choices', text: say(lang, 'faqThenFlow'), choices: [start] }]);
      }
    }
    return startFlow(ctx, state, FLOW_OF_INTENT[intent], { kind: intent === INTENTS.exchange ? 'exchange' : 'return', firstText: u.text }, result, handoff);
  }
  if (intent === INTENTS.productQuestion && STOCK_OR_PRICE.test(u.text)) {
    const product = await productInfoStep(ctx);
    if (product) { state.misses = 0; return result(product); }
  }
  if (FAQ_INTENTS.includes(intent) || intent !== INTENTS.outOfScope) {
    const faq = faqStep(ctx, intent);
    if (faq.handled) { state.misses = 0; return result(faq.replies); }
    return miss(ctx, state, say(lang, 'kbNone'), result, handoff);
  }
  return miss(ctx, state, say(lang, 'outOfScope'), result, handoff);
}

function menu(ctx: TurnContext) {
  const lang = ctx.u.lang;
  return [
    { label: say(lang, 'menuOrder'), payload: 'intent:order_status' },
    { label: say(lang, 'menuReturn'), payload: 'intent:return_refund' },
    { label: say(lang, 'menuHuman'), payload: 'handoff' },
  ];
}

/** A message the bot could not handle; the second in a row hands over to a person. */
async function miss(ctx: TurnContext, state: DialogueState, text: string, result: ResultFn, handoff: HandoffFn): Promise<TurnResult> {
  state.misses += 1;
  if (state.misses >= 2) return handoff('misses');
  state.lastChoices = menu(ctx);
  return result([{ type: 'choices', text, choices: menu(ctx) }]);
}
