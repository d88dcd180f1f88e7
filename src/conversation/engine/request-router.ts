import type { Choice } from '../../shared/message-types.js';
import { accountLinkFlow, isLinkRequest } from '../flows/account-link-flow.js';
import { POLICY_QUESTION } from '../flows/flow-helpers.js';
import { productCard, productInfoStep, STOCK_OR_PRICE } from '../flows/product-info-step.js';
import { articleStep, faqStep, refundStatusStep } from '../flows/single-turn-steps.js';
import { flowByName, flowForIntent } from '../flows/flow-registry.js';
import { orderStatusFlow } from '../flows/order-status-flow.js';
import { INTENTS } from '../intent-names.js';
import { intentLabel } from '../replies/intent-labels.js';
import { say } from '../replies/reply-texts.js';
import type { DialogueState } from './dialogue-state.js';
import { startFlow, type TurnEnds } from './flow-runner.js';
import { routeFollowUp } from './follow-up-router.js';
import type { TurnContext, TurnResult } from './turn-types.js';
import { citedAnswerText, type LlmAssistant } from '../llm/llm-assistant.js';

const FAQ_INTENTS: readonly string[] = [INTENTS.invoice, INTENTS.shippingInfo, INTENTS.paymentIssue, INTENTS.productQuestion, INTENTS.promotion, INTENTS.account];
/** Below this the classifier's intent is not acted on without help from the knowledge base. */
const ACT_CONFIDENCE = 0.45;
/** A guess below this is not worth a button. */
const CANDIDATE_CONFIDENCE = 0.08;
/** How long what the conversation was about stays the referent of "this order" and "it". */
const MEMORY_FRESH_MS = 30 * 60_000;

/** A new request (not an answer to an open flow): buttons, follow-ups, intents; what it cannot place is a miss. */
export async function routeRequest(ctx: TurnContext, state: DialogueState, ends: TurnEnds): Promise<TurnResult> {
  const u = ctx.u;
  const lang = u.lang;
  const { result } = ends;
  // "绑定手机 / verify my email", or the offer to an unidentified sender: a code to the contact on file
  if (u.postback === 'flow:link' || (!u.postback && isLinkRequest(u.text))) return startFlow(ctx, state, accountLinkFlow, {}, ends);
  // buttons
  if (u.postback) {
    const [kind, a, b] = u.postback.split(':');
    if (kind === 'intent' && a) {
      // "did you mean…": the picked intent answers the question that was asked, not the button's label
      const asked = state.pendingQuestion;
      state.pendingQuestion = undefined;
      return routeIntent(asked ? { ...ctx, u: { ...u, text: asked } } : ctx, state, a, ends);
    }
    if (kind === 'product' && a) {
      const product = await ctx.crm.products.bySku(u.postback.slice(8));
      if (product) { state.misses = 0; return result([productCard(product, ctx)]); }
    }
    if (kind === 'kb' && a) {
      const r = articleStep(ctx, u.postback.slice(3));
      if (r.handled) { state.misses = 0; return result(r.replies, { settles: {} }); }
    }
    // "flow:return:SD…": a button naming a flow (or an intent that starts one) a customer may start
    const flow = kind === 'flow' && a ? (flowByName(a) ?? flowForIntent(a)) : undefined;
    if (flow?.intents.length) return startFlow(ctx, state, flow, { orderNumber: b, kind: 'return' }, ends);
    if (u.postback === 'no' || u.postback === 'skip') return result([{ type: 'text', text: say(lang, 'goodbye') }]);
    if (u.postback.startsWith('csat:')) return result([]);
    // a stale button from an earlier question: treat its label like typed text
    if (!u.text) return result([{ type: 'choices', text: say(lang, 'notUnderstood'), choices: menu(ctx) }]);
  }
  if (u.attachment && !u.text) return result([{ type: 'text', text: say(lang, 'photoReceived') + ' ' + say(lang, 'unsupportedContent') }]);
  const followed = await routeFollowUp(ctx, state, ends);
  if (followed) return followed;
  if (u.orderNumbers.length && !flowForIntent(u.intent)) return startFlow(ctx, state, orderStatusFlow, {}, ends);
  if (u.outOfScope && u.intent === INTENTS.outOfScope && u.confidence >= 0.5) return offTopic(ctx, state, ends);
  if (ctx.llm && u.text && !u.postback && !u.control && (u.confidence < ctx.llm.askBelow || u.outOfScope)) {
    const assisted = await llmStep(ctx, ctx.llm, state, ends);
    if (assisted) return assisted;
  }
  if (u.confidence < ACT_CONFIDENCE || u.outOfScope) {
    const faq = faqStep(ctx);
    if (faq.handled) { state.misses = 0; return result(faq.replies, faq.answered ? { settles: {} } : {}); }
    return shopMiss(ctx, state, ends);
  }
  return routeIntent(ctx, state, u.intent, ends);
}

/**
 * A message the classifier is unsure of, with a model configured: the model's intent (when it is
 * sure) routes as the classifier's would, and a question the FAQ articles retrieved for it answer
 * gets the model's answer with its source. Anything else (off, slow, unsure, nothing retrieved)
 * is undefined and the deterministic path carries on. The model only ever names an intent or
 * writes answer text: the customer, their orders and the flows come from the session.
 */
