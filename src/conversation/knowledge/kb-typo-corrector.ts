import { isBigram } from './kb-terms.js';

const LATIN = /^[a-z]+$/;
/**
 * Shorter words are too often real words the articles just do not use ("shirt" is not a typo of
 * "short", nor "black" of "back").
 */
const MIN_LENGTH = 6;

/** Optimal string alignment distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max = 1): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Replaces English query terms the index has never seen by the one known term a single edit away
 * ("adress" → "address", "recieve" → "receive"), so a typo does not silently drop a key word.
 * Ambiguous typos (several candidates) are left alone.
 */
export class TypoCorrector {
  private readonly byLength = new Map<number, string[]>();

  /**
   * `vocabulary`: the index terms, the only correction targets; `known`: further real words (e.g.
   * from the synonym groups) that must never be "corrected".
   */
  constructor(private readonly vocabulary: ReadonlySet<string>, private readonly known: ReadonlySet<string> = new Set()) {
    for (const term of vocabulary) {
      if (!LATIN.test(term) || term.length < MIN_LENGTH - 1) continue;
      const list = this.byLength.get(term.length) ?? [];
      list.push(term);
      this.byLength.set(term.length, list);
    }
  }

  correct(terms: string[]): string[] {
    return terms.map((t) => (this.needsCorrection(t) ? this.nearest(t) ?? t : t));
  }

  private needsCorrection(term: string): boolean {
    return !isBigram(term) && LATIN.test(term) && term.length >= MIN_LENGTH && !this.vocabulary.has(term) && !this.known.has(term);
  }

  private nearest(term: string): string | undefined {
    const found: string[] = [];
    for (let len = term.length - 1; len <= term.length + 1; len++) {
      for (const cand of this.byLength.get(len) ?? []) {
        if (editDistance(term, cand) <= 1) found.push(cand);
        if (found.length > 1) return undefined;
      }
    }
    return found[0];
  }
}
