import type { OutboundMessage } from '../../shared/message-types.js';
import { say, type Lang } from '../replies/reply-texts.js';
import { parseDialogueState, serialiseDialogueState, type FlowFrame } from './dialogue-state.js';

/**
 * What the customer is told when staff act, and the dialogue state the bot resumes with. The desk
 * runs the transitions; the conversation engine owns its words and its state format, so the desk
 * receives these functions from the composition root instead of importing the engine.
 */
export interface HandoffBridge {
  /** The conversation's language: the dialogue's, else the customer's locale. */
  langOf(flowState: string | null, customerLocale?: string | null): Lang;
  /** A staff member joined (claim, transfer): said in their name. */
  joined(lang: Lang, staffName: string): OutboundMessage;
  /** Handed back to the bot: a fresh start with a marker, so no flow from before the handoff resumes. */
  released(flowState: string | null, lang: Lang, now: Date): { messages: OutboundMessage[]; flowState: string | null };
  /** Resolved by staff: the bot asks the satisfaction question, whose answer is stored as feedback. */
  resolved(flowState: string | null, lang: Lang, now: Date): { messages: OutboundMessage[]; flowState: string | null };
}

export function createHandoffBridge(): HandoffBridge {
  return {
    langOf(flowState, customerLocale) {
      return parseDialogueState(flowState).lang ?? (customerLocale?.startsWith('en') ? 'en' : 'zh');
    },
    joined(lang, staffName) {
      return { type: 'text', text: say(lang, 'staffJoined', { name: staffName }), author: { kind: 'staff', name: staffName } };
    },
    released(flowState, lang, now) {
      const prior = parseDialogueState(flowState);
      const state = { misses: 0, anger: 0, lang: prior.lang ?? lang, releasedAt: now.toISOString() };
      return { messages: [{ type: 'text', text: say(lang, 'releasedToBot') }], flowState: serialiseDialogueState(state) };
    },
    resolved(flowState, lang, now) {
      const prior = parseDialogueState(flowState);
      const text = say(lang, 'csatAsk');
      const choices = [1, 2, 3, 4, 5].map((n) => ({ label: '★'.repeat(n), payload: `csat:${n}` }));
      const at = now.toISOString();
      const csat: FlowFrame = { flow: 'csat', step: 'score', slots: {}, prompt: { text, choices }, startedAt: at, updatedAt: at, startedBy: 0, retries: 0 };
      // the csat frame replaces whatever flow there was, so no marker is needed
      const state = { misses: 0, anger: 0, lang: prior.lang ?? lang, flow: csat, lastChoices: choices };
      return { messages: [{ type: 'text', text: say(lang, 'resolvedByStaff') }, { type: 'choices', text, choices }], flowState: serialiseDialogueState(state) };
    },
  };
}
