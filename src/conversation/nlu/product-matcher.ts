import { normaliseText } from '../text/text-normaliser.js';
import { charNgrams } from '../text/tokenizer.js';

export interface CatalogItem {
  sku: string;
  nameZh: string;
  nameEn: string;
}

export interface ProductMatch {
  sku: string;
  /** 0..1; 1 for an exact SKU or full-name match. */
  score: number;
}

const MIN_SCORE = 0.5;
const EN_FILLER = new Set(['the', 'a', 'an', 'of', 'for', 'with', 'and', 'in', 'set', 'pack']);

function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

const latinWords = (s: string): string[] => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];

function englishScore(name: string, words: string[]): number {
  const wanted = latinWords(name).filter((w) => !EN_FILLER.has(w));
  if (wanted.length === 0) return 0;
  // Short words must match exactly; longer ones may carry one typo.
  const hits = wanted.filter((w) => words.some((t) => (w.length >= 4 ? withinOneEdit(w, t) : w === t))).length;
  return hits / wanted.length;
}

function chineseScore(name: string, text: string): number {
  const simple = normaliseText(name);
  if (simple.length === 0) return 0;
  if (text.includes(simple)) return 1;
  const wanted = new Set(charNgrams(simple, 2, { normalised: true }).filter((g) => g.length === 2));
  if (wanted.size === 0) return 0;
  const have = new Set(charNgrams(text, 2, { normalised: true }));
  let hits = 0;
  for (const g of wanted) if (have.has(g)) hits++;
  return hits / wanted.size;
}

/** Catalogue items a normalised message refers to, by SKU, Chinese bigram overlap or English token overlap. */
export function matchProducts(text: string, catalog: CatalogItem[]): ProductMatch[] {
  const words = latinWords(text);
  const compact = text.replace(/[\s-]/g, '');
  const out: ProductMatch[] = [];
  for (const item of catalog) {
    const sku = item.sku.toLowerCase().replace(/[\s-]/g, '');
    let score = sku.length >= 3 && compact.includes(sku) ? 1 : 0;
    score = Math.max(score, chineseScore(item.nameZh, text), englishScore(item.nameEn, words));
    if (score >= MIN_SCORE) out.push({ sku: item.sku, score: Math.round(score * 100) / 100 });
  }
  return out.sort((a, b) => b.score - a.score).slice(0, 5);
}
