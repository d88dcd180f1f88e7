/**
 * Worker thread of ReloadingClassifier: trains (or finds cached) the model of an intents directory
 * off the main thread, writes it to the cache and answers with its hash. Training takes seconds of
 * CPU; in a worker the engine keeps answering with the previous model meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { loadOrTrainClassifier } from './intent-classifier.js';

const Input = z.object({ intentsDir: z.string(), cacheDir: z.string() });

const input = Input.parse(workerData);
loadOrTrainClassifier(input).then(
  ({ hash, trainedNow }) => parentPort?.postMessage({ ok: true, hash, trainedNow }),
  (err: unknown) => parentPort?.postMessage({ ok: false, code: (err as { code?: string }).code ?? 'INTERNAL', message: err instanceof Error ? err.message : String(err) }),
);
