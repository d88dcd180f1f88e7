import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { AppError } from './app-error.js';

/**
 * Reads a labelled evaluation file (the NLU and knowledge-base test sets): CSV with a header
 * naming `columns`, or JSON Lines (`.jsonl`, `.ndjson`, `.json`). Each row is validated with
 * `schema`; an error names the file and the line it came from.
 */
export function readLabelledRows<T>(file: string, columns: readonly string[], schema: z.ZodType<T>): T[] {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `Cannot read ${file}`, { cause: err, userMessage: `Cannot read ${file}` });
  }
  return /\.(jsonl|ndjson|json)$/i.test(file) ? readJsonLines(file, source, schema) : readCsv(file, source, columns, schema);
}

function rowError(file: string, line: number, problem: string): AppError {
  return new AppError('VALIDATION_FAILED', `${file}:${line}: ${problem}`, { userMessage: `${file} line ${line}: ${problem}` });
}

const issues = (err: z.ZodError) => err.issues.map((x) => `${x.path.join('.') || '(row)'}: ${x.message}`).join('; ');

function readJsonLines<T>(file: string, source: string, schema: z.ZodType<T>): T[] {
  const rows: T[] = [];
  source.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw rowError(file, i + 1, 'not valid JSON');
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw rowError(file, i + 1, issues(parsed.error));
    rows.push(parsed.data);
  });
  return rows;
}

const CsvInfoRows = z.array(z.object({ record: z.array(z.string()), info: z.object({ lines: z.number() }) }));

function readCsv<T>(file: string, source: string, columns: readonly string[], schema: z.ZodType<T>): T[] {
  let records: { record: string[]; line: number }[];
  try {
    // `info` gives each record's real line, even when quoted cells span several lines
    const raw: unknown = parseCsv(source.replace(/^\uFEFF/, ''), { info: true, skip_empty_lines: true, relax_column_count: true });
    records = CsvInfoRows.parse(raw).map((r) => ({ record: r.record, line: r.info.lines }));
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw rowError(file, line ?? 0, `not valid CSV (${err instanceof Error ? err.message : String(err)})`);
  }
  const header = records[0]?.record.map((h) => h.trim().toLowerCase()) ?? [];
  const at = columns.map((c) => header.indexOf(c));
  if (at.some((i) => i < 0)) throw rowError(file, 1, `header must have columns ${columns.join(',')}`);
  return records.slice(1).map(({ record, line }) => {
    const parsed = schema.safeParse(Object.fromEntries(columns.map((c, k) => [c, record[at[k]]])));
    if (!parsed.success) throw rowError(file, line, issues(parsed.error));
    return parsed.data;
  });
}
