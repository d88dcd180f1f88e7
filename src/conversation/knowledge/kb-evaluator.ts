import { z } from 'zod';
import { readLabelledRows } from '../../shared/labelled-file-reader.js';
import type { KbLang } from './kb-article-loader.js';
import type { KbHit, KbSearchOptions } from './kb-retriever.js';

export interface EvalRow {
  question: string;
  article_id: string;
}

export interface EvalMiss {
  question: string;
  expected: string;
  /** Ids of the top 3 hits, best first. */
  got: string[];
  /** 1-based rank of the expected article in the top 10, or null when absent. */
  rank: number | null;
}

export interface RetrievalReport {
  count: number;
  top1: number;
  top3: number;
  mrr: number;
  /** Every row whose expected article was not ranked first. */
  misses: EvalMiss[];
}

/** Anything that can search; a KnowledgeRetriever in practice. */
export interface Searchable {
  search(query: string, opts?: KbSearchOptions): KbHit[];
}

const RANK_DEPTH = 10;

/** Top-1 / top-3 accuracy and mean reciprocal rank (over the top 10) of a retriever on labelled rows. */
export function evaluateRetrieval(retriever: Searchable, rows: EvalRow[], opts: { lang?: KbLang } = {}): RetrievalReport {
  let top1 = 0;
  let top3 = 0;
  let rrSum = 0;
  const misses: EvalMiss[] = [];
  for (const row of rows) {
    const hits = retriever.search(row.question, { limit: RANK_DEPTH, lang: opts.lang });
    const idx = hits.findIndex((h) => h.article.id === row.article_id);
    if (idx === 0) top1++;
    if (idx >= 0 && idx < 3) top3++;
    if (idx >= 0) rrSum += 1 / (idx + 1);
    if (idx !== 0) {
      misses.push({ question: row.question, expected: row.article_id, got: hits.slice(0, 3).map((h) => h.article.id), rank: idx >= 0 ? idx + 1 : null });
    }
  }
  const n = rows.length;
  return { count: n, top1: n ? top1 / n : 0, top3: n ? top3 / n : 0, mrr: n ? rrSum / n : 0, misses };
}

const rowSchema = z.object({
  question: z.string().trim().min(1, 'must not be empty'),
  article_id: z.string().trim().min(1, 'must not be empty'),
});

/** Reads labelled questions: CSV with a `question,article_id` header, or JSONL (`.jsonl`/`.ndjson`). */
export async function readEvalRows(file: string): Promise<EvalRow[]> {
  return readLabelledRows(file, ['question', 'article_id'], rowSchema);
}
