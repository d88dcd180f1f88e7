import { tokenize } from '../text/tokenizer.js';

const LATIN = /^[a-z]+$/;
const HAN_RUN = /^[\u3400-\u9fff\uf900-\ufaff]+$/;
const DOUBLE_END = /([b-df-hj-np-tv-z])\1$/;

/** Irregular forms customers use a lot, mapped to the stem of their base form. */
const IRREGULAR: Record<string, string> = {
  sent: 'send', paid: 'pay', used: 'use', using: 'use', bought: 'buy', broke: 'break', took: 'take', gave: 'give', came: 'come',
  brought: 'bring', lost: 'lose', chose: 'choose', chosen: 'choose', wore: 'wear', worn: 'wear', tore: 'tear', torn: 'tear',
};

/**
 * A light English stemmer: plural, -ing/-ed and final -e endings only, so "shipping", "ships" and
 * "shipped" meet at "ship" and "size"/"sizing" at "siz". Full Porter stemming over-merges short
 * shop words and measured worse on the leave-one-out questions.
 */
export function stemEn(word: string): string {
  if (!LATIN.test(word)) return word;
  const irregular = IRREGULAR[word];
  if (irregular) return stemEn(irregular);
  if (word.length <= 3) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(?:ss|sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  const stripped = w.length < word.length - 1;
  // "stopped" → "stop"; British "cancelled" → "cancel" too, but only for longer stems ("called" stays "call").
  if (DOUBLE_END.test(w) && !/(?:ss|zz|ff)$/.test(w) && (!w.endsWith('ll') || (stripped && w.length >= 6))) w = w.slice(0, -1);
  // Base forms and inflections both lose a final e ("use"/"used" → "us", "size"/"sizing" → "siz").
  if (w.endsWith('e') && w.length > 3 && !w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}

/**
 * Question and filler words that the shared tokenizer keeps (classifiers want them) but that
 * say nothing about which FAQ article is meant.
 */
const KB_STOPWORDS = new Set([
  // "where" stays a search word: "where is my order/refund" and "where do you ship" depend on it.
  'can', 'could', 'would', 'will', 'how', 'what', 'why', 'which', 'who', 'whats', 'any', 'want',
  'need', 'still', 'also', 'know', 'tell', 'let', 'get', 'got', 'not', 'no', 'dont', 'doesnt', 'cant', 'one',
  // Chat filler, and the stems the tokenizer leaves of "hasn't", "didn't", … (the "t" is dropped).
  'hello', 'hey', 'dear', 'thanks', 'thank', 'u', 'ur', 'yo', 'ok', 'okay', 'really', 'right', 'now', 'yet',
  'anymore', 'should', 'shall', 'may', 'might', 'must', 'hasn', 'haven', 'hadn', 'isn', 'aren', 'wasn', 'weren',
  'didn', 'won', 'wouldn', 'couldn', 'shouldn', 'about',
  '怎么', '怎么办', '怎样', '怎么样', '什么', '为什么', '可以', '能', '能不能', '可不可以', '要', '想', '帮', '帮我', '麻烦', '在吗',
  '一下', '有没有', '是不是', '会', '会不会', '吗', '呢', '啊', '哪里', '哪', '多少',
]);

/** Marks a character-bigram term so it can never collide with a jieba word. */
export const BIGRAM_MARK = '\u00a7';

/**
 * Search terms of a text: tokenizer words (English stemmed) plus the character bigrams of every
 * Chinese word of two or more characters. The bigrams catch segmentation differences such as
 * 退钱/退款 or 发货/发错货, at a lower weight decided by the index.
 */
export function termsOf(text: string): string[] {
  const out: string[] = [];
  for (const tok of tokenize(text)) {
    if (KB_STOPWORDS.has(tok)) continue;
    if (HAN_RUN.test(tok)) {
      out.push(tok);
      for (let i = 0; i + 2 <= tok.length; i++) out.push(BIGRAM_MARK + tok.slice(i, i + 2));
    } else {
      out.push(stemEn(tok));
    }
  }
  return out;
}

export function isBigram(term: string): boolean {
  return term.startsWith(BIGRAM_MARK);
}
