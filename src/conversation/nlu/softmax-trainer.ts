import { mulberry32 } from '../../shared/mulberry32.js';

/** One training row: sparse feature indices/values and the class index. */
export interface SparseRow {
  idx: Int32Array;
  val: Float32Array;
  y: number;
  /** How much this row counts (default 1), e.g. less for rows of an over-represented class. */
  weight?: number;
}

export interface SoftmaxOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
}

/** Weights are feature-major: weight of feature f for class c is at f * classes + c. */
export interface SoftmaxWeights {
  classes: number;
  weights: Float32Array | Float64Array;
  bias: Float32Array | Float64Array;
}

/** Seeded randomness for reproducible training (same data and seed, same model). */
export const seededRandom = mulberry32;

export function shuffleInPlace<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

const SKIP_GRADIENT = 1e-3;

/** Raw class scores (logits) of one sparse row. */
export function logits(model: SoftmaxWeights, idx: Int32Array, val: Float32Array, out: Float64Array): Float64Array {
  const c = model.classes;
  for (let k = 0; k < c; k++) out[k] = model.bias[k];
  for (let j = 0; j < idx.length; j++) {
    const base = idx[j] * c;
    const v = val[j];
    for (let k = 0; k < c; k++) out[k] += v * model.weights[base + k];
  }
  return out;
}

/** In-place softmax of logits divided by a temperature. */
export function softmax(scores: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s / temperature);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    scores[k] = Math.exp(scores[k] / temperature - max);
    sum += scores[k];
  }
  for (let k = 0; k < scores.length; k++) scores[k] /= sum;
  return scores;
}

/**
 * Multinomial logistic regression trained by per-example AdaGrad with L2 on the touched weights.
 * Deterministic for a given seed; a few thousand short messages train in well under a second.
 */
export function trainSoftmax(rows: SparseRow[], classes: number, features: number, opts: SoftmaxOptions = {}): SoftmaxWeights {
  const epochs = opts.epochs ?? 12;
  const lr = opts.learningRate ?? 0.4;
  const l2 = opts.l2 ?? 1e-4;
  const rand = seededRandom(opts.seed ?? 7);
  const w = new Float64Array(features * classes);
  const g2 = new Float64Array(features * classes);
  const b = new Float64Array(classes);
  const b2 = new Float64Array(classes);
  const model: SoftmaxWeights = { classes, weights: w, bias: b };
  const p = new Float64Array(classes);
  const order = rows.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, rand);
    for (const i of order) {
      const row = rows[i];
      softmax(logits(model, row.idx, row.val, p));
      p[row.y] -= 1;
      if (row.weight !== undefined && row.weight !== 1) for (let k = 0; k < classes; k++) p[k] *= row.weight;
      for (let k = 0; k < classes; k++) {
        b2[k] += p[k] * p[k];
        b[k] -= (lr * p[k]) / Math.sqrt(b2[k] + 1e-8);
      }
      for (let j = 0; j < row.idx.length; j++) {
        const base = row.idx[j] * classes;
        const v = row.val[j];
        for (let k = 0; k < classes; k++) {
          // Classes the row barely moves are skipped: most of them once training has converged.
          if (p[k] < SKIP_GRADIENT && p[k] > -SKIP_GRADIENT) continue;
          const at = base + k;
          const grad = p[k] * v + l2 * w[at];
          g2[at] += grad * grad;
          w[at] -= (lr * grad) / Math.sqrt(g2[at] + 1e-8);
        }
      }
    }
  }
  return { classes, weights: Float32Array.from(w), bias: Float32Array.from(b) };
}

/**
 * Temperature minimising the negative log-likelihood of held-out logits. With `parentOf`, the
 * likelihood is that of the row's top-level intent (the sum over its finer intents), which is the
 * confidence the classifier reports.
 */
export function fitTemperature(heldOut: { scores: Float64Array; y: number }[], parentOf?: number[]): number {
  let best = 1;
  let bestNll = Infinity;
  for (let t = 0.25; t <= 6; t += 0.05) {
    let nll = 0;
    for (const h of heldOut) {
      const p = softmax(Float64Array.from(h.scores), t);
      let mass = p[h.y];
      if (parentOf) {
        mass = 0;
        for (let k = 0; k < p.length; k++) if (parentOf[k] === parentOf[h.y]) mass += p[k];
      }
      nll -= Math.log(Math.max(mass, 1e-12));
    }
    if (nll < bestNll) {
      bestNll = nll;
      best = Math.round(t * 100) / 100;
    }
  }
  return best;
}
