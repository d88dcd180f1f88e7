import * as OpenCC from 'opencc-js';
import { seededRandom } from './softmax-trainer.js';

/**
 * Generated variation of training lines, so the files hold only what customers say and the trainer
 * adds how they happen to type it: typos (keyboard neighbours in English, pinyin homophones in
 * Chinese), greeting/politeness before and after, case, punctuation, full/half width and
 * traditional characters. Deterministic for a seed.
 */

export interface AugmentOptions {
  /** Variants made per line (default 1); duplicates of the line or of each other are dropped later. */
  variants?: number;
  seed?: number;
}

const ZH_PREFIXES = ['你好，', '您好，', '亲，', '亲 ', '在吗？', '在吗 ', '你好 请问', '请问一下，', '客服你好，', '亲亲，', '麻烦问下 ',
  '我想问个事，', '有个问题，', '哈喽 ', '老板，', '嗯 ', '那个 ', '你好，我想咨询一下，', '打扰一下，'];
const ZH_SUFFIXES = ['，谢谢', ' 谢谢', '，急', '？', '??', '。', '呢', '啊', '亲', '！！', '，麻烦了', '，在线等', ' 急急急', '～', '哈', '嘛'];
const EN_PREFIXES = ['hi ', 'hi, ', 'Hello, ', 'hey ', 'Hey there, ', 'Hi team, ', 'good morning, ', 'excuse me, ', 'hello? ',
  'yo ', 'ok so ', 'Quick question: ', 'sorry to bother you but ', 'Dear support, ', 'um ', 'hi there. ', 'please ', 'Help! '];
const EN_SUFFIXES = [' thanks', ', thank you', ' thx', ' please', ' pls', '?', '??', '!', '!!', ' asap', '. Thanks in advance',
  ' :(', ' lol', '...', ' ty', '. Regards'];

// Letters next to each other on a QWERTY keyboard.
const KEYBOARD: Record<string, string> = {
  q: 'wa', w: 'qes', e: 'wrd', r: 'etf', t: 'ryg', y: 'tuh', u: 'yij', i: 'uok', o: 'ipl', p: 'ol', a: 'qsz', s: 'adwx',
  d: 'sfec', f: 'dgrv', g: 'fhtb', h: 'gjyn', j: 'hkun', k: 'jlim', l: 'kop', z: 'asx', x: 'zsdc', c: 'xdfv', v: 'cfgb',
  b: 'vghn', n: 'bhjm', m: 'njk',
};
// Characters a pinyin IME often offers in place of the one meant (same or near sound).
const HOMOPHONES: Record<string, string> = {
  递: '地第', 货: '获或', 款: '宽', 单: '但担', 退: '推', 换: '还环', 码: '马吗', 发: '法', 票: '漂', 件: '见', 运: '云',
  费: '废', 号: '好', 价: '架假', 修: '休', 装: '撞', 到: '道', 没: '每', 吗: '嘛', 么: '嘛', 订: '定', 账: '帐', 登: '灯',
  录: '路', 密: '蜜', 券: '卷', 邮: '由', 包: '保', 保: '宝', 物: '无', 流: '留', 查: '差', 收: '手', 钱: '前', 几: '及',
  时: '是', 候: '后', 什: '神', 怎: '咋', 能: '嫩', 快: '块', 客: '可', 服: '付', 取: '去', 消: '销', 改: '该', 址: '只',
  积: '机', 分: '份', 绑: '帮', 开: '凯', 税: '睡', 安: '按',
};

let toTraditional: ((s: string) => string) | undefined;
function traditional(s: string): string {
  return (toTraditional ??= OpenCC.Converter({ from: 'cn', to: 'tw' }))(s);
}

const HALF_TO_FULL: Record<string, string> = { ',': '，', '?': '？', '!': '！', ':': '：', ';': '；', '.': '。', '(': '（', ')': '）' };
const FULL_TO_HALF = Object.fromEntries(Object.entries(HALF_TO_FULL).map(([a, b]) => [b, a]));

