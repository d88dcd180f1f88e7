import { z } from 'zod';

/**
 * What the engine remembers between turns, stored as JSON on the conversation. Parsed with zod
 * on every read: a corrupt or old-format state is dropped rather than trusted.
 */
export const FLOW_NAMES = ['order_status', 'return', 'cancel', 'change_order', 'csat', 'leave_message', 'link_account'] as const;
export type FlowName = (typeof FLOW_NAMES)[number];

const ChoiceSchema = z.object({ label: z.string(), payload: z.string() });

export const FlowFrameSchema = z.object({
  flow: z.enum(FLOW_NAMES),
  step: z.string(),
  slots: z.record(z.string(), z.unknown()).default({}),
  /** The question last asked, re-asked when the flow resumes after an interruption. */
  prompt: z.object({
    text: z.string(),
    choices: z.array(ChoiceSchema).optional(),
    /** The question by key, so it can be asked again in the other language. */
    key: z.string().optional(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.object({ key: z.string() })])).optional(),
  }).optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** Inbound message id that started the flow: the idempotency key of what the flow creates. */
  startedBy: z.number(),
  retries: z.number().default(0),
  /** The flow was already picked up again after an interruption: later interruptions leave it waiting quietly. */
  resumed: z.boolean().optional(),
});
export type FlowFrame = z.infer<typeof FlowFrameSchema>;

const MemorySchema = z.object({
  /** The order last shown or acted on, and the orders the conversation touched (newest last, a few). */
  order: z.string().optional(),
  orders: z.array(z.string()).default([]),
  /** The last flow that ran, the ticket it opened, the last FAQ intent answered. */
  flow: z.enum(FLOW_NAMES).optional(),
  ticketId: z.number().optional(),
  topic: z.string().optional(),
  at: z.string(),
});

export const DialogueStateSchema = z.object({
  flow: FlowFrameSchema.optional(),
  /** Consecutive messages the bot could not handle; two in a row hand over. */
  misses: z.number().default(0),
  /** Recent anger signals (decays on calm messages); a run hands over. */
  anger: z.number().default(0),
  lang: z.enum(['zh', 'en']).optional(),
  /** Choices shown last, so "2" can pick the second on channels without buttons. */
  lastChoices: z.array(ChoiceSchema).optional(),
  /**
   * Set when staff hand the conversation back: the bot starts fresh instead of resuming a flow
   * from before the handoff. Cleared by the next turn.
   */
  releasedAt: z.string().optional(),
  /** What the conversation has been about, so a short follow-up ("还没到", "the other one?") is read against it. */
  memory: MemorySchema.optional(),
  /** The second request of a message that carried two, answered once the first is done. */
  queued: z.array(z.string()).optional(),
  /**
   * A request was finished (an answer, a flow's end) and nothing is open: the conversation is
   * resolved when the customer confirms, or by the idle sweep after the configured quiet time.
   */
  settled: z.object({ at: z.string(), ticketId: z.number().optional() }).optional(),
  /** When the satisfaction question was last asked (it is asked once per resolved conversation). */
  csatAskedAt: z.string().optional(),
  /** The customer's question behind the "did you mean…" choices last offered, answered when one is picked. */
  pendingQuestion: z.string().optional(),
});
export type DialogueState = z.infer<typeof DialogueStateSchema>;
export type ConversationMemory = z.infer<typeof MemorySchema>;

/** Flows idle longer than this are dropped at the next message. */
export const FLOW_TIMEOUT_MS = 30 * 60_000;

export function parseDialogueState(json: string | null): DialogueState {
  if (!json) return { misses: 0, anger: 0 };
  try {
    const parsed = DialogueStateSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : { misses: 0, anger: 0 };
  } catch {
    return { misses: 0, anger: 0 };
  }
}

export function serialiseDialogueState(s: DialogueState): string | null {
  const empty = !s.flow && !s.misses && !s.anger && !s.lang && !s.lastChoices?.length && !s.releasedAt && !s.memory && !s.queued?.length && !s.settled && !s.csatAskedAt && !s.pendingQuestion;
  return empty ? null : JSON.stringify(s);
}
