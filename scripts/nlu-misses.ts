// Dev helper: prints the misclassified rows of a labelled file (for your own dev sets only).
import path from 'node:path';
import { loadOrTrainClassifier } from '../src/conversation/nlu/intent-classifier.js';
import { readLabelledFile } from '../src/conversation/nlu/nlu-evaluator.js';

const file = process.argv[2];
const { classifier } = await loadOrTrainClassifier({ intentsDir: path.resolve('knowledge-base/intents'), cacheDir: path.resolve('data/cache') });
for (const r of readLabelledFile(file)) {
  const p = classifier.predict(r.text);
  const got = r.intent === p.subIntent ? p.subIntent : p.intent;
  if (got !== r.intent) console.log(`${r.intent.padEnd(16)} → ${got.padEnd(16)} ${p.confidence.toFixed(2)} ${p.subIntent ?? ''}\t${r.text}`);
}
