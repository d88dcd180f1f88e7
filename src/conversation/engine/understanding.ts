import type { InboundContent } from '../../shared/message-types.js';
import { choiceFromNumber } from '../../shared/render-for-channel.js';
import { detectLanguage } from '../text/language-detector.js';
import { emojiSentiment, normaliseText } from '../text/text-normaliser.js';
import { extractEntities } from '../nlu/entity-extractor.js';
import type { Lang } from '../replies/reply-texts.js';
import type { ControlWord, Understanding } from './turn-types.js';
import { intentLabel } from '../replies/intent-labels.js';
import { followUpCue, isClosing, languageSwitchOf, pointsAtAnOrder } from './context-cues.js';
import { splitRequests } from './request-splitter.js';
import { detectSmallTalk } from './small-talk.js';
import type { IntentPrediction, IntentPredictor } from '../nlu/intent-classifier.js';

/** Longest text the engine reads; the rest of a 100 KB message is kept in storage only. */
export const MAX_UNDERSTOOD_CHARS = 2000;

const CONTROL: [RegExp, ControlWord][] = [
  [/^(取消|算了|不用了?|不要了|退出|cancel|stop|never ?mind|quit|exit|forget it)[!！。.]*$/i, 'cancel'],
  [/^(重新开始|重来|从头开始|start over|restart|reset)[!！。.]*$/i, 'restart'],
  [/^(是|是的|对|对的|好|好的|确认|确定|可以|嗯|行|ok|okay|yes|yep|yeah|sure|confirm|y)[!！。.]*$/i, 'yes'],
  [/^(否|不|不是|不对|不行|no|nope|n)[!！。.]*$/i, 'no'],
  [/^(跳过|没有|没有照片|skip|no photo|later)[!！。.]*$/i, 'skip'],
];

const ANGRY = /(垃圾|气死|骗子|什么破|太差|差评|滚|坑人|投诉|恶心|无语|tmd|他妈|wtf|worst|ridiculous|scam|useless|terrible|awful|disgusting|furious|angry|unacceptable|fuck|shit)/i;

