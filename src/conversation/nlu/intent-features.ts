import { createRequire } from 'node:module';
import { stripPoliteness } from '../text/politeness-stripper.js';
import { normaliseText } from '../text/text-normaliser.js';
import { tokenize } from '../text/tokenizer.js';
import type { SpellingCorrector } from './spelling-corrector.js';

// Only the Porter stemmer submodule: natural's root import takes over a second and runs dotenv.
const require = createRequire(import.meta.url);
const PorterStemmer = require('natural/lib/natural/stemmers/porter_stemmer.js') as { stem(word: string): string };

/** Sparse feature vector: feature names with weights, L2-normalised. */
export type FeatureBag = Map<string, number>;

const URL = /https?:\/\/\S+|www\.\S+/g;
const HANDLE = /@[a-z0-9_]+/g;
// Order numbers, phones, tracking numbers: what matters is that one is there, not which.
const LONG_CODE = /\b[a-z]{0,4}\d{6,}\b/g;
// Placeholders that anonymised exports put where an order number or a name was: {{Order Number}}, [ORDERID_123].
const ORDER_SLOT = /\{\{\s*(order|invoice|tracking|refund)[^}]*\}\}|\[(orderid|order_id|订单号|订单编号)[^\]]*\]/g;
const OTHER_SLOT = /\{\{[^}]{1,40}\}\}|\[[a-z_\u4e00-\u9fff]{1,12}\d*x?\]/g;
const EMOJI = /\p{Extended_Pictographic}/gu;
const EMOJI_TEST = /\p{Extended_Pictographic}/u;
const HAN_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;
// Emoticon codes of chat exports ("#E-s[数字x]").
const EMOTICON_CODE = /#e-[a-z]\[[^\]]{0,12}\]/g;
const LATIN_WORD = /^[a-z\u00e0-\u024f]+$/;

/**
 * Common Chinese typing slips (pinyin input picks a homophone) mapped to the word meant. Only pairs
 * that never mean anything else in a shop chat.
 */
const ZH_SLIPS: [RegExp, string][] = [
  [/快地|快第|快滴|筷递/g, '快递'], [/定单/g, '订单'], [/帐号/g, '账号'], [/帐户/g, '账户'], [/退宽|推款|退欵/g, '退款'],
  [/发或|发获/g, '发货'], [/物留|无流/g, '物流'], [/换或/g, '换货'], [/退或/g, '退货'], [/发漂|发飘/g, '发票'],
  [/优惠卷/g, '优惠券'], [/冲值/g, '充值'], [/登陆/g, '登录'], [/密马/g, '密码'], [/运废/g, '运费'], [/保休/g, '保修'],
];

// Feature groups are weighted so that no single view dominates the dot product.
const W_WORD = 1;
const W_STEM = 0.6;
const W_LATIN_BIGRAM = 0.7;
const W_HAN_BIGRAM = 0.8;
const W_HAN_TRIGRAM = 0.5;
const W_HAN_CHAR = 0.35;
const W_TRIGRAM = 0.35;
const W_EMOJI = 0.8;

function add(bag: FeatureBag, key: string, weight: number): void {
  bag.set(key, (bag.get(key) ?? 0) + weight);
}

const stemCache = new Map<string, string>();
/** Porter stem of an English word, cached (the same few thousand words come back all the time). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = PorterStemmer.stem(word);
    if (stemCache.size > 20_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/** Text as the classifier sees it: normalised, slips fixed, links/handles dropped, codes replaced, politeness peeled off. */
export function prepareText(text: string): string {
  let s = normaliseText(text);
  if (/[\u4e00-\u9fff]/.test(s)) for (const [re, to] of ZH_SLIPS) s = s.replace(re, to);
  s = s.replace(EMOTICON_CODE, ' ').replace(URL, ' ').replace(HANDLE, ' ').replace(ORDER_SLOT, ' qqcode ').replace(OTHER_SLOT, ' qqslot ').replace(LONG_CODE, ' qqcode ');
  return stripPoliteness(s.replace(/\s+/g, ' ').trim());
}

/** English words of prepared text, as the spelling vocabulary counts them. */
export function latinWords(prepared: string): string[] {
  return prepared.match(/[a-z\u00e0-\u024f]+/g) ?? [];
}

/**
 * Features of one message: jieba words; for English words (spelling-corrected when unknown) also
 * the Porter stem, word bigrams and char trigrams (typos, pinyin); Han char
 * bigrams, trigrams and single chars (robust to segmentation and slips); emoji. Counts are
 * log-damped and L2-normalised.
 */
export function extractFeatures(text: string, corrector?: SpellingCorrector): FeatureBag {
  const s = prepareText(text);
  const bag: FeatureBag = new Map();
  const words = tokenize(s, { stopwords: false, normalised: true });
  let prevLatin: string | undefined;
  for (const raw of words) {
    const isLatin = LATIN_WORD.test(raw);
    if (!isLatin) {
      add(bag, /^\d+$/.test(raw) ? 'w:#num' : `w:${raw}`, W_WORD);
      prevLatin = undefined;
      continue;
    }
    // A misspelt word counts as the word it stands for: the typo itself would be unknown to the
    // model and only dilute the rest of the (normalised) vector.
    const w = corrector?.correct(raw) ?? raw;
    add(bag, `w:${w}`, W_WORD);
    const st = stem(w);
    add(bag, `s:${st}`, W_STEM);
    add(bag, `b:${prevLatin ?? '^'}_${st}`, W_LATIN_BIGRAM);
    if (w.length > 3) {
      const padded = `<${w}>`;
      for (let i = 0; i + 3 <= padded.length; i++) add(bag, `t:${padded.slice(i, i + 3)}`, W_TRIGRAM);
    }
    prevLatin = st;
  }
  // Han character 1-, 2- and 3-grams within each run of Han characters, in one pass.
  for (const m of s.matchAll(HAN_RUN)) {
    const run = m[0];
    for (let i = 0; i < run.length; i++) {
      if (run.charCodeAt(i) <= 0x9fff) add(bag, `u:${run[i]}`, W_HAN_CHAR);
      if (i + 2 <= run.length) add(bag, `c:${run.slice(i, i + 2)}`, W_HAN_BIGRAM);
      if (i + 3 <= run.length) add(bag, `h:${run.slice(i, i + 3)}`, W_HAN_TRIGRAM);
    }
  }
  if (EMOJI_TEST.test(s)) for (const e of s.match(EMOJI) ?? []) add(bag, `e:${e}`, W_EMOJI);

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
