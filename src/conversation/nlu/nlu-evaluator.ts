import { z } from 'zod';
import { readLabelledRows } from '../../shared/labelled-file-reader.js';
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
  /** The same share under its usual name: off-topic messages falsely accepted as shop requests. */
  offTopicFalseAcceptRate: number;
  /** Full confusion matrix: counts[i][j] rows expected labels[i] predicted labels[j]. */
  matrix: { labels: string[]; counts: number[][] };
  /**
   * Expected calibration error over ten confidence bins (0 = confidence matches accuracy exactly);
   * present when the predictions carry a confidence.
   */
  calibrationError?: number;
}

/** Anything that can classify a message, e.g. IntentClassifier. */
export interface IntentPredictor {
  predict(text: string): { intent: string; confidence?: number; subIntent?: string; subConfidence?: number };
  /** Finer intents and their parents: a row labelled with a finer intent is scored against `subIntent`. */
  readonly subIntents?: Record<string, string>;
}

/** Expected calibration error: per-bin |accuracy − mean confidence|, weighted by the bin's share. */
export function expectedCalibrationError(items: { confidence: number; correct: boolean }[], bins = 10): number {
  if (items.length === 0) return 0;
  const sum = Array.from({ length: bins }, () => ({ n: 0, conf: 0, right: 0 }));
  for (const it of items) {
    const b = sum[Math.min(bins - 1, Math.floor(it.confidence * bins))];
    b.n++;
    b.conf += it.confidence;
    if (it.correct) b.right++;
  }
  return sum.reduce((e, b) => (b.n === 0 ? e : e + (b.n / items.length) * Math.abs(b.right / b.n - b.conf / b.n)), 0);
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Scores already-made predictions against expected intents. */
export function scorePredictions(pairs: { expected: string; predicted: string; confidence?: number }[]): EvalReport {
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
  const at = new Map(labels.map((l, i) => [l, i]));
  const counts = labels.map(() => labels.map(() => 0));
  for (const p of pairs) counts[at.get(p.expected) ?? 0][at.get(p.predicted) ?? 0]++;
  const falseAccept = ratio(offTopic.filter((p) => p.predicted !== OUT_OF_SCOPE).length, offTopic.length);
  const withConfidence = pairs.filter((p) => p.confidence !== undefined);
  return {
    total: pairs.length,
    accuracy: ratio(correct, pairs.length),
    macroF1: ratio(labels.reduce((s, l) => s + perIntent[l].f1, 0), labels.length),
    perIntent,
    confusions,
    outOfScope: { precision: oos?.precision ?? 0, recall: oos?.recall ?? 0 },
    offTopicTakenForShopIntentRate: falseAccept,
    offTopicFalseAcceptRate: falseAccept,
    matrix: { labels, counts },
    ...(withConfidence.length === pairs.length && pairs.length > 0
      ? { calibrationError: expectedCalibrationError(withConfidence.map((p) => ({ confidence: p.confidence ?? 0, correct: p.expected === p.predicted }))) }
      : {}),
  };
}

/** Classifies every row and scores the result. */
export function evaluate(classifier: IntentPredictor, rows: LabelledRow[]): EvalReport {
  const finer = classifier.subIntents ?? {};
  return scorePredictions(rows.map((r) => {
    const p = classifier.predict(r.text);
    // A row labelled with a finer intent is scored on the finer intent; any other row on the top-level one.
    const predicted = finer[r.intent] !== undefined ? (p.subIntent ?? p.intent) : p.intent;
    const confidence = finer[r.intent] !== undefined && p.subIntent ? p.subConfidence : p.confidence;
    return { expected: r.intent, predicted, ...(confidence !== undefined ? { confidence } : {}) };
  }));
}

/** Short column names for the confusion table: the first letters of each part (order_status → os). */
function abbreviate(labels: string[]): string[] {
  const used = new Set<string>();
  return labels.map((l) => {
    let a = l.split('_').map((w) => w[0]).join('');
    for (let n = 2; used.has(a); n++) a = `${a.replace(/\d+$/, '')}${n}`;
    used.add(a);
    return a;
  });
}

/** The confusion matrix as text: one row per expected label, one column per predicted label. */
export function formatConfusionTable(r: EvalReport): string {
  const { labels, counts } = r.matrix;
  const short = abbreviate(labels);
  const width = Math.max(8, ...labels.map((l) => l.length));
  const cell = Math.max(3, ...short.map((s) => s.length)) + 1;
  const lines = [`${'expected \\ predicted'.padEnd(width)} ${short.map((s) => s.padStart(cell)).join('')}`];
  labels.forEach((l, i) => lines.push(`${l.padEnd(width)} ${counts[i].map((c) => (c === 0 ? '.' : String(c)).padStart(cell)).join('')}`));
  lines.push(`(${labels.map((l, i) => `${short[i]}=${l}`).join(', ')})`);
  return lines.join('\n');
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** A plain-text table of an evaluation, for the terminal. */
export function formatReport(r: EvalReport): string {
  const names = Object.keys(r.perIntent);
  const width = Math.max(8, ...names.map((n) => n.length));
  const lines = [
    `rows ${r.total}  accuracy ${pct(r.accuracy)}  macro-F1 ${pct(r.macroF1)}`,
    `out-of-scope precision ${pct(r.outOfScope.precision)}  recall ${pct(r.outOfScope.recall)}  off-topic taken for a shop intent ${pct(r.offTopicTakenForShopIntentRate)}`,
    ...(r.calibrationError !== undefined ? [`calibration error (ECE, 10 bins) ${pct(r.calibrationError)}`] : []),
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
  lines.push('', 'confusion table:', formatConfusionTable(r));
  return lines.join('\n');
}

const RowSchema = z.object({ text: z.string().min(1, 'text is empty'), intent: z.string().trim().min(1, 'intent is empty') });

/** Reads labelled rows from a CSV (header `text,intent`) or JSONL file; errors name the line. */
export function readLabelledFile(file: string): LabelledRow[] {
  return readLabelledRows(file, ['text', 'intent'], RowSchema);
}
