import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
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

function invalidRow(file: string, line: number, err: z.ZodError): AppError {
  const issue = err.issues[0];
  return new AppError('VALIDATION_FAILED', `${file}:${line}: ${issue.path.join('.') || '(row)'}: ${issue.message}`);
}

/** Reads labelled questions: CSV with a `question,article_id` header, or JSONL (`.jsonl`/`.ndjson`). */
export async function readEvalRows(file: string): Promise<EvalRow[]> {
  const text = await readFile(file, 'utf8');
  if (/\.(jsonl|ndjson)$/i.test(file)) {
    const rows: EvalRow[] = [];
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      let data: unknown;
      try {
        data = JSON.parse(line);
      } catch {
        throw new AppError('VALIDATION_FAILED', `${file}:${i + 1}: not valid JSON`);
      }
      const parsed = rowSchema.safeParse(data);
      if (!parsed.success) throw invalidRow(file, i + 1, parsed.error);
      rows.push(parsed.data);
    });
    return rows;
  }
  let records: unknown[];
  try {
    records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `${file}: not valid CSV: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return records.map((r, i) => {
    const parsed = rowSchema.safeParse(r);
    if (!parsed.success) throw invalidRow(file, i + 2, parsed.error);
    return parsed.data;
  });
}
