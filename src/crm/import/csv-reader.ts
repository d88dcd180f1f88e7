import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../shared/app-error.js';

/** One data row: its 1-based line in the file and its cells by (lower-case) column name. */
export interface CsvRow { line: number; cells: Record<string, string> }

export interface CsvColumns { required: readonly string[]; optional: readonly string[] }

/** File-level problems (unreadable, not UTF-8, bad header) carry this so the CLI can exit with 2. */
export const FILE_ERROR = { fileError: true } as const;
const fileError = (message: string, cause?: unknown) => new AppError('IMPORT_FAILED', message, { userMessage: message, details: FILE_ERROR, cause });

/**
 * Reads a UTF-8 CSV with a header row (a BOM is fine). Rejects the whole file, with a message a
 * shop owner can act on, when it cannot be read, is not UTF-8 (e.g. GBK from Excel), cannot be
 * parsed, or its header lacks a required column or has one we do not know.
 */
export async function readCsv(filePath: string, columns: CsvColumns): Promise<CsvRow[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(filePath);
  } catch (err) {
    throw fileError(`Cannot read ${filePath}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, err);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw fileError(`${filePath} is not valid UTF-8 text. Save it as "CSV UTF-8" (files from Chinese Excel are often GBK) and try again.`, err);
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    throw fileError(`${filePath} is not a valid CSV file: ${(err as Error).message}`, err);
  }
  if (records.length === 0) throw fileError(`${filePath} is empty: a header row is required (${columns.required.join(', ')}).`);
  const header = records[0].record.map((h) => h.trim().toLowerCase());
  const known = new Set([...columns.required, ...columns.optional]);
  const unknown = header.filter((h) => !known.has(h));
  const missing = columns.required.filter((c) => !header.includes(c));
  const duplicated = header.filter((h, i) => header.indexOf(h) !== i);
  if (unknown.length > 0 || missing.length > 0 || duplicated.length > 0) {
    const problems = [
      unknown.length ? `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}` : '',
      missing.length ? `missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` : '',
      duplicated.length ? `repeated column ${duplicated.join(', ')}` : '',
    ].filter(Boolean);
    throw fileError(`${filePath} has a bad header row: ${problems.join('; ')}. Expected columns: ${[...columns.required, ...columns.optional].join(', ')} (see the import formats in the README).`);
  }
  return records.slice(1).map(({ record, info }) => {
    const cells: Record<string, string> = {};
    for (const c of known) cells[c] = ''; // absent optional columns read as empty cells
    header.forEach((h, i) => { cells[h] = record[i] ?? ''; });
    if (record.length > header.length) cells.__extra = String(record.length - header.length);
    return { line: info.lines, cells };
  });
}

/** Turns a decimal yuan amount ("199", "199.5", "199.00") into fen without floating point. */
export function yuanToFen(text: string): number | undefined {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.replace(/^[¥￥]/, ''));
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/** First zod issue as a short reason: `phone "abc" is not a phone number`. */
export function firstIssue(issues: { message: string }[]): string {
  return issues[0]?.message ?? 'invalid row';
}
