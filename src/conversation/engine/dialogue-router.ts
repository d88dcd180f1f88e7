import type { OutboundMessage } from '../../shared/message-types.js';
import type { AnyFlowDefinition } from '../flows/flow-definition.js';
import { promptIn } from '../flows/flow-helpers.js';
import { INTENTS } from '../intent-names.js';
import { say, type Lang, type TextKey } from '../replies/reply-texts.js';
import { FLOW_TIMEOUT_MS, type DialogueState, type FlowFrame } from './dialogue-state.js';
import { flowForIntent, isOptionalFlow } from '../flows/flow-registry.js';
import { finishFlow, loadFrame, runFlow, startFlow, turnEnds, type TurnEnds } from './flow-runner.js';
import { remember } from './follow-up-router.js';
import { routeRequest } from './request-router.js';
import { askCsat, csatDue } from './satisfaction.js';
import type { SmallTalkKind } from './small-talk.js';
import type { TurnContext, TurnResult, Understanding } from './turn-types.js';

const ANGER_RUN = 3;
/** A thank-you the classifier is this sure of (and that says thanks or goodbye) closes the conversation like the closing words do. */
const CLOSING_CONFIDENCE = 0.6;
const THANKS_OR_BYE = /谢|感谢|拜拜|再见|辛苦|thank|thx|bye|cheers|appreciate/i;

const SMALL_TALK_TEXT: Record<SmallTalkKind | 'other', TextKey> = {
  identity: 'smallTalkIdentity', presence: 'smallTalkPresence', compliment: 'smallTalkCompliment', laugh: 'smallTalkLaugh',
  joke: 'smallTalkJoke', how_are_you: 'smallTalkHowAreYou', other: 'smallTalkOther',
};

/**
 * One customer turn. The request itself is routed by `routeCore`; around it the conversation is
 * kept: what the turn touched goes into memory (for follow-ups), a second request from the same
 * message is answered or queued, and a finished request leaves the conversation "settled" — it
 * is resolved (with the satisfaction question, once) when the customer confirms they are done,
 * or by the idle sweep.
 */
export async function routeTurn(input: TurnContext, prior: DialogueState): Promise<TurnResult> {
  const u = input.u.switchTo ? { ...input.u, lang: input.u.switchTo } : input.u;
  // the question behind "did you mean…" choices lives for the one turn that picks a choice
  const asked = u.postback?.startsWith('intent:') ? prior.pendingQuestion : undefined;
  const state: DialogueState = { ...prior, lang: u.text ? u.lang : (prior.lang ?? u.lang), lastChoices: undefined, releasedAt: undefined, pendingQuestion: asked };
  const ctx: TurnContext = { ...input, u, memory: state.memory, seen: { orders: [] } };
  const turn = await routeCore(ctx, prior, state);
  if (turn.handoff) return { ...turn, state: { ...turn.state, settled: undefined, queued: undefined, memory: remember(state.memory, ctx.seen!, ctx.now) } };
  const replies = [...turn.replies];
  let settles = turn.settles;
  // the second request of the message, or one queued while a flow was open
  const next = u.rest ?? (state.flow ? undefined : state.queued?.[0]);
  if (next) {
    if (state.flow) {
      state.queued = [next];
      replies.push({ type: 'text', text: say(u.lang, 'queuedLater', { question: shorten(next) }) });
    } else {
      state.queued = u.rest ? state.queued : state.queued?.slice(1);
      const second = await routeSecond(ctx, state, next);
      if (second.handoff) return { ...second, replies: [...replies, ...second.replies], state: { ...second.state, settled: undefined, queued: undefined } };
      replies.push({ type: 'text', text: say(u.lang, 'queuedNow', { question: shorten(next) }) }, ...second.replies);
      settles = second.settles ?? settles;
    }
  }
  state.memory = remember(state.memory, ctx.seen!, ctx.now);
  if (state.flow && !isOptionalFlow(state.flow.flow)) state.settled = undefined;
  else if (settles) state.settled = { at: ctx.now.toISOString(), ...(settles.ticketId ? { ticketId: settles.ticketId } : {}) };
  if (turn.resolved && !state.flow && csatDue(state, ctx.now) && (prior.settled || state.settled || prior.memory)) {
    replies.push(askCsat(state, u.lang, ctx.now, { ticketId: (prior.settled ?? state.settled)?.ticketId, startedBy: ctx.inboundId }));
  } else if (turn.resolved) state.settled = undefined;
  // the choices a turn ends on (the greeting's menu too) are what a typed "1" / "第二个" picks next
  // turn on a channel that shows them as numbered text (WeChat, e-mail, the terminal)
  const last = replies[replies.length - 1];
  const shown = last?.type === 'choices' ? last.choices : last?.type === 'card' ? last.choices : undefined;
  if (!state.lastChoices && shown?.length) state.lastChoices = shown;
  return { ...turn, replies, state, settles };
}

