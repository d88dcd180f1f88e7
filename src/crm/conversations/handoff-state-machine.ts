import type { ConversationEventType, ConversationMode, ConversationStatus, ResolvedBy } from '../crm-constants.js';

/**
 * Who answers a conversation, as an explicit state machine (house style §8): bot → waiting (handed
 * off, nobody claimed) → human (claimed) → bot (released or resolved). Every change is one of these
 * events; anything not in the table is rejected with the moves that are allowed.
 */
export interface ConversationState {
  mode: ConversationMode;
  status: ConversationStatus;
  assigneeId: number | null;
}

export type TransitionInput =
  | { type: 'handoff'; reason: string }
  | { type: 'claim'; staffId: number }
  | { type: 'transfer'; staffId: number }
  | { type: 'release' }
  | { type: 'resolve'; by: ResolvedBy }
  | { type: 'reopen' }
  | { type: 'leave_queue' };

/** Every legal move: the modes (and for some, statuses) an event may start from, and where it ends. */
export const CONVERSATION_TRANSITIONS: Record<ConversationEventType, { from: readonly ConversationMode[]; fromStatus?: readonly ConversationStatus[]; to: ConversationMode; toStatus: ConversationStatus }> = {
  // a resolved conversation may be handed off too: the customer came back needing a person
  handoff: { from: ['bot'], fromStatus: ['open', 'resolved'], to: 'waiting', toStatus: 'waiting' },
  // claiming from bot mode is a proactive take-over by staff
  claim: { from: ['waiting', 'bot'], to: 'human', toStatus: 'open' },
  // waiting → human by transfer is a manager assigning the chat to someone
  transfer: { from: ['waiting', 'human'], to: 'human', toStatus: 'open' },
  release: { from: ['waiting', 'human'], to: 'bot', toStatus: 'open' },
  resolve: { from: ['bot', 'waiting', 'human'], fromStatus: ['open', 'waiting'], to: 'bot', toStatus: 'resolved' },
  reopen: { from: ['bot'], fromStatus: ['resolved'], to: 'bot', toStatus: 'open' },
  leave_queue: { from: ['waiting'], to: 'bot', toStatus: 'open' },
};

export interface PlannedTransition {
  type: ConversationEventType;
  from: ConversationState;
  to: ConversationState;
  /** Columns of Conversation to set (besides mode, status, assigneeId). */
  fields: {
    waitingSince?: Date | null;
    handoffReason?: string;
    humanInvolved?: boolean;
    resolvedBy?: ResolvedBy | null;
    resolvedAt?: Date | null;
  };
  detail: Record<string, string | number | boolean | null>;
}

export type PlanResult = { ok: true; plan: PlannedTransition } | { ok: false; reason: string };

/** Pure: what an event does to a conversation in `state`, or why it may not happen. */
export function planTransition(state: ConversationState, input: TransitionInput, now: Date, waitingSince?: Date | null): PlanResult {
  const rule = CONVERSATION_TRANSITIONS[input.type];
  const fromOk = rule.from.includes(state.mode) && (!rule.fromStatus || rule.fromStatus.includes(state.status));
  if (!fromOk) {
    const allowed = (Object.keys(CONVERSATION_TRANSITIONS) as ConversationEventType[]).filter((t) => {
      const r = CONVERSATION_TRANSITIONS[t];
      return r.from.includes(state.mode) && (!r.fromStatus || r.fromStatus.includes(state.status));
    });
    return { ok: false, reason: `cannot ${input.type.replace('_', ' ')} a conversation that is ${state.mode}/${state.status}; allowed: ${allowed.join(', ') || 'none'}` };
  }
  if ((input.type === 'claim' || input.type === 'transfer') && state.mode === 'human' && state.assigneeId === input.staffId) {
    return { ok: false, reason: 'the conversation is already assigned to that staff member' };
  }
  const to: ConversationState = { mode: rule.to, status: rule.toStatus, assigneeId: null };
  const fields: PlannedTransition['fields'] = {};
  const detail: PlannedTransition['detail'] = {};
  switch (input.type) {
    case 'handoff':
      Object.assign(fields, { waitingSince: now, handoffReason: input.reason, resolvedBy: null, resolvedAt: null });
      detail.reason = input.reason;
      break;
    case 'claim':
    case 'transfer':
      to.assigneeId = input.staffId;
      Object.assign(fields, { waitingSince: null, humanInvolved: true });
      detail.staffId = input.staffId;
      if (state.assigneeId !== null) detail.fromStaffId = state.assigneeId;
      if (state.mode === 'waiting' && waitingSince) detail.waitedMs = Math.max(0, now.getTime() - waitingSince.getTime());
      break;
    case 'release':
    case 'leave_queue':
      fields.waitingSince = null;
      break;
    case 'resolve':
      Object.assign(fields, { waitingSince: null, resolvedBy: input.by, resolvedAt: now });
      detail.by = input.by;
      break;
    case 'reopen':
      // "a person took part since the conversation was last (re)opened" starts over
      Object.assign(fields, { resolvedBy: null, resolvedAt: null, humanInvolved: false });
      break;
  }
  return { ok: true, plan: { type: input.type, from: state, to, fields, detail } };
}
