import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import { OUT_OF_SCOPE } from '../intent-names.js';

export interface LabelledRow {
  text: string;
  intent: string;
}

export interface IntentScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvalReport {
  total: number;
  accuracy: number;
  macroF1: number;
  perIntent: Record<string, IntentScores>;
  /** Most frequent (expected → predicted) mistakes, largest first. */
  confusions: { expected: string; predicted: string; count: number }[];
  outOfScope: { precision: number; recall: number };
  /** Share of off-topic rows predicted as some shop intent (the lower the better). */
  offTopicTakenForShopIntentRate: number;
}

/** Anything that can classify a message, e.g. IntentClassifier. */
export interface IntentPredictor {
  predict(text: string): { intent: string };
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Scores already-made predictions against expected intents. */
export function scorePredictions(pairs: { expected: string; predicted: string }[]): EvalReport {
  const labels = [...new Set(pairs.flatMap((p) => [p.expected, p.predicted]))].sort();
  const confusion = new Map<string, number>();
  let correct = 0;
  for (const p of pairs) {
    if (p.expected === p.predicted) correct++;
    else confusion.set(`${p.expected}\u0000${p.predicted}`, (confusion.get(`${p.expected}\u0000${p.predicted}`) ?? 0) + 1);
  }
  const perIntent: Record<string, IntentScores> = {};
  for (const label of labels) {
    const tp = pairs.filter((p) => p.expected === label && p.predicted === label).length;
    const support = pairs.filter((p) => p.expected === label).length;
    const predicted = pairs.filter((p) => p.predicted === label).length;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    perIntent[label] = { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  }
  const confusions = [...confusion.entries()]
    .map(([key, count]) => {
      const [expected, predicted] = key.split('\u0000');
      return { expected, predicted, count };
    })
    .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected));
  const offTopic = pairs.filter((p) => p.expected === OUT_OF_SCOPE);
  const oos = perIntent[OUT_OF_SCOPE];
  return {
    total: pairs.length,
    accuracy: ratio(correct, pairs.length),
    macroF1: ratio(labels.reduce((s, l) => s + perIntent[l].f1, 0), labels.length),
    perIntent,
    confusions,
    outOfScope: { precision: oos?.precision ?? 0, recall: oos?.recall ?? 0 },
    offTopicTakenForShopIntentRate: ratio(offTopic.filter((p) => p.predicted !== OUT_OF_SCOPE).length, offTopic.length),
  };
}

/** Classifies every row and scores the result. */
export function evaluate(classifier: IntentPredictor, rows: LabelledRow[]): EvalReport {
  return scorePredictions(rows.map((r) => ({ expected: r.intent, predicted: classifier.predict(r.text).intent })));
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** A plain-text table of an evaluation, for the terminal. */
export function formatReport(r: EvalReport): string {
  const names = Object.keys(r.perIntent);
  const width = Math.max(8, ...names.map((n) => n.length));
  const lines = [
    `rows ${r.total}  accuracy ${pct(r.accuracy)}  macro-F1 ${pct(r.macroF1)}`,
    `out-of-scope precision ${pct(r.outOfScope.precision)}  recall ${pct(r.outOfScope.recall)}  off-topic taken for a shop intent ${pct(r.offTopicTakenForShopIntentRate)}`,
    '',
    `${'intent'.padEnd(width)}  precision  recall     f1  support`,
    ...names.map((n) => {
      const s = r.perIntent[n];
      return `${n.padEnd(width)}  ${pct(s.precision).padStart(9)}  ${pct(s.recall).padStart(6)}  ${pct(s.f1).padStart(6)}  ${String(s.support).padStart(7)}`;
    }),
  ];
  if (r.confusions.length > 0) {
    lines.push('', 'top confusions (expected → predicted):');
    for (const c of r.confusions.slice(0, 10)) lines.push(`  ${String(c.count).padStart(3)}  ${c.expected} → ${c.predicted}`);
  }
  return lines.join('\n');
}

const RowSchema = z.object({ text: z.string().min(1, 'text is empty'), intent: z.string().min(1, 'intent is empty') });

function rowError(file: string, line: number, problem: string): AppError {
  return new AppError('VALIDATION_FAILED', `${file}:${line}: ${problem}`, { userMessage: `${file} line ${line}: ${problem}` });
}

/** Reads labelled rows from a CSV (header `text,intent`) or JSONL file; errors name the line. */
export function readLabelledFile(file: string): LabelledRow[] {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `Cannot read ${file}`, { cause: err, userMessage: `Cannot read ${file}` });
  }
  return /\.jsonl?$/i.test(file) ? readJsonl(file, source) : readCsv(file, source);
}

function readJsonl(file: string, source: string): LabelledRow[] {
  const rows: LabelledRow[] = [];
  source.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw rowError(file, i + 1, 'not valid JSON');
    }
    const parsed = RowSchema.safeParse(value);
    if (!parsed.success) throw rowError(file, i + 1, parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
    rows.push({ text: parsed.data.text, intent: parsed.data.intent.trim() });
  });
  return rows;
}

const CsvInfoRows = z.array(z.object({ record: z.array(z.string()), info: z.object({ lines: z.number() }) }));

function readCsv(file: string, source: string): LabelledRow[] {
  let records: { record: string[]; line: number }[];
  try {
    const raw: unknown = parseCsv(source.replace(/^\uFEFF/, ''), { info: true, skip_empty_lines: true, relax_column_count: true });
    records = CsvInfoRows.parse(raw).map((r) => ({ record: r.record, line: r.info.lines }));
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw rowError(file, line ?? 0, `not valid CSV (${err instanceof Error ? err.message : String(err)})`);
  }
  const header = records[0]?.record.map((h) => h.trim().toLowerCase());
  const textAt = header?.indexOf('text') ?? -1;
  const intentAt = header?.indexOf('intent') ?? -1;
  if (textAt < 0 || intentAt < 0) throw rowError(file, 1, 'header must have columns text,intent');
  return records.slice(1).map(({ record, line }) => {
    const parsed = RowSchema.safeParse({ text: record[textAt], intent: record[intentAt]?.trim() });
    if (!parsed.success) throw rowError(file, line, parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
    return parsed.data;
  });
}