function shorten(text: string): string {
  return text.length > 30 ? `${text.slice(0, 30)}…` : text;
}

/** The second request is routed like a new message (no control words, no flow answer). */
async function routeSecond(ctx: TurnContext, state: DialogueState, text: string): Promise<TurnResult> {
  const u2 = ctx.understandText?.(text);
  if (!u2) return turnEnds(ctx, state).result([]);
  const ctx2: TurnContext = { ...ctx, u: { ...u2, lang: ctx.u.lang, rest: undefined } };
  return routeRequest(ctx2, state, turnEnds(ctx2, state));
}

async function routeCore(ctx: TurnContext, prior: DialogueState, state: DialogueState): Promise<TurnResult> {
  const u = ctx.u;
  // handed back by staff: whatever flow was open before the handoff is stale
  if (prior.releasedAt && state.flow && Date.parse(state.flow.updatedAt) <= Date.parse(prior.releasedAt)) state.flow = undefined;
  const ends = turnEnds(ctx, state);
  const { result, handoff } = ends;
  // a frame stored by an older version that no longer fits its flow is dropped; the flow starts
  // over below (its first question asked again) when it is one the customer starts
  let restart: AnyFlowDefinition | undefined;
  if (state.flow) {
    const stored = state.flow;
    const loaded = loadFrame(ctx, stored);
    state.flow = loaded.kind === 'ok' ? loaded.frame : undefined;
    const fresh = ctx.now.getTime() - Date.parse(stored.updatedAt) <= FLOW_TIMEOUT_MS;
    if (loaded.kind === 'stale' && loaded.flow?.intents.length && fresh) restart = loaded.flow;
  }

  if (u.empty) return result([{ type: 'text', text: say(u.lang, 'emptyMessage') }]);
  if (u.unsupported) return result([{ type: 'text', text: say(u.lang, 'unsupportedContent') }]);

  const notes: OutboundMessage[] = [];
  if (state.flow && ctx.now.getTime() - Date.parse(state.flow.updatedAt) > FLOW_TIMEOUT_MS) {
    if (!isOptionalFlow(state.flow.flow)) notes.push({ type: 'text', text: say(u.lang, 'flowTimedOut') });
    state.flow = undefined;
    // a question queued behind it is as stale as the flow
    state.queued = undefined;
  }
  state.anger = u.sentiment <= -0.4 ? state.anger + 1 : Math.max(0, state.anger - 1);
  if (state.anger >= ANGER_RUN) return handoff('anger', notes);
  // "我要投诉…转人工": a complaint that asks for a person is still a complaint (priority, apology)
  if (u.postback === 'handoff' || u.control === 'human') return handoff(u.control === 'human' && u.intent === INTENTS.complaint ? 'complaint' : 'requested', notes);
  // voice is how many WeChat customers talk: a person listens, rather than the bot refusing it
  if (u.attachment?.kind === 'audio' && !u.text) return handoff('voice', notes);
  if ((u.control === 'cancel' || u.control === 'restart') && ((state.flow && !isOptionalFlow(state.flow.flow)) || restart)) {
    state.flow = undefined;
    return result([...notes, { type: 'text', text: say(u.lang, 'flowCancelled') }]);
  }
  // "我想用中文": carry on in that language, the open flow's question asked again in it
  if (u.switchTo) {
    const open = state.flow && !isOptionalFlow(state.flow.flow) ? state.flow : undefined;
    const again = open?.prompt ? [promptMessage(open.prompt, u.lang)] : [];
    if (open) state.lastChoices = again[0]?.type === 'choices' ? again[0].choices : undefined;
    return result([...notes, { type: 'text', text: say(u.lang, 'langSwitched') }, ...again]);
  }
  // small talk is answered before a flow sees it, so "你是机器人吗" never becomes a return reason
  if (u.smallTalk) {
    const answer: OutboundMessage = { type: 'text', text: say(u.lang, SMALL_TALK_TEXT[u.smallTalk], { shop: ctx.policy.name }) };
    const pending = state.flow && !isOptionalFlow(state.flow.flow) ? state.flow : undefined;
    if (state.flow && !pending) state.flow = undefined;
    return result([...notes, answer, ...(pending ? resumeOnce(ctx, state, pending) : [])]);
  }

  // the active flow gets the message first
  let pendingResume: FlowFrame | undefined;
  if (restart) return startFlow(ctx, state, restart, {}, ends, notes);
  if (state.flow) {
    const outcome = await runFlow(ctx, state.flow);
    if (!outcome.notAnAnswer) return finishFlow(ctx, state, outcome, [...notes], ends, state.flow.flow);
    if (!isOptionalFlow(state.flow.flow)) pendingResume = state.flow;
    state.flow = undefined;
  }
  if (isClosing(u)) return close(ctx, state, notes, ends);
  // "还没到" while the order flow waits for its digits: the same request, so the same flow goes on
  // (its question asked again) rather than starting over without the order it was given
  if (pendingResume?.prompt && reasksOnOwnIntent(pendingResume, u)) {
    state.flow = pendingResume;
    return result([...notes, promptMessage(pendingResume.prompt, u.lang)]);
  }

  const routed = await routeRequest(ctx, state, ends);
  if (routed.state.flow || routed.handoff || !pendingResume) return { ...routed, replies: [...notes, ...routed.replies] };
  // the interruption was answered with a question of its own ("did you mean…"): the flow waits
  // unmentioned, so the customer has one question to answer and its choices keep their numbers
  const question = routed.replies.find((m): m is Extract<OutboundMessage, { type: 'choices' }> => m.type === 'choices' && (m.choices.some((c) => c.payload.startsWith('kb:')) || Boolean(routed.state.pendingQuestion)));
  if (question) {
    routed.state.flow = { ...pendingResume, updatedAt: ctx.now.toISOString() };
    routed.state.lastChoices = question.choices;
    return { ...routed, replies: [...notes, ...routed.replies] };
  }
  // interruption answered: the flow waits, and is mentioned once
  const resume = resumeOnce(ctx, routed.state, pendingResume);
  // an FAQ answer's "start this flow" button is moot when that very flow resumes below
  const offersResumedFlow = (m: OutboundMessage) =>
    m.type === 'choices' && m.choices.every((c) => c.payload.startsWith('intent:') && flowForIntent(c.payload.slice(7))?.name === pendingResume.flow);
  return { ...routed, replies: [...notes, ...routed.replies.filter((m) => !offersResumedFlow(m)), ...resume] };
}

