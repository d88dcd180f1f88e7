import { AppError } from '../../shared/app-error.js';
import { OUT_OF_SCOPE } from '../intent-names.js';
import { tuneCalibration } from './intent-calibration.js';
import { extractFeatures, latinWords, prepareText } from './intent-features.js';
import { trainSoftmax, type SoftmaxOptions, type SoftmaxWeights, type SparseRow } from './softmax-trainer.js';
import { SpellingCorrector } from './spelling-corrector.js';
import { augmentExamples, type AugmentOptions } from './text-augmenter.js';

export interface ClassifierTrainOptions extends SoftmaxOptions {
  /** How many of five stratified folds to hold out in turn for calibration (default 1: a 20% hold-out). */
  folds?: number;
  /** Each label's top-level intent (a finer intent → its parent); labels not named are top-level. */
  parents?: Record<string, string>;
  /** Generated variants per line (typos, politeness, case, width…); false trains on the lines only. */
  augment?: AugmentOptions | false;
  /** Weigh rows of over-represented classes down (default false: on the dev sets it changed nothing and let more off-topic through). */
  balance?: boolean;
  /** Highest out-of-scope threshold (default MAX_OUT_OF_SCOPE_THRESHOLD). */
  maxThreshold?: number;
}

/**
 * Cap of the out-of-scope threshold: a message the model gives 25% or more of being off-topic is not
 * taken for a shop request. Held-out folds of the training lines are more familiar than real traffic, so
 * the tuned threshold comes out permissive; on the dev, independent and original test sets in
 * test/data/nlu the cap keeps off-topic false accepts at 0–4% at no cost in accuracy.
 */
export const MAX_OUT_OF_SCOPE_THRESHOLD = 0.25;

export interface TrainedModel {
  labels: string[];
  parents: string[];
  features: string[];
  spellVocabulary: string[];
  model: SoftmaxWeights;
  temperature: number;
  threshold: number;
}

/** English words seen at least twice in the lines (a one-off is likelier a typo than a word), most frequent first. */
function spellingVocabulary(prepared: string[]): string[] {
  const counts = new Map<string, number>();
  for (const p of prepared) for (const w of latinWords(p)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts.entries()].filter(([w, n]) => n >= 2 && w.length >= 3).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
}

/**
 * Trains the softmax model on the lines plus their generated variants: builds the spelling
 * vocabulary from the lines, drops variants that come out the same as their line, keeps features
 * seen in a line or in two rows, fits temperature and out-of-scope threshold on held-out folds
 * (a line and its variants always in the same fold), then trains on everything.
 */
export function trainIntentModel(examples: { text: string; intent: string }[], opts: ClassifierTrainOptions = {}): TrainedModel {
  if (examples.length === 0) throw new AppError('VALIDATION_FAILED', 'Cannot train an intent classifier on no examples');
  const labels = [...new Set(examples.map((e) => e.intent))].sort();
  const classIndex = new Map(labels.map((name, i) => [name, i]));
  const parents = labels.map((l) => {
    const p = opts.parents?.[l] ?? l;
    if (!classIndex.has(p)) throw new AppError('VALIDATION_FAILED', `Intent ${l} names parent ${p}, which has no examples`);
    return p;
  });

  const prepared = examples.map((e) => prepareText(e.text));
  const spellVocabulary = spellingVocabulary(prepared);
  const corrector = new SpellingCorrector(spellVocabulary);

  const texts: { text: string; y: number; group: number; line: boolean }[] = examples.map((e, i) => ({ text: e.text, y: classIndex.get(e.intent) ?? 0, group: i, line: true }));
  if (opts.augment !== false) {
    const seen = new Set(prepared.map((p, i) => `${i}\u0000${p}`));
    for (const v of augmentExamples(examples, opts.augment || {})) {
      const key = `${v.from}\u0000${prepareText(v.text)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      texts.push({ text: v.text, y: texts[v.from].y, group: v.from, line: false });
    }
  }

  const bags = texts.map((t) => extractFeatures(t.text, corrector));
  const count = new Map<string, number>();
  bags.forEach((bag, i) => {
    for (const k of bag.keys()) count.set(k, (count.get(k) ?? 0) + (texts[i].line ? 2 : 1));
  });
  const vocabulary = new Map<string, number>();
  for (const [k, n] of count) if (n >= 2) vocabulary.set(k, vocabulary.size);
  const rows: SparseRow[] = bags.map((bag, i) => {
    const idx: number[] = [];
    const val: number[] = [];
    for (const [k, v] of bag) {
      const at = vocabulary.get(k);
      if (at !== undefined) {
        idx.push(at);
        val.push(v);
      }
    }
    return { idx: Int32Array.from(idx), val: Float32Array.from(val), y: texts[i].y };
  });

  // Rows of a class larger than the median class count for less (square-root balancing), so the large
  // off-topic class does not claim the generic words ("怎么办", "how do I") every class shares.
  const perClass = new Map<number, number>();
  for (const t of texts) perClass.set(t.y, (perClass.get(t.y) ?? 0) + 1);
  const sizes = [...perClass.values()].sort((a, b) => a - b);
  const median = sizes[Math.floor(sizes.length / 2)];
  if (opts.balance === true) rows.forEach((r) => (r.weight = Math.min(1, Math.sqrt(median / (perClass.get(r.y) ?? median)))));
  const features = [...vocabulary.keys()];
  const parentOf = parents.map((p) => classIndex.get(p) ?? 0);
  const { temperature, threshold } = tuneCalibration(rows, labels.length, features.length, classIndex.get(OUT_OF_SCOPE), {
    ...opts, groups: texts.map((t) => t.group), parentOf,
  });
  const model = trainSoftmax(rows, labels.length, features.length, opts);
  return { labels, parents, features, spellVocabulary, model, temperature, threshold: Math.min(threshold, opts.maxThreshold ?? MAX_OUT_OF_SCOPE_THRESHOLD) };
}
