import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import { logger } from '../../shared/logger.js';
import { watchAndReload } from '../knowledge/kb-watcher.js';
import { intentModelHash, loadOrTrainClassifier, readCachedModel, type IntentClassifier, type IntentPrediction, type IntentPredictor } from './intent-classifier.js';

const log = logger('nlu');

const WorkerReply = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), hash: z.string(), trainedNow: z.boolean() }),
  z.object({ ok: z.literal(false), code: z.string(), message: z.string() }),
]);

export interface ClassifierReloadEvent {
  changed: boolean;
  hash: string;
  /** Where a new model came from: the shared cache (another process trained it) or training here. */
  source?: 'cache' | 'trained';
}

/** A training lock older than this is a crashed trainer's: training the shipped set takes seconds. */
const LOCK_STALE_MS = 5 * 60_000;

async function takeLock(file: string): Promise<boolean> {
  try {
    await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * The engine's classifier when the shop teaches it (issue 8 item 6): serves the current model and
 * swaps in a retrained one when the intent files change. `watch()` watches the intents directory
 * (the shop's training file shop/labelled.yml included) in every process; a change is trained in a worker thread (or found in
 * the shared model cache when another process trained it first) while the old model keeps serving.
 */
export class ReloadingClassifier implements IntentPredictor {
  private failedHash: string | undefined;

  private constructor(
    private current: IntentClassifier,
    private currentHash: string,
    private readonly opts: { intentsDir: string; cacheDir: string },
  ) {}

  static async load(opts: { intentsDir: string; cacheDir: string }): Promise<ReloadingClassifier> {
    const { classifier, hash } = await loadOrTrainClassifier(opts);
    return new ReloadingClassifier(classifier, hash, opts);
  }

  get classifier(): IntentClassifier {
    return this.current;
  }

  get hash(): string {
    return this.currentHash;
  }

  predict(text: string): IntentPrediction {
    return this.current.predict(text);
  }

  /**
   * Brings the model up to date with the intent files: nothing when unchanged, else the cached
   * model of the new files or one trained in a worker. A file that does not validate throws and
   * the current model stays.
   */
  async refresh(): Promise<ClassifierReloadEvent> {
    const hash = await intentModelHash(this.opts.intentsDir);
    // unchanged, or the same files that already failed (the poll would otherwise retrain them every time)
    if (hash === this.currentHash || hash === this.failedHash) return { changed: false, hash };
    const next = await this.modelOf(hash).catch((err: unknown) => {
      this.failedHash = hash;
      throw err;
    });
    this.current = next.model;
    this.currentHash = next.hash;
    return { changed: true, hash: next.hash, source: next.source };
  }

  /**
   * The model of `hash`: from the shared cache; else trained here while holding
   * `<cacheDir>/nlu-<hash>.training` (created exclusively), so of the processes that see the same
   * change one trains and the others wait for its cache file; a stale lock (a crashed trainer) is taken over.
   */
  private async modelOf(hash: string): Promise<{ model: IntentClassifier; hash: string; source: 'cache' | 'trained' }> {
    const lock = path.join(this.opts.cacheDir, `nlu-${hash}.training`);
    await mkdir(this.opts.cacheDir, { recursive: true });
    for (;;) {
      const cached = await readCachedModel(this.opts.cacheDir, hash);
      if (cached) return { model: cached, hash, source: 'cache' };
      if (await takeLock(lock)) break;
      const since = await stat(lock).then((st) => st.mtimeMs, () => Date.now());
      if (Date.now() - since > LOCK_STALE_MS) await rm(lock, { force: true }); // the trainer died holding it
      else await new Promise((r) => setTimeout(r, 250));
    }
    try {
      return { ...(await this.trainInWorker(hash)), source: 'trained' };
    } finally {
      await rm(lock, { force: true });
    }
  }

  /**
   * Retrains on changes to the intent files, the shop's training file (shop/labelled.yml) among
   * them, `debounceMs` after they settle, and checks their content hash every `pollMs` for writes a
   * file watcher does not see (another host on a shared volume); returns a stop function.
   */
  watch(debounceMs = 500, pollMs = 60_000): () => void {
    return watchAndReload(this.opts.intentsDir, debounceMs, () => this.refresh(), {
      what: 'intent model',
      pollMs,
      describe: (e) => (e.changed ? ['info', { hash: e.hash, source: e.source }, 'intent model swapped for the changed intent files'] : undefined),
    });
  }

  private async trainInWorker(hash: string): Promise<{ model: IntentClassifier; hash: string }> {
    // compiled: the .js next to this file; from source (tsx, vitest): the .ts through tsx's loader
    const fromSource = import.meta.url.endsWith('.ts');
    const url = new URL(`./intent-training-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
    const reply = await new Promise<unknown>((resolve, reject) => {
      // workers ignore the parent's loader hooks: from source, the worker registers tsx itself first
      const worker = fromSource
        ? new Worker(`import(${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href)}).then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData: this.opts })
        : new Worker(url, { workerData: this.opts });
      worker.once('message', (m) => {
        resolve(m);
        void worker.terminate();
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new AppError('INTERNAL', `intent training worker exited with code ${code}`)));
    });
    const r = WorkerReply.parse(reply);
    if (!r.ok) throw new AppError(r.code === 'VALIDATION_FAILED' ? 'VALIDATION_FAILED' : 'INTERNAL', r.message);
    if (r.hash !== hash) log.info({ expected: hash, trained: r.hash }, 'intent files changed again while training; the watcher retrains');
    const model = await readCachedModel(this.opts.cacheDir, r.hash);
    if (!model) throw new AppError('INTERNAL', `intent training worker wrote no model ${r.hash}`);
    return { model, hash: r.hash };
  }
}
