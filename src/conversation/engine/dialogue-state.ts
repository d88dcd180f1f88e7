import { z } from 'zod';

/**
 * What the engine remembers between turns, stored as JSON on the conversation. Parsed with zod
 * on every read: a corrupt or old-format state is dropped rather than trusted.
 */
export const FLOW_NAMES = ['order_status', 'return', 'cancel', 'change_order', 'csat', 'leave_message'] as const;
export type FlowName = (typeof FLOW_NAMES)[number];

const ChoiceSchema = z.object({ label: z.string(), payload: z.string() });

export const FlowFrameSchema = z.object({
  flow: z.enum(FLOW_NAMES),
  step: z.string(),
  slots: z.record(z.string(), z.unknown()).default({}),
  /** The question last asked, re-asked when the flow resumes after an interruption. */
  prompt: z.object({ text: z.string(), choices: z.array(ChoiceSchema).optional() }).optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** Inbound message id that started the flow: the idempotency key of what the flow creates. */
  startedBy: z.number(),
  retries: z.number().default(0),
});
export type FlowFrame = z.infer<typeof FlowFrameSchema>;

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
});
export type DialogueState = z.infer<typeof DialogueStateSchema>;

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
  const empty = !s.flow && !s.misses && !s.anger && !s.lang && !s.lastChoices?.length && !s.releasedAt;
  return empty ? null : JSON.stringify(s);
}
