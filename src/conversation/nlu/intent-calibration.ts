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
 * The highest out-of-scope probability still accepted as a shop request that maximises held-out
 * accuracy: a message is out of scope when that class is the most likely or its probability reaches
 * the threshold. Unlike a floor on the top intent, a shop message whose probability is split between
 * related intents (return, refund progress, exchange) stays in scope.
 */
export function tuneOutOfScopeThreshold(heldOut: { probs: Float64Array; y: number }[], oos: number | undefined): number {
  if (oos === undefined) return 1;
  let best = 1;
  let bestRight = -1;
  for (let t = 0.95; t >= 0.05 - 1e-9; t -= 0.05) {
    let right = 0;
    for (const h of heldOut) {
      let top = 0;
      for (let k = 1; k < h.probs.length; k++) if (h.probs[k] > h.probs[top]) top = k;
      const predicted = top === oos || h.probs[oos] >= t ? oos : top;
      if (predicted === h.y) right++;
    }
    // Strictly better only: among equals the most permissive (highest) threshold wins.
    if (right > bestRight) {
      bestRight = right;
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
  if (rows.length < k * 2) return { temperature: 1, threshold: 1 };
  const fold = stratifiedFolds(rows, k, (opts.seed ?? 7) + 1, opts.groups);
  const heldOut: { scores: Float64Array; y: number }[] = [];
  for (let f = 0; f < rounds; f++) {
    const model = trainSoftmax(rows.filter((_, i) => fold[i] !== f), classes, features, opts);
    rows.forEach((r, i) => {
      if (fold[i] === f) heldOut.push({ scores: logits(model, r.idx, r.val, new Float64Array(classes)), y: r.y });
    });
  }
  // The temperature is fitted on the finer labels: fitted on the top-level intents it comes out sharper
  // (0.75 against 1.0), which calibrates the dev sets better but makes vague messages ("i have an issue
  // with my stuff") look sure enough to act on, where the engine should offer its guesses instead.
  const temperature = fitTemperature(heldOut);
  // The threshold applies to top-level intents: a finer intent's probability counts for its parent.
  const parentOf = opts.parentOf ?? Array.from({ length: classes }, (_, c) => c);
  const probs = heldOut.map((h) => {
    const fine = softmax(Float64Array.from(h.scores), temperature);
    const top = new Float64Array(classes);
    fine.forEach((p, c) => (top[parentOf[c]] += p));
    return { probs: top, y: parentOf[h.y] };
  });
  return { temperature, threshold: tuneOutOfScopeThreshold(probs, oos) };
}
