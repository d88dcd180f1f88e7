import type { KbArticle } from './kb-article-loader.js';
import { isBigram, termsOf } from './kb-terms.js';
import type { WeightedTerm } from './synonym-expander.js';

export type Bm25Field = 'title' | 'questions' | 'tags' | 'body';
const FIELDS: readonly Bm25Field[] = ['title', 'questions', 'tags', 'body'];

export interface Bm25Options {
  k1: number;
  /** How much each field counts; question variants are boosted since they look like queries. */
  fieldWeights: Record<Bm25Field, number>;
  /** Length normalisation per field; lower for questions, whose field grows with every variant. */
  fieldB: Record<Bm25Field, number>;
  /** Query weight of character-bigram terms relative to whole words. */
  bigramWeight: number;
}

export const DEFAULT_BM25_OPTIONS: Bm25Options = {
  // Chosen by leave-one-question-out accuracy on the articles' own question variants.
  k1: 1.5,
  fieldWeights: { title: 2, questions: 2, tags: 2, body: 1.5 },
  fieldB: { title: 0.75, questions: 0.4, tags: 0.4, body: 0.6 },
  bigramWeight: 0.3,
};

export type Bm25Doc = Record<Bm25Field, string[]>;

export interface Bm25Match {
  doc: number;
  score: number;
}

interface Posting {
  doc: number;
  /** Field-weighted, length-normalised term frequency (BM25F), fixed per document and term. */
  tf: number;
}

/** The terms of an article, per field. */
export function articleDoc(article: KbArticle): Bm25Doc {
  return {
    title: termsOf(article.title),
    questions: article.questions.flatMap((q) => termsOf(q)),
    tags: article.tags.flatMap((t) => termsOf(t)),
    body: termsOf(article.body),
  };
}

/**
 * BM25F over a small document set: per-field term frequencies are weighted and length-normalised,
 * summed, and saturated once with k1. Postings hold the final per-document tf, so a query costs
 * one pass over the postings of its terms.
 */
export class Bm25Index {
  readonly size: number;
  private readonly postings = new Map<string, Posting[]>();
  private readonly avgLen: Record<Bm25Field, number>;

  constructor(docs: Bm25Doc[], readonly options: Bm25Options = DEFAULT_BM25_OPTIONS) {
    this.size = docs.length;
    this.avgLen = { title: 0, questions: 0, tags: 0, body: 0 };
    for (const f of FIELDS) {
      const total = docs.reduce((sum, d) => sum + d[f].length, 0);
      this.avgLen[f] = docs.length > 0 ? Math.max(1, total / docs.length) : 1;
    }
    docs.forEach((doc, i) => {
      const tf = new Map<string, number>();
      for (const f of FIELDS) {
        const norm = this.fieldNorm(f, doc[f].length);
        for (const term of doc[f]) tf.set(term, (tf.get(term) ?? 0) + norm);
      }
      for (const [term, value] of tf) {
        const list = this.postings.get(term) ?? [];
        list.push({ doc: i, tf: value });
        this.postings.set(term, list);
      }
    });
  }

  private fieldNorm(f: Bm25Field, len: number): number {
    const b = this.options.fieldB[f];
    return this.options.fieldWeights[f] / (1 - b + (b * len) / this.avgLen[f]);
  }

  /** Every term some document contains. */
  vocabulary(): Set<string> {
    return new Set(this.postings.keys());
  }

  /** Robertson–Spärck Jones idf, kept positive; a term no document has gets the highest value. */
  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  private saturate(tf: number): number {
    const k1 = this.options.k1;
    return (tf * (k1 + 1)) / (k1 + tf);
  }

  private termWeight(t: WeightedTerm): number {
    return isBigram(t.term) ? t.weight * this.options.bigramWeight : t.weight;
  }

  /** Scores every document sharing a term with the query; best first, at most `limit`. */
  search(terms: WeightedTerm[], limit = 10): Bm25Match[] {
    const scores = new Map<number, number>();
    for (const t of terms) {
      const list = this.postings.get(t.term);
      if (!list) continue;
      const w = this.termWeight(t) * this.idf(t.term);
      for (const p of list) scores.set(p.doc, (scores.get(p.doc) ?? 0) + w * this.saturate(p.tf));
    }
    return [...scores]
      .map(([doc, score]) => ({ doc, score }))
      .sort((a, b) => b.score - a.score || a.doc - b.doc)
      .slice(0, limit);
  }

  /**
   * The score the query would get against a document whose question field is the query itself:
   * the natural ceiling for a match, used to turn raw scores into a 0..1 coverage.
   * Only typed terms count, so synonym expansion cannot inflate the ceiling.
   */
  selfScore(terms: WeightedTerm[]): number {
    const typed = terms.filter((t) => t.weight >= 1);
    const norm = this.fieldNorm('questions', typed.length);
    let score = 0;
    for (const t of typed) score += this.termWeight(t) * this.idf(t.term) * this.saturate(norm);
    return score;
  }
}