async function llmStep(ctx: TurnContext, llm: LlmAssistant, state: DialogueState, ends: TurnEnds): Promise<TurnResult | undefined> {
  const u = ctx.u;
  const guess = await llm.classify(u.text, u.lang);
  const intent = guess?.intent;
  if (intent && intent !== INTENTS.outOfScope && !FAQ_INTENTS.includes(intent)) {
    return routeIntent({ ...ctx, u: { ...u, intent, confidence: guess.confidence, outOfScope: false } }, state, intent, ends);
  }
  if (intent === INTENTS.outOfScope) return undefined;
  const decision = ctx.kb.decide(u.text, { lang: u.lang, intent });
  const articles = decision.kind === 'answer' ? [decision.hit.article] : decision.kind === 'choices' ? decision.hits.map((h) => h.article) : [];
  const answer = await llm.answerFaq(u.text, u.lang, articles);
  if (!answer) return intent ? routeIntent({ ...ctx, u: { ...u, intent, confidence: guess.confidence, outOfScope: false } }, state, intent, ends) : undefined;
  state.misses = 0;
  if (ctx.seen && intent) ctx.seen.topic = intent;
  return ends.result([{ type: 'text', text: citedAnswerText(answer, u.lang) }], { settles: {} });
}

export async function routeIntent(ctx: TurnContext, state: DialogueState, intent: string, ends: TurnEnds): Promise<TurnResult> {
  const u = ctx.u;
  const lang = u.lang;
  const { result, handoff } = ends;
  if (intent === INTENTS.humanAgent) return handoff('requested');
  if (intent === INTENTS.complaint) return handoff('complaint');
  if (intent === INTENTS.greeting) return result([{ type: 'choices', text: say(lang, 'greeting', { shop: ctx.policy.name }), choices: menu(ctx) }]);
  if (intent === INTENTS.thanksGoodbye) { state.misses = 0; return result([{ type: 'text', text: say(lang, 'goodbye') }]); }
  if (intent === INTENTS.refundStatus) {
    state.misses = 0;
    const status = await refundStatusStep(ctx);
    // "how long does a refund take?" from someone with nothing in progress is a policy question
    if (!status.found && POLICY_QUESTION.test(u.text)) {
      const faq = faqStep(ctx, intent);
      if (faq.handled) return result(faq.replies, faq.answered ? { settles: {} } : {});
    }
    return result(status.replies, { settles: {} });
  }
  const flow = flowForIntent(intent);
  if (flow) {
    // "我要取消这个订单", "这个能退吗", "return it": the order the conversation was just about
    const remembered = !u.orderNumbers.length && u.pointsAtOrder && freshMemory(ctx) ? ctx.memory?.order : undefined;
    // "what is your return policy?" is a question for the FAQ, with the flow one tap away
    if (!remembered && !u.orderNumbers.length && !u.postback && POLICY_QUESTION.test(u.text)) {
      const faq = faqStep(ctx, intent);
      if (faq.handled) {
        state.misses = 0;
        const start = { label: say(lang, intent === INTENTS.orderStatus ? 'checkOrder' : 'startReturn'), payload: `intent:${intent}` };
        return result([...faq.replies, { type: 'choices', text: say(lang, 'faqThenFlow'), choices: [start] }]);
      }
    }
    return startFlow(ctx, state, flow, { kind: intent === INTENTS.exchange ? 'exchange' : 'return', firstText: u.text, ...(remembered ? { orderNumber: remembered } : {}) }, ends);
  }
  if (intent === INTENTS.productQuestion && STOCK_OR_PRICE.test(u.text)) {
    const product = await productInfoStep(ctx);
    if (product) { state.misses = 0; return result(product); }
  }
  if (FAQ_INTENTS.includes(intent) || intent !== INTENTS.outOfScope) {
    const faq = faqStep(ctx, intent);
    if (faq.handled) {
      state.misses = 0;
      if (ctx.seen) ctx.seen.topic = intent;
      return result(faq.replies, faq.answered ? { settles: {} } : {});
    }
    return shopMiss(ctx, state, ends, intent);
  }
  return offTopic(ctx, state, ends);
}

export function freshMemory(ctx: TurnContext): boolean {
  return Boolean(ctx.memory && ctx.now.getTime() - Date.parse(ctx.memory.at) <= MEMORY_FRESH_MS);
}

export function menu(ctx: TurnContext): Choice[] {
  const lang = ctx.u.lang;
  return [
    { label: say(lang, 'menuOrder'), payload: 'intent:order_status' },
    { label: say(lang, 'menuReturn'), payload: 'intent:return_refund' },
    { label: say(lang, 'menuHuman'), payload: 'handoff' },
  ];
}

/** Not about the shop: said plainly, with what the bot can do. Never a reason to hand over. */
function offTopic(ctx: TurnContext, state: DialogueState, ends: TurnEnds): TurnResult {
  state.lastChoices = menu(ctx);
  return ends.result([{ type: 'choices', text: say(ctx.u.lang, 'outOfScope'), choices: menu(ctx) }]);
}

/**
 * A shop request the bot could not place or answer. The first time the customer gets the likely
 * choices (the classifier's best guesses) and a person as one of them; stuck a second time in a
 * row, they are handed over.
 */
function shopMiss(ctx: TurnContext, state: DialogueState, ends: TurnEnds, failedIntent?: string): Promise<TurnResult> | TurnResult {
  const lang = ctx.u.lang;
  const guesses = (ctx.u.candidates ?? []).filter((c) => c.confidence >= CANDIDATE_CONFIDENCE && c.intent !== failedIntent).slice(0, 3);
  if (!guesses.length && !failedIntent) return offTopic(ctx, state, ends);
  if (state.misses >= 1) return ends.handoff('misses');
  state.misses = 1;
  const choices: Choice[] = [...guesses.map((g) => ({ label: intentLabel(g.intent, lang) ?? g.intent, payload: `intent:${g.intent}` })), { label: say(lang, 'menuHuman'), payload: 'handoff' }];
  state.lastChoices = choices;
  state.pendingQuestion = ctx.u.text.slice(0, 500);
  return ends.result([{ type: 'choices', text: say(lang, failedIntent ? 'kbNone' : 'didYouMean'), choices }]);
}
