import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import { logger } from '../../shared/logger.js';
import { detectLanguage, type DetectedLanguage } from '../text/language-detector.js';
import { parentsOf, parseIntentSources, readIntentSources, toExamples } from './intent-data-loader.js';
import { extractFeatures } from './intent-features.js';
import { OUT_OF_SCOPE } from '../intent-names.js';
import { trainIntentModel, type ClassifierTrainOptions, type TrainedModel } from './intent-training.js';
import { logits, softmax, type SoftmaxWeights } from './softmax-trainer.js';
import { SpellingCorrector } from './spelling-corrector.js';

const log = logger('nlu');

/** Bump when features or training change, so cached models are retrained. */
export const NLU_CODE_VERSION = 'nlu-7';

export interface IntentPrediction {
  /** A top-level intent (one of the 17 built-in ones or a shop's own). */
  intent: string;
  confidence: number;
  /** The finer intent under `intent` when one fits best (e.g. warranty_repair under exchange, small_talk under out_of_scope). */
  subIntent?: string;
  /** Probability of `subIntent` (a share of `confidence`). */
  subConfidence?: number;
  /** Top-level intents, most likely first; confidences sum to one. */
  ranking: { intent: string; confidence: number }[];
  language: DetectedLanguage;
  outOfScope: boolean;
}

export type { ClassifierTrainOptions } from './intent-training.js';

/** What the engine needs of a classifier: an IntentClassifier, or one that swaps in retrained models. */
export interface IntentPredictor {
  predict(text: string): IntentPrediction;
}

const ModelJsonSchema = z.object({
  format: z.literal('shopdesk-intent-model'),
  codeVersion: z.string(),
  labels: z.array(z.string()).min(1),
  parents: z.array(z.string()).min(1),
  features: z.array(z.string()),
  spellVocabulary: z.array(z.string()),
  weights: z.string(),
  bias: z.array(z.number()),
  temperature: z.number().positive(),
  threshold: z.number().min(0).max(1),
});

export type IntentModelJson = z.infer<typeof ModelJsonSchema>;

const HAS_LETTER = /\p{L}/u;

/** A finer intent is reported when it is this sure on its own. */
const SUB_INTENT_MIN = 0.25;

export class IntentClassifier {
  /** Top-level intents, sorted. */
  readonly intents: string[];
  private readonly vocabulary: Map<string, number>;
  private readonly scratch: Float64Array;
  private readonly parentIndex: number[];
  private readonly corrector: SpellingCorrector;
  // Reused per message: predict allocates as little as it can (latency is measured at p99).
  private idxBuffer = new Int32Array(256);
  private valBuffer = new Float32Array(256);

  private constructor(private readonly m: TrainedModel) {
    this.intents = [...new Set(m.parents)].sort();
    this.vocabulary = new Map(m.features.map((f, i) => [f, i]));
    this.scratch = new Float64Array(m.labels.length);
    this.parentIndex = m.parents.map((p) => this.intents.indexOf(p));
    this.corrector = new SpellingCorrector(m.spellVocabulary);
  }

  /** Every label the model knows: top-level intents and finer ones. */
  get labels(): readonly string[] {
    return this.m.labels;
  }

  /** Finer intents and their parents. */
  get subIntents(): Record<string, string> {
    return Object.fromEntries(this.m.labels.flatMap((l, i) => (this.m.parents[i] !== l ? [[l, this.m.parents[i]]] : [])));
  }

  /** Softmax temperature fitted on held-out folds of the training data. */
  get temperature(): number {
    return this.m.temperature;
  }

  /** A message whose out-of-scope probability reaches this is treated as out of scope. */
  get threshold(): number {
    return this.m.threshold;
  }

  /** Trains on labelled examples (and generated variants); temperature and threshold come from held-out folds. */
  static train(examples: { text: string; intent: string }[], opts: ClassifierTrainOptions = {}): IntentClassifier {
    return new IntentClassifier(trainIntentModel(examples, opts));
  }

  /** Classifies one message. Never throws; empty or unknown text comes out as out of scope. */
  predict(text: string): IntentPrediction {
    const bag = extractFeatures(text, this.corrector);
    if (bag.size > this.idxBuffer.length) {
      this.idxBuffer = new Int32Array(bag.size * 2);
      this.valBuffer = new Float32Array(bag.size * 2);
    }
    let n = 0;
    for (const [k, v] of bag) {
      const at = this.vocabulary.get(k);
      if (at !== undefined) {
        this.idxBuffer[n] = at;
        this.valBuffer[n++] = v;
      }
    }
    const fine = softmax(logits(this.m.model, this.idxBuffer.subarray(0, n), this.valBuffer.subarray(0, n), this.scratch), this.m.temperature);
    const top = new Float64Array(this.intents.length);
    for (let c = 0; c < fine.length; c++) top[this.parentIndex[c]] += fine[c];
    const ranking = this.intents.map((intent, i) => ({ intent, confidence: top[i] })).sort((a, b) => b.confidence - a.confidence);
    const best = ranking[0];
    const language = detectLanguage(text);
    const known = n > 0;
    const oosProb = ranking.find((r) => r.intent === OUT_OF_SCOPE)?.confidence ?? 0;
    if (known && best.intent !== OUT_OF_SCOPE && oosProb < this.m.threshold) {
      return { intent: best.intent, confidence: best.confidence, ...this.subIntentOf(best.intent, fine, text), ranking, language, outOfScope: false };
    }
    // Rejected because off-topic is likely enough: its own probability is the honest confidence.
    const confidence = !known ? 1 : best.intent === OUT_OF_SCOPE ? best.confidence : oosProb;
    return { intent: OUT_OF_SCOPE, confidence, ...(known ? this.subIntentOf(OUT_OF_SCOPE, fine, text) : {}), ranking, language, outOfScope: true };
  }

