import * as OpenCC from 'opencc-js';

/** Only this many UTF-16 units of a message are looked at; callers may pass 100 KB. */
export const MAX_NORMALISED_INPUT = 2000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Zero-width and BOM characters, soft hyphen, bidi marks; and C0/C1 controls other than whitespace.
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const FULL_WIDTH_ASCII = /[\uFF01-\uFF5E]/g;
const HAN = /[\u3400-\u9FFF\uF900-\uFAFF]/;
// Digits are never collapsed: order numbers and phones have runs like 000.
const REPEATED = /(\P{Nd})\1{2,}/gu;

/** CJK punctuation without a full-width ASCII twin, mapped to the ASCII sign of the same meaning. */
const CJK_PUNCTUATION: Record<string, string> = {
  '\u3000': ' ', '。': '.', '、': ',', '「': '"', '」': '"', '『': '"', '』': '"', '【': '[', '】': ']',
  '〔': '(', '〕': ')', '《': '<', '》': '>', '〈': '<', '〉': '>', '“': '"', '”': '"', '‘': "'", '’': "'",
  '…': '...', '—': '-', '～': '~', '·': ' ', '｡': '.', '､': ',',
};
const CJK_PUNCTUATION_RE = new RegExp(`[${Object.keys(CJK_PUNCTUATION).join('')}]`, 'g');

let toSimplified: ((s: string) => string) | undefined;

function simplify(text: string): string {
  // 'tw' covers the Hong Kong forms as well and also maps 著→着.
  const convert = (toSimplified ??= OpenCC.Converter({ from: 'tw', to: 'cn' }));
  return convert(text);
}

/**
 * Canonical form of a customer message for matching: first 2,000 characters, well-formed UTF-16,
 * no invisible/control characters, full-width ASCII and CJK punctuation as ASCII, traditional
 * Chinese as simplified, Latin lower-cased, runs of 3+ identical non-digit characters cut to 2,
 * whitespace collapsed. Pure and deterministic.
 */
export function normaliseText(input: string): string {
  let s = input.length > MAX_NORMALISED_INPUT ? input.slice(0, MAX_NORMALISED_INPUT) : input;
  s = s.replace(LONE_SURROGATE, '\uFFFD').replace(INVISIBLE, '').replace(CONTROL, ' ');
  s = s.replace(FULL_WIDTH_ASCII, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  s = s.replace(CJK_PUNCTUATION_RE, (c) => CJK_PUNCTUATION[c] ?? c);
  if (HAN.test(s)) s = simplify(s);
  s = s.toLowerCase();
  s = s.replace(REPEATED, '$1$1');
  return s.replace(/\s+/g, ' ').trim();
}

const EMOJI_SCORES: Record<string, number> = {
  '😡': -1, '🤬': -1, '😠': -1, '👎': -0.8, '😤': -0.8, '💢': -0.8, '😞': -0.6, '😢': -0.6, '😭': -0.7,
  '😩': -0.7, '😫': -0.7, '🙄': -0.5, '😒': -0.5, '😔': -0.5, '☹': -0.6, '🙁': -0.5, '😕': -0.4,
  '😣': -0.5, '😖': -0.6, '💩': -0.8, '🖕': -1, '😰': -0.4, '😱': -0.5, '🤮': -0.9, '🤢': -0.7,
  '💔': -0.6, '😑': -0.3, '😐': -0.2, '😓': -0.4, '🥵': -0.3, '😿': -0.6,
  '😊': 0.8, '👍': 0.8, '😀': 0.7, '😃': 0.7, '😄': 0.8, '😁': 0.7, '🙂': 0.4, '😍': 1, '🥰': 1,
  '❤': 0.9, '💕': 0.8, '💖': 0.8, '🙏': 0.5, '👏': 0.7, '🎉': 0.7, '😘': 0.7, '🤗': 0.7, '✨': 0.4,
  '💯': 0.7, '👌': 0.6, '😆': 0.6, '😂': 0.3, '🤣': 0.3, '☺': 0.6, '🌹': 0.5, '💪': 0.5, '😎': 0.5,
};
const EMOTICONS: [RegExp, number][] = [
  [/(?:^|\s)[:;]-?\)(?=\s|$)/g, 0.5],
  [/(?:^|\s):-?\((?=\s|$)/g, -0.5],
  [/(?:^|\s):-?d(?=\s|$)/gi, 0.6],
];

/**
 * Mean sentiment of the emoji (and a few ASCII emoticons) in a message, in -1..1;
 * 0 when there are none. A hint for tone, not a classifier.
 */
export function emojiSentiment(input: string): number {
  const s = input.length > MAX_NORMALISED_INPUT ? input.slice(0, MAX_NORMALISED_INPUT) : input;
  let sum = 0;
  let count = 0;
  for (const ch of s) {
    const score = EMOJI_SCORES[ch];
    if (score !== undefined) {
      sum += score;
      count += 1;
    }
  }
  for (const [re, score] of EMOTICONS) {
    const n = s.match(re)?.length ?? 0;
    sum += n * score;
    count += n;
  }
  if (count === 0) return 0;
  return Math.max(-1, Math.min(1, sum / count));
}
