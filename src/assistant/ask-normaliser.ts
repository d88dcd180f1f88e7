import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance/index.js';
import * as OpenCC from 'opencc-js/t2cn';

/**
 * A staff question in canonical form for the ask parser. `text` is what the rules match on
 * (half-width, simplified, lower-case Latin, numerals as digits); `cased` is the same string with
 * the asker's letter case, aligned character for character, so a name ("Alice Smith") can be
 * cut out of `text` positions and keep its case.
 */
export interface NormalisedQuestion {
  text: string;
  cased: string;
  /** The input was longer than MAX_QUESTION_CHARS and only its start was read. */
  truncated: boolean;
}

/** Questions are short (the longest real ones are under 100 characters); 10 KB of pasted text is cut here, before any regex sees it. */
export const MAX_QUESTION_CHARS = 200;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
const FULL_WIDTH_ASCII = /[\uFF01-\uFF5E]/g;
const HAN = /[\u3400-\u9FFF\uF900-\uFAFF]/;
const CJK_PUNCTUATION: Record<string, string> = {
  '\u3000': ' ', '。': '.', '、': ',', '「': '"', '」': '"', '『': '"', '』': '"', '【': '[', '】': ']',
  '〔': '(', '〕': ')', '《': '<', '》': '>', '〈': '<', '〉': '>', '“': '"', '”': '"', '‘': "'", '’': "'",
  '…': '.', '—': '-', '–': '-', '～': '~', '〜': '~', '·': ' ', '｡': '.', '､': ',',
};
const CJK_PUNCTUATION_RE = new RegExp(`[${Object.keys(CJK_PUNCTUATION).join('')}]`, 'g');
const UPPER = /[A-Z]+/g;

// The t2cn build carries only the traditional→simplified tables (~110 KB instead of 1.2 MB).
let toSimplified: ((s: string) => string) | undefined;
function simplify(s: string): string {
  return (toSimplified ??= OpenCC.Converter({ from: 'tw', to: 'cn' }))(s);
}

/** Replace matches of `re` (global) in `text` and at the same places in the aligned `cased`. */
function replaceAligned(q: { text: string; cased: string }, re: RegExp, fn: (m: RegExpExecArray) => string | null): void {
  let text = '';
  let cased = '';
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(q.text); m; m = re.exec(q.text)) {
    const out = fn(m);
    if (out === null) continue;
    const end = m.index + m[0].length;
    text += q.text.slice(last, m.index) + out;
    // a replacement that only changes case keeps the asker's case
    cased += q.cased.slice(last, m.index) + (out === m[0] ? q.cased.slice(m.index, end) : out);
    last = end;
  }
  if (last === 0) return;
  q.text = text + q.text.slice(last);
  q.cased = cased + q.cased.slice(last);
}

// --- Chinese numerals -------------------------------------------------------------------------

const ZH_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 五 → 5, 十五 → 15, 二十 → 20, 一百二十 → 120, 二〇二六 → 2026; undefined when it is not a number. */
export function chineseNumeral(s: string): number | undefined {
  if (!/[十百千]/.test(s)) {
    let n = 0;
    for (const c of s) {
      const d = ZH_DIGITS[c];
      if (d === undefined) return undefined;
      n = n * 10 + d;
    }
    return s.length > 0 ? n : undefined;
  }
  let total = 0;
  let digit = 0;
  for (const c of s) {
    const d = ZH_DIGITS[c];
    if (d !== undefined) digit = d;
    else {
      const unit = c === '十' ? 10 : c === '百' ? 100 : c === '千' ? 1000 : 0;
      if (unit === 0) return undefined;
      total += (digit === 0 ? 1 : digit) * unit;
      digit = 0;
    }
  }
  return total + digit;
}

// A run of numeral characters becomes digits only where it counts something (近七天, 前五, 第一季度,
// 双十一, 三个月): names such as 张三 or 王五 keep their characters.
const ZH_NUMERAL_RUN = /(前|近|过去|最近|第|双|top|排名|最后|后|头|倒数)?([零〇一二两三四五六七八九十百千]+)(?=(个|天|日|号|月|周|星期|礼拜|年|季度|季|名|位|款|件|种|类|笔|单|次|大|小时|样|家|条|成|个?品)?)/g;
const NO_NUMERAL_BEFORE = /[上下这那每本]$/;

function convertChineseNumerals(q: { text: string; cased: string }): void {
  replaceAligned(q, ZH_NUMERAL_RUN, (m) => {
    const [whole, before, run, after] = m;
    if (!before && !after) return null;
    if (!before && run === '一' && NO_NUMERAL_BEFORE.test(q.text.slice(0, m.index))) return null;
    const n = chineseNumeral(run);
    if (n === undefined) return null;
    return whole.slice(0, before?.length ?? 0) + String(n);
  });
}