/** An explicit request for a person anywhere in a message ("快递没到，转人工", "I want to talk to a human"). */
const HUMAN_REQUEST = /(转人工|转接人工|人工客服|找人工|要人工|接人工|人工服务|真人客服|找客服|联系客服|(talk|speak|chat) (to|with) (a |an |the )?(human|person|real person|agent|someone|representative|rep)|human agent|live agent|real person|customer service (agent|representative|rep))/i;
const HUMAN_REQUEST_DECLINED = /(不要|不用|别|无需|不需要|没必要)(转人工|转接人工|人工|找人工|找客服)|(don't|do not|no need to) (talk|speak|chat)/i;

export function detectControl(text: string): ControlWord | undefined {
  const t = normaliseText(text).trim();
  for (const [re, word] of CONTROL) if (re.test(t)) return word;
  if (HUMAN_REQUEST.test(t) && !HUMAN_REQUEST_DECLINED.test(t)) return 'human';
  return undefined;
}

/** -1 … 1: emoji, angry words, shouting and runs of ! all count. */
export function sentimentOf(text: string): number {
  let s = emojiSentiment(text);
  if (ANGRY.test(text)) s -= 0.6;
  if (/[!！]{2,}/.test(text)) s -= 0.2;
  const letters = text.replace(/[^A-Za-z]/g, '');
  if (letters.length >= 8 && letters === letters.toUpperCase()) s -= 0.3;
  return Math.max(-1, Math.min(1, s));
}

/**
 * The language to answer in. A short run of Latin letters ("ok", "asdf", an order number) says
 * little, so the conversation's language wins over it.
 */
export function languageOf(text: string, fallback: Lang, fallbackIsKnown = false): Lang {
  const l = detectLanguage(text);
  if (l === 'zh' || l === 'mixed') return 'zh';
  if (l === 'en') return fallbackIsKnown && fallback === 'zh' && text.trim().split(/\s+/).filter((w) => /[a-z]{2,}/i.test(w)).length < 3 ? 'zh' : 'en';
  return fallback;
}

export interface UnderstandDeps {
  classifier: IntentPredictor;
  orderNumberPattern: string;
}

export function understand(deps: UnderstandDeps, content: InboundContent, ctx: { fallbackLang: Lang; langKnown?: boolean; lastChoices?: { payload: string }[] }): Understanding {
  const base = { intent: 'out_of_scope', confidence: 0, outOfScope: true, orderNumbers: [], sentiment: 0, empty: false, unsupported: false };
  if (content.type === 'postback') {
    const text = (content.text ?? '').slice(0, MAX_UNDERSTOOD_CHARS);
    // a button's label is the bot's words, in the bot's language: it says nothing about the customer's
    return { ...base, text, lang: text && !ctx.langKnown ? languageOf(text, ctx.fallbackLang) : ctx.fallbackLang, postback: content.payload.slice(0, 200), outOfScope: false };
  }
  if (content.type === 'attachment') {
    const text = (content.caption ?? '').slice(0, MAX_UNDERSTOOD_CHARS);
    return { ...base, text, lang: text ? languageOf(text, ctx.fallbackLang) : ctx.fallbackLang, attachment: { kind: content.kind, url: content.url, ...(content.mediaId ? { mediaId: content.mediaId } : {}) }, outOfScope: false };
  }
  if (content.type !== 'text') return { ...base, text: '', lang: ctx.fallbackLang, unsupported: true };
  const text = content.text.slice(0, MAX_UNDERSTOOD_CHARS).trim();
  if (!text || !/[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(text)) return { ...base, text, lang: ctx.fallbackLang, empty: true };
  const lang = languageOf(text, ctx.fallbackLang, ctx.langKnown);
  const picked = ctx.lastChoices?.length ? choiceFromNumber(text, ctx.lastChoices) : undefined;
  const entities = extractEntities(text, { orderNumberPattern: deps.orderNumberPattern });
  const control = detectControl(text);
  const scoreMatch = /^\s*([1-5１-５])\s*(分|stars?|points?)?\s*[.!。！]?\s*$/i.exec(text);
  const score = scoreMatch ? Number(scoreMatch[1].replace(/[１-５]/, (d) => String(d.charCodeAt(0) - 0xff10))) : undefined;
  const split = picked || control ? undefined : twoRequests(deps, text);
  const read = split?.first ?? text;
  const prediction: IntentPrediction & { subIntent?: string } = split?.firstPrediction ?? deps.classifier.predict(read);
  const firstEntities = split ? extractEntities(read, { orderNumberPattern: deps.orderNumberPattern }) : entities;
  const bare = !picked && !entities.orderNumbers.length;
  return {
    text: read, lang, intent: prediction.intent, confidence: prediction.confidence, outOfScope: prediction.outOfScope,
    orderNumbers: firstEntities.orderNumbers,
    // asked for the last 4 digits, people send those, or the whole number
    phoneLast4: entities.phoneLast4 ?? (/^\s*\d{4}\s*$/.test(normaliseText(text)) ? normaliseText(text).trim() : entities.phones[0]?.replace(/\D/g, '').slice(-4)),
    sentiment: sentimentOf(text), postback: picked, control, score, empty: false, unsupported: false,
    subIntent: prediction.subIntent,
    candidates: prediction.ranking.filter((r) => intentLabel(r.intent, 'en')).slice(0, 3),
    smallTalk: bare && !control ? detectSmallTalk(text, prediction.subIntent) : undefined,
    switchTo: bare ? languageSwitchOf(text) : undefined,
    closing: !picked && isClosing(text),
    followUp: bare ? followUpCue(text) : undefined,
    pointsAtOrder: !entities.orderNumbers.length && pointsAtAnOrder(read),
    rest: split?.second,
  };
}

/** The classifier must be sure the second part is a shop request of its own before a message is read as two. */
const SECOND_REQUEST_CONFIDENCE = 0.6;

function twoRequests(deps: UnderstandDeps, text: string): { first: string; second: string; firstPrediction: IntentPrediction } | undefined {
  const split = splitRequests(text);
  if (!split) return undefined;
  const second = deps.classifier.predict(split.second);
  if (second.outOfScope || second.confidence < SECOND_REQUEST_CONFIDENCE) return undefined;
  const first = deps.classifier.predict(split.first);
  const orderInFirst = extractEntities(split.first, { orderNumberPattern: deps.orderNumberPattern }).orderNumbers.length > 0;
  // between two questions only a change of subject is a seam ("到哪了？什么时候到？" is one request)
  if (split.seam === 'question' && (first.intent === second.intent || (first.outOfScope && !orderInFirst))) return undefined;
  if (first.intent === second.intent && !orderInFirst) return undefined;
  return { first: split.first, second: split.second, firstPrediction: first };
}