type Rand = () => number;
const pick = <T>(items: readonly T[], rand: Rand): T => items[Math.floor(rand() * items.length)];

/** One keyboard slip in one word of 4+ letters: a neighbour key, a dropped, doubled or swapped letter. */
export function keyboardTypo(text: string, rand: Rand): string {
  const words = [...text.matchAll(/[A-Za-z]{4,}/g)];
  if (words.length === 0) return text;
  const m = pick(words, rand);
  const w = m[0];
  const i = 1 + Math.floor(rand() * (w.length - 1));
  const kind = Math.floor(rand() * 4);
  let typo: string;
  if (kind === 0) {
    const near = KEYBOARD[w[i].toLowerCase()] ?? w[i];
    typo = w.slice(0, i) + pick([...near], rand) + w.slice(i + 1);
  } else if (kind === 1) typo = w.slice(0, i) + w.slice(i + 1);
  else if (kind === 2) typo = w.slice(0, i) + w[i] + w.slice(i);
  else typo = i < w.length - 1 ? w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2) : w.slice(0, i - 1) + w[i] + w[i - 1];
  return text.slice(0, m.index) + typo + text.slice((m.index ?? 0) + w.length);
}

/** One character swapped for a homophone the IME might have picked. */
export function homophoneSlip(text: string, rand: Rand): string {
  const spots = [...text].map((ch, i) => (HOMOPHONES[ch] ? i : -1)).filter((i) => i >= 0);
  if (spots.length === 0) return text;
  const chars = [...text];
  const at = pick(spots, rand);
  chars[at] = pick([...HOMOPHONES[chars[at]]], rand);
  return chars.join('');
}

function changeCase(text: string, rand: Rand): string {
  const r = rand();
  if (r < 0.3) return text.toUpperCase();
  if (r < 0.65) return text.replace(/\b[a-z]/g, (c) => c.toUpperCase());
  return text.toLowerCase();
}

function changePunctuation(text: string, rand: Rand): string {
  const r = rand();
  if (r < 0.4) return text.replace(/[,.!?，。！？、~～]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (r < 0.7) return text.replace(/[,?!:;.()]/g, (c) => HALF_TO_FULL[c] ?? c);
  return text.replace(/[，？！：；。（）]/g, (c) => FULL_TO_HALF[c] ?? c);
}

const isChinese = (text: string): boolean => /[\u4e00-\u9fff]/.test(text);

/** One variant of a line: one or two changes picked at random for its language. */
export function augmentLine(text: string, rand: Rand): string {
  const zh = isChinese(text);
  const changes = zh
    ? [(s: string) => pick(ZH_PREFIXES, rand) + s, (s: string) => s + pick(ZH_SUFFIXES, rand), (s: string) => homophoneSlip(s, rand),
      (s: string) => homophoneSlip(s, rand), traditional, (s: string) => changePunctuation(s, rand)]
    : [(s: string) => pick(EN_PREFIXES, rand) + s, (s: string) => s + pick(EN_SUFFIXES, rand), (s: string) => keyboardTypo(s, rand),
      (s: string) => keyboardTypo(s, rand), (s: string) => changeCase(s, rand), (s: string) => changePunctuation(s, rand)];
  let s = text;
  const count = rand() < 0.5 ? 1 : 2;
  for (let k = 0; k < count; k++) s = pick(changes, rand)(s);
  return s;
}

/** `variants` augmented lines per example, each tagged with the index of the line it came from. */
export function augmentExamples<T extends { text: string }>(examples: T[], opts: AugmentOptions = {}): { from: number; text: string }[] {
  const rand = seededRandom(opts.seed ?? 11);
  const n = opts.variants ?? 1;
  const out: { from: number; text: string }[] = [];
  examples.forEach((e, i) => {
    for (let k = 0; k < n; k++) out.push({ from: i, text: augmentLine(e.text, rand) });
  });
  return out;
}
