import type { OutboundMessage } from '../../shared/message-types.js';
import { say, type Lang } from '../replies/reply-texts.js';
import { parseDialogueState, serialiseDialogueState, type DialogueState } from './dialogue-state.js';
import { askCsat, csatDue } from './satisfaction.js';

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
      // what the conversation was about stays, so "还没到" after the handback still refers to it
      const state = { misses: 0, anger: 0, lang: prior.lang ?? lang, releasedAt: now.toISOString(), memory: prior.memory, csatAskedAt: prior.csatAskedAt };
      return { messages: [{ type: 'text', text: say(lang, 'releasedToBot') }], flowState: serialiseDialogueState(state) };
    },
    resolved(flowState, lang, now) {
      const prior = parseDialogueState(flowState);
      // the csat frame replaces whatever flow there was, so no marker is needed; what the
      // conversation was about is kept for follow-ups
      const state: DialogueState = { misses: 0, anger: 0, lang: prior.lang ?? lang, memory: prior.memory, csatAskedAt: prior.csatAskedAt };
      const messages: OutboundMessage[] = [{ type: 'text', text: say(lang, 'resolvedByStaff') }];
      if (csatDue(state, now)) messages.push(askCsat(state, lang, now));
      return { messages, flowState: serialiseDialogueState(state) };
    },
  };
}
