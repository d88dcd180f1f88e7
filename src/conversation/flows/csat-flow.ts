import { z } from 'zod';
import type { FlowOutcome, TurnContext } from '../engine/turn-types.js';
import { say } from '../replies/reply-texts.js';
import { defineFlow, END, type FlowFrameOf } from './flow-definition.js';

const CsatSlots = z.object({ ticketId: z.number().optional() });
type Slots = z.infer<typeof CsatSlots>;

/**
 * The satisfaction question (asked by engine/satisfaction.ts when a conversation is resolved):
 * a score is thanked and recorded; any other message drops the question silently.
 */
export const csatFlow = defineFlow<Slots>({
  name: 'csat',
  about: 'the satisfaction question asked once a conversation is resolved (optional: anything else drops it)',
  intents: [],
  slots: CsatSlots,
  start: 'score',
  states: {
    score: { about: 'a score of 1–5 (a star button or a typed number)', to: [END], run: score },
  },
  optional: true,
});

function score(ctx: TurnContext, frame: FlowFrameOf<Slots>): FlowOutcome {
  const score = ctx.u.score ?? (ctx.u.postback?.startsWith('csat:') ? Number(ctx.u.postback.slice(5)) : undefined);
  if (!score || score < 1 || score > 5) return { replies: [], frame: null, notAnAnswer: true };
  const ticketId = frame.slots.ticketId;
  return { replies: [{ type: 'text', text: say(ctx.u.lang, score <= 2 ? 'csatLow' : 'csatThanks') }], frame: null, feedback: { score, ticketId } };
}
