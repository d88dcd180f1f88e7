import path from 'node:path';
import { loadIntentData, parentsOf, toExamples } from './src/conversation/nlu/intent-data-loader.js';
import { IntentClassifier } from './src/conversation/nlu/intent-classifier.js';
import { evaluate, readLabelledFile } from './src/conversation/nlu/nlu-evaluator.js';
const { intents } = await loadIntentData(path.resolve('knowledge-base/intents'));
const ex = toExamples(intents);
const configs: [string, object][] = JSON.parse(process.argv[2]);
for (const [name, o] of configs) {
  const t = performance.now();
  const c = IntentClassifier.train(ex, { parents: parentsOf(intents), ...o });
  const ms = Math.round(performance.now() - t);
  const out = ['dev-real-zh', 'dev-real-en', 'independent-zh', 'independent-en', 'test-zh', 'test-en'].map((f) => {
    const r = evaluate(c, readLabelledFile(`test/data/nlu/${f}.csv`));
    return `${(r.accuracy * 100).toFixed(1)}/${(r.offTopicFalseAcceptRate * 100).toFixed(1)}`;
  });
  console.log(name.padEnd(10), String(ms).padStart(6), 'ms T', c.temperature, 'thr', c.threshold, out.join('  '));
}
