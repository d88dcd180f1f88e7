import { fitTemperature, logits, seededRandom, shuffleInPlace, softmax, trainSoftmax, type SoftmaxOptions, type SparseRow } from './softmax-trainer.js';

export interface Calibration {
  temperature: number;
  threshold: number;
}

/**
 * Assigns each row to one of k folds, class by class, so every fold has every intent. Rows of one
 * group (a line and its augmented variants) share a fold, so no variant of a held-out line is trained on.
 */
function stratifiedFolds(rows: SparseRow[], k: number, seed: number, groups?: number[]): number[] {
  const rand = seededRandom(seed);
  const groupOf = (i: number): number => groups?.[i] ?? i;
  const byClass = new Map<number, number[]>();
  const seen = new Set<number>();
  rows.forEach((r, i) => {
    const g = groupOf(i);
    if (seen.has(g)) return;
    seen.add(g);
    const list = byClass.get(r.y);
    if (list) list.push(g);
    else byClass.set(r.y, [g]);
  });
  const foldOfGroup = new Map<number, number>();
  for (const members of byClass.values()) shuffleInPlace(members, rand).forEach((g, n) => foldOfGroup.set(g, n % k));
  return rows.map((_, i) => foldOfGroup.get(groupOf(i)) ?? 0);
}

/**
 * Picks the lowest top-probability threshold that maximises accuracy on held-out predictions.
 * Plain accuracy, not balanced: a threshold costs in-scope answers on unfamiliar wording, so it
 * should rise only when that clearly pays for itself.
 */
export function tuneThreshold(heldOut: { probs: Float64Array; y: number }[], oos: number | undefined): number {
  if (oos === undefined) return 0;
  let best = 0;
  let bestScore = -1;
  for (let t = 0; t <= 0.9 + 1e-9; t += 0.01) {
    let inTotal = 0;
    let inRight = 0;
    let oosTotal = 0;
    let oosRight = 0;
    for (const h of heldOut) {
      let top = 0;
      for (let k = 1; k < h.probs.length; k++) if (h.probs[k] > h.probs[top]) top = k;
      const predicted: number = top === oos || h.probs[top] < t ? oos : top;
      if (h.y === oos) {
        oosTotal++;
        if (predicted === oos) oosRight++;
      } else {
        inTotal++;
        if (predicted === h.y) inRight++;
      }
    }
    const score = (inRight + oosRight) / Math.max(inTotal + oosTotal, 1);
    if (score > bestScore + 1e-9) {
      bestScore = score;
      best = Math.round(t * 100) / 100;
    }
  }
  return best;
}

/**
 * Temperature and out-of-scope threshold from held-out predictions: the data is split into five
 * stratified folds and `folds` of them (default 1, i.e. a 20% hold-out) are each predicted by a
 * model trained on the rest.
 */
export function tuneCalibration(
  rows: SparseRow[],
  classes: number,
  features: number,
  oos: number | undefined,
  opts: SoftmaxOptions & { folds?: number; groups?: number[]; parentOf?: number[] } = {},
): Calibration {
  const k = 5;
  const rounds = Math.min(Math.max(opts.folds ?? 1, 1), k);
  if (rows.length < k * 2) return { temperature: 1, threshold: 0 };
  const fold = stratifiedFolds(rows, k, (opts.seed ?? 7) + 1, opts.groups);
  const heldOut: { scores: Float64Array; y: number }[] = [];
  for (let f = 0; f < rounds; f++) {
    const model = trainSoftmax(rows.filter((_, i) => fold[i] !== f), classes, features, opts);
    rows.forEach((r, i) => {
      if (fold[i] === f) heldOut.push({ scores: logits(model, r.idx, r.val, new Float64Array(classes)), y: r.y });
    });
  }
  const temperature = fitTemperature(heldOut);
  // The threshold applies to top-level intents: a finer intent's probability counts for its parent.
  const parentOf = opts.parentOf ?? Array.from({ length: classes }, (_, c) => c);
  const probs = heldOut.map((h) => {
    const fine = softmax(Float64Array.from(h.scores), temperature);
    const top = new Float64Array(classes);
    fine.forEach((p, c) => (top[parentOf[c]] += p));
    return { probs: top, y: parentOf[h.y] };
  });
  return { temperature, threshold: tuneThreshold(probs, oos) };
}
