import { planTransition, ticketNumber, type ConversationContext, type ConversationState, type Crm, type NotificationDraft, type PlannedTransition, type StaffNotificationKind, type TargetsFor, type TransitionInput, type WaitEstimate } from '../../crm/index.js';
import type { InboundContent, OutboundMessage } from '../../shared/message-types.js';
import { createServiceHours, describeOpening, type ServiceHours } from '../../shared/service-hours.js';
import { INTENTS } from '../intent-names.js';
import { say, type Lang } from '../replies/reply-texts.js';
import { normaliseText } from '../text/text-normaliser.js';
import type { DialogueState } from './dialogue-state.js';
import type { TurnResult, Understanding } from './turn-types.js';

/** How handoffs behave: when people work, and which staff targets hear about what. */
export interface HandoffSettings {
  serviceHours: ServiceHours;
  /** The notifier targets showing a kind (one outbox row each); from the registered StaffNotifiers. */
  targetsFor: TargetsFor;
}

export const DEFAULT_HANDOFF: HandoffSettings = { serviceHours: createServiceHours('always', 'Asia/Shanghai'), targetsFor: () => ['desk'] };

/** The payload of the queue notice's button, and what a customer types to stop waiting. */
export const LEAVE_QUEUE_PAYLOAD = 'leave_queue';
const LEAVE_QUEUE = /^(算了|算了吧|不等了|不用了?|不要了|取消|取消排队|退出|退出人工|回到机器人|回到智能助手|返回机器人|back to (the )?(bot|assistant)|never ?mind|cancel|forget it|stop waiting|i('| wi)ll stop waiting)[!！。.\s]*$/i;

export function isLeaveQueue(content: InboundContent): boolean {
  if (content.type === 'postback') return content.payload === LEAVE_QUEUE_PAYLOAD;
  return content.type === 'text' && LEAVE_QUEUE.test(normaliseText(content.text).trim());
}

export interface ConversationLike { id: number; mode: string; status: string; assigneeId: number | null; waitingSince: Date | null; humanInvolved: boolean }

/** Plans transitions in order, each from the state the previous one left; an illegal one is skipped. */
export class TransitionPlan {
  readonly plans: PlannedTransition[] = [];
  private state: ConversationState;
  constructor(private readonly c: ConversationLike, private readonly now: Date) {
    this.state = { mode: c.mode as ConversationState['mode'], status: c.status as ConversationState['status'], assigneeId: c.assigneeId };
  }
  get current(): ConversationState { return this.state; }
  add(input: TransitionInput): boolean {
    const r = planTransition(this.state, input, this.now, this.c.waitingSince);
    if (!r.ok) return false;
    this.plans.push(r.plan);
    this.state = r.plan.to;
    return true;
  }
}

/** What a bot turn changes about who answers: reopen, handoff, and resolution by the bot. */
export function planBotTurn(c: ConversationLike, turn: TurnResult, u: Understanding, now: Date): TransitionPlan {
  const plan = new TransitionPlan(c, now);
  // a thank-you, a rating, small talk or an empty message does not reopen a resolved conversation
  const closing = turn.feedback !== undefined || turn.resolved || turn.intent === INTENTS.thanksGoodbye || u.empty || Boolean(u.smallTalk);
  if (c.status === 'resolved' && !closing) plan.add({ type: 'reopen' });
  if (turn.handoff && !turn.handoff.leaveMessage) plan.add({ type: 'handoff', reason: turn.handoff.reason });
  // the customer confirmed they are done: the bot resolved it, unless a person took part since it (re)opened
  else if (turn.resolved) plan.add({ type: 'resolve', by: c.humanInvolved ? 'customer' : 'bot' });
  return plan;
}

function waitText(lang: Lang, e: WaitEstimate): string {
  if (e.agentsOnline === 0) return say(lang, 'waitNobodyOnline');
  if (e.expectedWaitMs === null) return say(lang, 'waitSoon');
  const minutes = Math.max(1, Math.round(e.expectedWaitMs / 60_000));
  return e.queueLength > 0 ? say(lang, 'waitKnown', { minutes, ahead: e.queueLength }) : say(lang, 'waitKnownFirst', { minutes });
}

/** The one honest notice a handoff gives: the ticket, the expected wait and the way back, or the hours when closed. */
export function handoffNotice(lang: Lang, h: NonNullable<TurnResult['handoff']>, ctx: { estimate?: WaitEstimate; hours: ServiceHours; now: Date }): OutboundMessage {
  const ticket = ticketNumber(h.ticketId);
  if (h.leaveMessage) {
    const opening = ctx.hours.nextOpening(ctx.now);
    const when = opening ? describeOpening(ctx.now, opening, ctx.hours.timeZone, lang) : '';
    const sorry = h.reason === 'complaint' || h.reason === 'anger' ? say(lang, 'sorry') : '';
    return { type: 'text', text: sorry + say(lang, 'leaveMessage', { hours: ctx.hours.describe(lang), ticket, opening: when }), handoff: true };
  }
  const wait = ctx.estimate ? waitText(lang, ctx.estimate) : say(lang, 'waitSoon');
  const text = say(lang, h.reason === 'complaint' ? 'handoffComplaint' : h.reason === 'voice' ? 'handoffVoice' : 'handoff', { ticket, wait }).trim();
  return { type: 'choices', text, choices: [{ label: say(lang, 'leaveQueueButton'), payload: LEAVE_QUEUE_PAYLOAD }], handoff: true };
}

/** One outbox draft for this turn, its conversation facts shown as they are after the turn. */
export function turnDraft(kind: StaffNotificationKind, inboundId: number, context: ConversationContext, after: ConversationState, extra: Partial<NotificationDraft['payload']> & { handoffReason?: string; now: Date }): NotificationDraft {
  const { now, handoffReason, ...rest } = extra;
  return {
    kind, conversationId: context.conversation.id, dedupeBase: `${kind}:in${inboundId}`,
    payload: {
      ...context,
      conversation: {
        ...context.conversation, mode: after.mode, status: after.status,
        ...(kind === 'handoff' ? { handoffReason: handoffReason ?? context.conversation.handoffReason, waitingSince: now.toISOString() } : {}),
      },
      audience: 'agents',
      ...rest,
    },
  };
}

/** What a customer wrote, for a notification (text, or the image they sent). */
export function messageFacts(id: number, text: string, content: InboundContent): { id: number; text: string; imageUrl?: string } {
  return content.type === 'attachment' && content.kind === 'image' ? { id, text, imageUrl: content.url } : { id, text };
}

export interface PersonTurnInput {
  crm: Crm;
  settings: HandoffSettings;
  conversation: ConversationLike;
  state: DialogueState;
  lang: Lang;
  inboundId: number;
  text: string;
  content: InboundContent;
  now: Date;
}

/**
 * A customer message while a person has (or is about to have) the conversation: the bot stays
 * silent and staff are told — unless the customer leaves the queue, which hands them back.
 */
export async function personTurn(i: PersonTurnInput): Promise<{ replies: OutboundMessage[]; state: DialogueState; transitions: PlannedTransition[]; drafts: NotificationDraft[] }> {
  const plan = new TransitionPlan(i.conversation, i.now);
  const leaving = i.conversation.mode === 'waiting' && isLeaveQueue(i.content) && plan.add({ type: 'leave_queue' });
  const context = await i.crm.handoff.context(i.conversation.id);
  const message = messageFacts(i.inboundId, i.text, i.content);
  const drafts = context ? [turnDraft(leaving ? 'leave_queue' : 'customer_message', i.inboundId, context, plan.current, { message, actor: { kind: 'customer' }, now: i.now })] : [];
  if (!leaving) return { replies: [], state: i.state, transitions: [], drafts };
  return { replies: [{ type: 'text', text: say(i.lang, 'leftQueue') }], state: { ...i.state, flow: undefined, misses: 0, anger: 0, lang: i.lang }, transitions: plan.plans, drafts };
}