  /** The likeliest finer intent under `intent`, when that is not the intent itself and sure enough. */
  private subIntentOf(intent: string, fine: Float64Array, text: string): { subIntent?: string; subConfidence?: number } {
    // Digits, codes and emoji alone ("9001" answering a question) say nothing finer than the intent.
    if (!HAS_LETTER.test(text)) return {};
    let at = -1;
    for (let c = 0; c < fine.length; c++) {
      if (this.m.parents[c] === intent && (at < 0 || fine[c] > fine[at])) at = c;
    }
    if (at < 0 || this.m.labels[at] === intent || fine[at] < SUB_INTENT_MIN) return {};
    return { subIntent: this.m.labels[at], subConfidence: fine[at] };
  }

  toJSON(): IntentModelJson {
    const w = this.m.model.weights instanceof Float32Array ? this.m.model.weights : Float32Array.from(this.m.model.weights);
    return {
      format: 'shopdesk-intent-model',
      codeVersion: NLU_CODE_VERSION,
      labels: this.m.labels,
      parents: this.m.parents,
      features: this.m.features,
      spellVocabulary: this.m.spellVocabulary,
      weights: Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString('base64'),
      bias: Array.from(this.m.model.bias),
      temperature: this.m.temperature,
      threshold: this.m.threshold,
    };
  }

  /** Rebuilds a classifier from `toJSON()` output; throws AppError('VALIDATION_FAILED') when it does not fit. */
  static fromJSON(json: unknown): IntentClassifier {
    const parsed = ModelJsonSchema.safeParse(json);
    if (!parsed.success) throw new AppError('VALIDATION_FAILED', `Invalid intent model: ${parsed.error.issues[0]?.message}`);
    const j = parsed.data;
    if (j.codeVersion !== NLU_CODE_VERSION) throw new AppError('VALIDATION_FAILED', `Invalid intent model: made by ${j.codeVersion}, this code is ${NLU_CODE_VERSION}`);
    const bytes = Buffer.from(j.weights, 'base64');
    const weights = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (weights.length !== j.features.length * j.labels.length || j.bias.length !== j.labels.length || j.parents.length !== j.labels.length) {
      throw new AppError('VALIDATION_FAILED', 'Invalid intent model: weight matrix does not match features x intents');
    }
    if (j.parents.some((p) => !j.labels.includes(p))) throw new AppError('VALIDATION_FAILED', 'Invalid intent model: a parent is not a label');
    const model: SoftmaxWeights = { classes: j.labels.length, weights, bias: Float32Array.from(j.bias) };
    return new IntentClassifier({ labels: j.labels, parents: j.parents, features: j.features, spellVocabulary: j.spellVocabulary, model, temperature: j.temperature, threshold: j.threshold });
  }
}

/**
 * The shop's classifier for the intent YAML in `intentsDir`: read from
 * `<cacheDir>/nlu-<hash>.json` when the YAML and code version are unchanged, else trained and cached.
 */
export async function loadOrTrainClassifier(opts: {
  intentsDir: string;
  cacheDir: string;
  /** Retrain even when a cached model exists. */
  force?: boolean;
}): Promise<{ classifier: IntentClassifier; trainedNow: boolean; hash: string }> {
  const sources = await readIntentSources(opts.intentsDir);
  const hash = createHash('sha256').update(NLU_CODE_VERSION).update(sources.contentHash).digest('hex').slice(0, 16);
  const file = cacheFileOf(opts.cacheDir, hash);
  const cached = opts.force ? undefined : await readCached(file);
  if (cached) return { classifier: cached, trainedNow: false, hash };

  const started = performance.now();
  // Parsed only when training: a cache hit means these exact files were validated before.
  const { intents, shopExamples } = parseIntentSources(sources);
  const classifier = IntentClassifier.train([...toExamples(intents), ...shopExamples], { parents: parentsOf(intents) });
  log.info({ hash, ms: Math.round(performance.now() - started), threshold: classifier.threshold }, 'trained intent model');
  await mkdir(opts.cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(classifier.toJSON()));
  await rename(tmp, file);
  return { classifier, trainedNow: true, hash };
}

/** Hash of the model the intent files in `intentsDir` train (code version included), without training. */
export async function intentModelHash(intentsDir: string): Promise<string> {
  const sources = await readIntentSources(intentsDir);
  return createHash('sha256').update(NLU_CODE_VERSION).update(sources.contentHash).digest('hex').slice(0, 16);
}

export const cacheFileOf = (cacheDir: string, hash: string): string => path.join(cacheDir, `nlu-${hash}.json`);

/** The cached model of `hash`, or undefined when there is none (or it is unreadable). */
export const readCachedModel = (cacheDir: string, hash: string): Promise<IntentClassifier | undefined> => readCached(cacheFileOf(cacheDir, hash));

async function readCached(file: string): Promise<IntentClassifier | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined; // not cached yet
  }
  try {
    return IntentClassifier.fromJSON(JSON.parse(text));
  } catch (err) {
    // A corrupt or outdated cache file is replaced by retraining, not fatal.
    log.warn({ file, err: err instanceof Error ? err.message : String(err) }, 'ignoring unreadable intent model cache');
    return undefined;
  }
}
