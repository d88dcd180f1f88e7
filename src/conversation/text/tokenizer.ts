import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { normaliseText } from './text-normaliser.js';

export interface TokenizeOptions {
  /** Drop common function words (default true). Classifiers usually want them kept. */
  stopwords?: boolean;
  /** Set when the text is already the output of normaliseText, to skip doing it twice. */
  normalised?: boolean;
}

let jieba: Jieba | undefined;

function segmenter(): Jieba {
  // Loading the dictionary takes ~250 ms, so it happens once, on first use.
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Loads the segmenter dictionary now, so the first real message does not pay for it. */
export function warmUpTokenizer(): void {
  segmenter().cut('预热', false);
}

// Han runs, Latin letter runs, digit runs; everything else separates tokens.
const RUN = /([\u3400-\u9fff\uf900-\ufaff]+)|([a-z\u00e0-\u024f]+)|(\d+)/g;
const HAN_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;

const STOPWORDS = new Set([
  // zh
  '的', '了', '吗', '呢', '啊', '吧', '呀', '哦', '噢', '嘛', '么', '啦', '哈', '嗯', '是', '就', '也',
  '都', '还', '和', '与', '及', '或', '在', '这', '那', '这个', '那个', '一个', '一下', '我', '你', '您',
  '他', '她', '它', '我们', '你们', '他们', '请', '请问', '亲', '把', '被', '给', '让', '着', '过', '得',
  '地', '很', '又', '再', '而', '但', '但是', '所以', '因为', '如果', '然后', '就是', '还是', '一', '个',
  // en
  'a', 'an', 'the', 'and', 'or', 'but', 'of', 'to', 'in', 'on', 'at', 'for', 'with', 'by', 'from',
  'is', 'am', 'are', 'was', 'were', 'be', 'been', 'being', 'it', 'its', 'this', 'that', 'these',
  'those', 'i', 'me', 'my', 'we', 'our', 'you', 'your', 'he', 'she', 'they', 'them', 'his', 'her',
  'so', 'just', 'very', 'do', 'does', 'did', 'have', 'has', 'had', 'please', 'pls', 'plz', 'hi',
  'im', 'ive', 's', 't', 'd', 'll', 'm', 're', 've', 'as', 'if', 'then', 'there', 'here', 'up',
]);

/**
 * Normalises a message and splits it into words: jieba segments of Han runs, Latin words split
 * on non-letters, digit runs. Stopwords are removed unless `{ stopwords: false }`.
 */
export function tokenize(text: string, opts: TokenizeOptions = {}): string[] {
  const dropStopwords = opts.stopwords ?? true;
  const s = opts.normalised ? text : normaliseText(text);
  const out: string[] = [];
  for (const m of s.matchAll(RUN)) {
    const words = m[1] !== undefined ? segmenter().cut(m[1], false) : [m[0]];
    for (const w of words) {
      if (!dropStopwords || !STOPWORDS.has(w)) out.push(w);
    }
  }
  return out;
}

/**
 * Character n-grams of each Han run of the normalised text (a run shorter than n gives itself).
 * Robust to segmentation mistakes, so good features for short Chinese messages.
 */
export function charNgrams(text: string, n = 2, opts: { normalised?: boolean } = {}): string[] {
  const s = opts.normalised ? text : normaliseText(text);
  const out: string[] = [];
  for (const m of s.matchAll(HAN_RUN)) {
    const run = m[0];
    if (run.length < n) {
      out.push(run);
      continue;
    }
    for (let i = 0; i + n <= run.length; i++) out.push(run.slice(i, i + n));
  }
  return out;
}
