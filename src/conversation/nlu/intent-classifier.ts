import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import { logger } from '../../shared/logger.js';
import { detectLanguage, type DetectedLanguage } from '../text/language-detector.js';
import { parseIntentSources, readIntentSources, toExamples } from './intent-data-loader.js';
import { extractFeatures } from './intent-features.js';
import { OUT_OF_SCOPE } from '../intent-names.js';
import { tuneCalibration } from './intent-calibration.js';
import { logits, softmax, trainSoftmax, type SoftmaxOptions, type SoftmaxWeights, type SparseRow } from './softmax-trainer.js';

const log = logger('nlu');

/** Bump when features or training change, so cached models are retrained. */
export const NLU_CODE_VERSION = 'nlu-3';

export interface IntentPrediction {
  intent: string;
  confidence: number;
  ranking: { intent: string; confidence: number }[];
  language: DetectedLanguage;
  outOfScope: boolean;
}

export interface ClassifierTrainOptions extends SoftmaxOptions {
  /** How many of five stratified folds to hold out in turn for calibration (default 1: a 20% hold-out). */
  folds?: number;
}

const ModelJsonSchema = z.object({
  format: z.literal('shopdesk-intent-model'),
  codeVersion: z.string(),
  intents: z.array(z.string()).min(1),
  features: z.array(z.string()),
  weights: z.string(),
  bias: z.array(z.number()),
  temperature: z.number().positive(),
  threshold: z.number().min(0).max(1),
});

export type IntentModelJson = z.infer<typeof ModelJsonSchema>;

export class IntentClassifier {
  private readonly vocabulary: Map<string, number>;
  private readonly scratch: Float64Array;

  private constructor(
    readonly intents: string[],
    private readonly features: string[],
    private readonly model: SoftmaxWeights,
    /** Softmax temperature fitted on held-out folds of the training data. */
    readonly temperature: number,
    /** Below this top probability a message is treated as out of scope. */
    readonly threshold: number,
  ) {
    this.vocabulary = new Map(features.map((f, i) => [f, i]));
    this.scratch = new Float64Array(intents.length);
  }

  /** Trains on labelled examples; temperature and threshold come from a held-out fold. */
  static train(examples: { text: string; intent: string }[], opts: ClassifierTrainOptions = {}): IntentClassifier {
    if (examples.length === 0) throw new AppError('VALIDATION_FAILED', 'Cannot train an intent classifier on no examples');
    const intents = [...new Set(examples.map((e) => e.intent))].sort();
    const classIndex = new Map(intents.map((name, i) => [name, i]));
    const vocabulary = new Map<string, number>();
    const rows: SparseRow[] = examples.map((e) => {
      const bag = extractFeatures(e.text);
      const idx: number[] = [];
      const val: number[] = [];
      for (const [k, v] of bag) {
        let at = vocabulary.get(k);
        if (at === undefined) {
          at = vocabulary.size;
          vocabulary.set(k, at);
        }
        idx.push(at);
        val.push(v);
      }
      return { idx: Int32Array.from(idx), val: Float32Array.from(val), y: classIndex.get(e.intent) ?? 0 };
    });
    const features = [...vocabulary.keys()];
    const oos = classIndex.get(OUT_OF_SCOPE);
    const { temperature, threshold } = tuneCalibration(rows, intents.length, features.length, oos, opts);
    const model = trainSoftmax(rows, intents.length, features.length, opts);
    return new IntentClassifier(intents, features, model, temperature, threshold);
  }

  /** Classifies one message. Never throws; empty or unknown text comes out as out of scope. */
  predict(text: string): IntentPrediction {
    const bag = extractFeatures(text);
    const idx: number[] = [];
    const val: number[] = [];
    for (const [k, v] of bag) {
      const at = this.vocabulary.get(k);
      if (at !== undefined) {
        idx.push(at);
        val.push(v);
      }
    }
    const probs = softmax(logits(this.model, Int32Array.from(idx), Float32Array.from(val), this.scratch), this.temperature);
    const ranking = this.intents
      .map((intent, i) => ({ intent, confidence: probs[i] }))
      .sort((a, b) => b.confidence - a.confidence);
    const top = ranking[0];
    const language = detectLanguage(text);
    const known = idx.length > 0;
    if (known && top.intent !== OUT_OF_SCOPE && top.confidence >= this.threshold) {
      return { intent: top.intent, confidence: top.confidence, ranking, language, outOfScope: false };
    }
    const oosProb = ranking.find((r) => r.intent === OUT_OF_SCOPE)?.confidence ?? 0;
    const confidence = top.intent === OUT_OF_SCOPE && known ? top.confidence : Math.max(oosProb, 1 - top.confidence);
    return { intent: OUT_OF_SCOPE, confidence, ranking, language, outOfScope: true };
  }

  toJSON(): IntentModelJson {
    const weights = this.model.weights instanceof Float32Array ? this.model.weights : Float32Array.from(this.model.weights);
    return {
      format: 'shopdesk-intent-model',
      codeVersion: NLU_CODE_VERSION,
      intents: this.intents,
      features: this.features,
      weights: Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength).toString('base64'),
      bias: Array.from(this.model.bias),
      temperature: this.temperature,
      threshold: this.threshold,
    };
  }

  /** Rebuilds a classifier from `toJSON()` output; throws AppError('VALIDATION_FAILED') when it does not fit. */
  static fromJSON(json: unknown): IntentClassifier {
    const parsed = ModelJsonSchema.safeParse(json);
    if (!parsed.success) throw new AppError('VALIDATION_FAILED', `Invalid intent model: ${parsed.error.issues[0]?.message}`);
    const j = parsed.data;
    const bytes = Buffer.from(j.weights, 'base64');
    const weights = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (weights.length !== j.features.length * j.intents.length || j.bias.length !== j.intents.length) {
      throw new AppError('VALIDATION_FAILED', 'Invalid intent model: weight matrix does not match features x intents');
    }
    const model: SoftmaxWeights = { classes: j.intents.length, weights, bias: Float32Array.from(j.bias) };
    return new IntentClassifier(j.intents, j.features, model, j.temperature, j.threshold);
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
  const file = path.join(opts.cacheDir, `nlu-${hash}.json`);
  const cached = opts.force ? undefined : await readCached(file);
  if (cached) return { classifier: cached, trainedNow: false, hash };

  const started = performance.now();
  // Parsed only when training: a cache hit means these exact files were validated before.
  const classifier = IntentClassifier.train(toExamples(parseIntentSources(sources).intents));
  log.info({ hash, ms: Math.round(performance.now() - started), threshold: classifier.threshold }, 'trained intent model');
  await mkdir(opts.cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(classifier.toJSON()));
  await rename(tmp, file);
  return { classifier, trainedNow: true, hash };
}

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
