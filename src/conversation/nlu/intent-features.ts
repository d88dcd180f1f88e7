import { normaliseText } from '../text/text-normaliser.js';
import { charNgrams, tokenize } from '../text/tokenizer.js';

/** Sparse feature vector: feature names with weights, L2-normalised. */
export type FeatureBag = Map<string, number>;

const URL = /https?:\/\/\S+|www\.\S+/g;
const HANDLE = /@[a-z0-9_]+/g;
// Order numbers, phones, tracking numbers: what matters is that one is there, not which.
const LONG_CODE = /\b[a-z]{0,4}\d{6,}\b/g;
const EMOJI = /\p{Extended_Pictographic}/gu;
const LATIN_WORD = /^[a-z\u00e0-\u024f]+$/;

// Feature groups are weighted so that no single view dominates the dot product.
const W_WORD = 1;
const W_LATIN_BIGRAM = 0.7;
const W_HAN_BIGRAM = 0.8;
const W_HAN_CHAR = 0.4;
const W_TRIGRAM = 0.35;
const W_EMOJI = 0.8;

function add(bag: FeatureBag, key: string, weight: number): void {
  bag.set(key, (bag.get(key) ?? 0) + weight);
}

/** Text as the classifier sees it: normalised, links/handles dropped, long codes replaced. */
export function prepareText(text: string): string {
  return normaliseText(text).replace(URL, ' ').replace(HANDLE, ' ').replace(LONG_CODE, ' qqcode ');
}

/**
 * Features of one message: jieba words, Han char bigrams and single chars, Latin word bigrams,
 * char trigrams of Latin words (typos, pinyin), emoji. Counts are log-damped and L2-normalised.
 */
export function extractFeatures(text: string): FeatureBag {
  const s = prepareText(text);
  const bag: FeatureBag = new Map();
  const words = tokenize(s, { stopwords: false, normalised: true });
  let prevLatin: string | undefined;
  for (const w of words) {
    const isLatin = LATIN_WORD.test(w);
    const key = /^\d+$/.test(w) ? 'w:#num' : `w:${w}`;
    add(bag, key, W_WORD);
    if (isLatin) {
      add(bag, `b:${prevLatin ?? '^'}_${w}`, W_LATIN_BIGRAM);
      if (w.length > 3) {
        const padded = `<${w}>`;
        for (let i = 0; i + 3 <= padded.length; i++) add(bag, `t:${padded.slice(i, i + 3)}`, W_TRIGRAM);
      }
      prevLatin = w;
    } else {
      prevLatin = undefined;
    }
  }
  for (const g of charNgrams(s, 2, { normalised: true })) {
    if (g.length === 2) add(bag, `c:${g}`, W_HAN_BIGRAM);
  }
  for (const ch of s.match(/[\u3400-\u9fff]/g) ?? []) add(bag, `u:${ch}`, W_HAN_CHAR);
  for (const e of s.match(EMOJI) ?? []) add(bag, `e:${e}`, W_EMOJI);

  let norm = 0;
  for (const [k, v] of bag) {
    const damped = Math.sign(v) * Math.log1p(Math.abs(v));
    bag.set(k, damped);
    norm += damped * damped;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (const [k, v] of bag) bag.set(k, v * inv);
  }
  return bag;
}
