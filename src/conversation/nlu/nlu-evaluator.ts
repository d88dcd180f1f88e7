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

const RowSchema = z.object({ text: z.string().min(1, 'text is empty'), intent: z.string().trim().min(1, 'intent is empty') });

/** Reads labelled rows from a CSV (header `text,intent`) or JSONL file; errors name the line. */
export function readLabelledFile(file: string): LabelledRow[] {
  return readLabelledRows(file, ['text', 'intent'], RowSchema);
}
