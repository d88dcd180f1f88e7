import type { NluReviewDraft } from '../../crm/index.js';
import type { IntentPrediction } from '../nlu/intent-classifier.js';
import { sanitiseReviewText } from '../nlu/review-text-sanitiser.js';
import type { TurnResult, Understanding } from './turn-types.js';

/** Below this a shop request is worth the shop's review (the router acts on intents from 0.45). */
export const REVIEW_CONFIDENCE = 0.45;

const HAS_LETTER = /\p{L}/u;

/**
 * The message of this turn the shop may want to label (issue 8 item 6), sanitised, or undefined:
 * - `corrected`: the customer picked one of the bot's guesses that was not the classifier's top intent
 *   (the item is the question they asked, with the pick as a suggestion);
 * - `handed_off`: the turn handed the conversation to a person after the bot missed twice in a row,
 *   or the customer picked "a person" among the guesses;
 * - `low_confidence`: a new request in words (no open flow, no button, no control word) the classifier was unsure of.
 */
export function reviewCandidate(
  deps: { predict: (text: string) => IntentPrediction; orderNumberPattern: string },
  u: Understanding,
  turn: Pick<TurnResult, 'handoff'>,
  prior: { pendingQuestion?: string; inFlow: boolean },
): NluReviewDraft | undefined {
  const draft = (text: string, reason: NluReviewDraft['reason'], p: { intent: string; confidence: number }, suggestedIntent?: string): NluReviewDraft | undefined => {
    const clean = sanitiseReviewText(text, deps.orderNumberPattern);
    if (!HAS_LETTER.test(clean)) return undefined;
    return { text: clean, lang: u.lang, predictedIntent: p.intent, confidence: Math.min(1, Math.max(0, p.confidence)), reason, ...(suggestedIntent ? { suggestedIntent } : {}) };
  };
  if (u.postback && prior.pendingQuestion) {
    const asked = prior.pendingQuestion;
    if (u.postback.startsWith('intent:')) {
      const picked = u.postback.slice('intent:'.length);
      const p = deps.predict(asked);
      return p.intent === picked ? undefined : draft(asked, 'corrected', p, picked);
    }
    if (u.postback === 'handoff') return draft(asked, 'handed_off', deps.predict(asked));
    return undefined;
  }
  if (u.postback || u.control || u.empty || u.unsupported || !u.text) return undefined;
  // a second miss in a row: the words the bot could not place (a complaint or anger handed over is no NLU miss)
  if (turn.handoff?.reason === 'misses') return draft(u.text, 'handed_off', u);
  if (!prior.inFlow && !u.smallTalk && u.confidence < REVIEW_CONFIDENCE) return draft(u.text, 'low_confidence', u);
  return undefined;
}
