import { createRequire } from 'node:module';

// Only the distance submodule: natural's root import takes over a second and runs dotenv.
const require = createRequire(import.meta.url);
const { DamerauLevenshteinDistance } = require('natural/lib/natural/distance/levenshtein_distance.js') as {
  DamerauLevenshteinDistance: (a: string, b: string, opts?: { transposition_cost?: number }) => number;
};

/** Edits allowed for a word of this length: none under 4 letters, 1 up to 7, 2 from 8. */
function maxEdits(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

function deletes(word: string, depth: number, out: Set<string>): void {
  if (depth === 0 || word.length <= 2) return;
  for (let i = 0; i < word.length; i++) {
    const d = word.slice(0, i) + word.slice(i + 1);
    if (!out.has(d)) {
      out.add(d);
      deletes(d, depth - 1, out);
    }
  }
}

/**
 * Corrects misspelt English words ("refnud", "accout", "paymnet") to the nearest word of a known
 * vocabulary. Candidates come from a symmetric-delete index (SymSpell), the winner is the smallest
 * Damerau-Levenshtein distance (a swap of two letters costs one edit), ties going to the more frequent
 * word. Built once per model in a few tens of milliseconds; a look-up costs microseconds.
 */
export class SpellingCorrector {
  private readonly rank = new Map<string, number>();
  private readonly index = new Map<string, number[]>();
  private readonly cache = new Map<string, string | null>();

  /** `vocabulary`: known words, most frequent first. */
  constructor(readonly vocabulary: readonly string[]) {
    vocabulary.forEach((word, i) => {
      if (this.rank.has(word)) return;
      this.rank.set(word, i);
      const keys = new Set<string>([word]);
      deletes(word, maxEdits(word.length + 1), keys);
      for (const k of keys) {
        const list = this.index.get(k);
        if (list) list.push(i);
        else this.index.set(k, [i]);
      }
    });
  }

  has(word: string): boolean {
    return this.rank.has(word);
  }

  /** The known word `word` most likely stands for, or undefined when it is known or nothing is close. */
  correct(word: string): string | undefined {
    if (this.rank.has(word)) return undefined;
    const limit = maxEdits(word.length);
    if (limit === 0 || word.length > 24) return undefined;
    const hit = this.cache.get(word);
    if (hit !== undefined) return hit ?? undefined;
    const keys = new Set<string>([word]);
    deletes(word, limit, keys);
    let best: string | undefined;
    let bestDistance = Infinity;
    let bestRank = Infinity;
    for (const k of keys) {
      for (const i of this.index.get(k) ?? []) {
        const candidate = this.vocabulary[i];
        if (Math.abs(candidate.length - word.length) > limit || maxEdits(candidate.length) === 0) continue;
        if (i >= bestRank && bestDistance <= 1) continue;
        const d = DamerauLevenshteinDistance(word, candidate);
        if (d <= limit && (d < bestDistance || (d === bestDistance && i < bestRank))) {
          best = candidate;
          bestDistance = d;
          bestRank = i;
        }
      }
    }
    if (this.cache.size > 5000) this.cache.clear();
    this.cache.set(word, best ?? null);
    return best;
  }
}