/** The open flow's own intent again at a state that says so (`reaskOnOwnIntent`): the same request goes on. */
function reasksOnOwnIntent(frame: FlowFrame, u: Understanding): boolean {
  const flow = flowForIntent(u.intent);
  return Boolean(flow && flow.name === frame.flow && flow.reaskOnOwnIntent?.includes(frame.step) && !u.postback && !u.orderNumbers.length);
}

function isClosing(u: Understanding): boolean {
  return Boolean(u.closing || (!u.postback && u.intent === INTENTS.thanksGoodbye && u.confidence >= CLOSING_CONFIDENCE && !u.orderNumbers.length && THANKS_OR_BYE.test(u.text)));
}

/** The customer is done: goodbye, and the conversation is resolved (the satisfaction question is added by routeTurn). */
function close(ctx: TurnContext, state: DialogueState, notes: OutboundMessage[], ends: TurnEnds): TurnResult {
  state.misses = 0;
  state.queued = undefined;
  return ends.result([...notes, { type: 'text', text: say(ctx.u.lang, 'goodbye') }], { resolved: true, intent: INTENTS.thanksGoodbye });
}

function promptMessage(prompt: NonNullable<FlowFrame['prompt']>, lang: Lang, lead?: string): OutboundMessage {
  const p = promptIn(prompt, lang);
  const text = lead ? `${lead}\n${p.text}` : p.text;
  return p.choices?.length ? { type: 'choices', text, choices: p.choices } : { type: 'text', text };
}

/**
 * An interrupted flow stays open. The first interruption re-asks its question ("我们继续刚才的
 * 事情：…", in the language of this turn); later ones leave it waiting quietly, so the note is
 * not appended to every answer.
 */
function resumeOnce(ctx: TurnContext, state: DialogueState, frame: FlowFrame): OutboundMessage[] {
  state.flow = { ...frame, updatedAt: ctx.now.toISOString(), resumed: true };
  if (frame.resumed || !frame.prompt) return [];
  const message = promptMessage(frame.prompt, ctx.u.lang, say(ctx.u.lang, 'resume'));
  state.lastChoices = message.type === 'choices' ? message.choices : undefined;
  return [message];
}