const EN_NUMBERS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, ninety: 90, hundred: 100,
};
const EN_NUMBER_RE = new RegExp(`\\b(${Object.keys(EN_NUMBERS).join('|')})\\b`, 'g');

// --- English typos ----------------------------------------------------------------------------

/**
 * Fixes misspelt English keywords (reveune → revenue, yesterdy → yesterday) against a vocabulary,
 * with the restricted Damerau-Levenshtein distance: 1 edit for words of 4–7 letters, 2 from 8.
 * Words in `known` (the vocabulary and common English) are never touched; answers are cached.
 */
export class TypoFixer {
  private readonly byFirst = new Map<string, string[]>();
  private readonly cache = new Map<string, string | null>();

  constructor(
    private readonly vocabulary: ReadonlySet<string>,
    private readonly known: ReadonlySet<string>,
    private readonly aliases: ReadonlyMap<string, string> = new Map(),
  ) {
    for (const w of vocabulary) {
      if (w.length < 4) continue;
      // a typo seldom hits both of the first two letters: index by each
      for (const key of new Set([w[0], w[1]])) {
        const list = this.byFirst.get(key) ?? [];
        list.push(w);
        this.byFirst.set(key, list);
      }
    }
  }

  fix(word: string): string | null {
    const alias = this.aliases.get(word);
    if (alias !== undefined) return alias;
    if (word.length < 4 || this.vocabulary.has(word) || this.known.has(word)) return null;
    const hit = this.cache.get(word);
    if (hit !== undefined) return hit;
    const max = word.length >= 8 ? 2 : 1;
    let best: string | null = null;
    let bestDistance = max + 1;
    let tie = false;
    for (const key of new Set([word[0], word[1]])) {
      for (const candidate of this.byFirst.get(key) ?? []) {
        if (Math.abs(candidate.length - word.length) > max || candidate === best) continue;
        const d = DamerauLevenshteinDistance(word, candidate, { restricted: true });
        if (d > max) continue;
        if (d < bestDistance) {
          best = candidate;
          bestDistance = d;
          tie = false;
        } else if (d === bestDistance && candidate !== best) {
          // salse: "sales" (a swap) beats "sale" (a deletion); otherwise a tie fixes nothing
          const sameLength = (w: string): boolean => w.length === word.length;
          if (sameLength(candidate) && !sameLength(best ?? '')) {
            best = candidate;
            tie = false;
          } else if (sameLength(candidate) === sameLength(best ?? '')) tie = true;
        }
      }
    }
    const answer = best !== null && !tie ? best : null;
    if (this.cache.size > 5000) this.cache.clear();
    this.cache.set(word, answer);
    return answer;
  }
}

// whole Latin words only: not parts of e-mail addresses, domains or order numbers
const LATIN_WORD = /(?<![a-z0-9@._-])[a-z]+(?![a-z0-9@_-]|\.[a-z0-9])/g;

/**
 * Canonical form of a staff question: at most MAX_QUESTION_CHARS characters, well-formed, no
 * invisible or control characters, full-width ASCII and CJK punctuation as ASCII, traditional
 * Chinese as simplified, Latin lower-cased (in `text`), counting numerals (七天, seven days) as
 * digits, misspelt keywords fixed when a `typos` fixer is given, whitespace collapsed.
 */
export function normaliseQuestion(input: string, typos?: TypoFixer): NormalisedQuestion {
  const truncated = input.length > MAX_QUESTION_CHARS;
  let s = truncated ? input.slice(0, MAX_QUESTION_CHARS) : input;
  s = s.replace(LONE_SURROGATE, '').replace(INVISIBLE, '').replace(CONTROL, ' ');
  s = s.replace(FULL_WIDTH_ASCII, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  s = s.replace(CJK_PUNCTUATION_RE, (c) => CJK_PUNCTUATION[c] ?? c);
  if (HAN.test(s)) s = simplify(s);
  s = s.replace(/\s+/g, ' ').trim();
  const q = { text: s.replace(UPPER, (u) => u.toLowerCase()), cased: s };
  if (HAN.test(q.text)) convertChineseNumerals(q);
  replaceAligned(q, EN_NUMBER_RE, (m) => String(EN_NUMBERS[m[1]]));
  if (typos) replaceAligned(q, LATIN_WORD, (m) => typos.fix(m[0]));
  return { text: q.text, cased: q.cased, truncated };
}
