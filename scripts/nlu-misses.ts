// Prints the misclassified rows of a labelled dev set with the cached model: npx tsx scripts/nlu-misses.ts test/data/nlu/dev-real-zh.csv
// For your own dev sets only; it refuses held-out files, which are scored in aggregate only.
import path from 'node:path';
import { loadOrTrainClassifier } from '../src/conversation/nlu/intent-classifier.js';
import { readLabelledFile } from '../src/conversation/nlu/nlu-evaluator.js';

const file = process.argv[2];
if (!file || /heldout/i.test(path.basename(file))) {
  // Held-out sets are scored only in aggregate (npx shopdesk nlu eval --set): reading their misses would tune on them.
  console.error('usage: nlu-misses.ts <dev-set.csv>  (not for held-out sets)');
  process.exit(2);
}
const { classifier } = await loadOrTrainClassifier({ intentsDir: path.resolve('knowledge-base/intents'), cacheDir: path.resolve('data/cache') });
for (const r of readLabelledFile(file)) {
  const p = classifier.predict(r.text);
  const got = r.intent === p.subIntent ? p.subIntent : p.intent;
  if (got !== r.intent) console.log(`${r.intent.padEnd(16)} → ${got.padEnd(16)} ${p.confidence.toFixed(2)} ${p.subIntent ?? ''}\t${r.text}`);
}
