import path from 'node:path';
import { loadIntentData, parentsOf, toExamples } from './src/conversation/nlu/intent-data-loader.js';
import { extractFeatures, prepareText } from './src/conversation/nlu/intent-features.js';
import { augmentExamples } from './src/conversation/nlu/text-augmenter.js';
import { trainIntentModel } from './src/conversation/nlu/intent-training.js';
const { intents } = await loadIntentData(path.resolve('knowledge-base/intents'));
const ex = toExamples(intents);
let t = performance.now();
const aug = augmentExamples(ex, {});
console.log('lines', ex.length, 'aug', aug.length, 'augment ms', Math.round(performance.now() - t));
t = performance.now(); for (const a of aug) prepareText(a.text); console.log('prepare ms', Math.round(performance.now() - t));
t = performance.now(); let nf = 0; for (const a of aug) nf += extractFeatures(a.text).size; console.log('features ms', Math.round(performance.now() - t), 'avg feats', (nf / aug.length).toFixed(1));
const e = Number(process.env.EPOCHS ?? 20);
t = performance.now(); const m = trainIntentModel(ex, { parents: parentsOf(intents), epochs: e }); console.log('train ms', Math.round(performance.now() - t), 'features', m.features.length, 'labels', m.labels.length, 'T', m.temperature, 'thr', m.threshold);
import { IntentClassifier } from './src/conversation/nlu/intent-classifier.js';
import { evaluate, readLabelledFile } from './src/conversation/nlu/nlu-evaluator.js';
t = performance.now();
const c = IntentClassifier.train(ex, { parents: parentsOf(intents), epochs: e });
console.log('classifier train ms', Math.round(performance.now() - t));
for (const f of ['dev-real-zh', 'dev-real-en', 'independent-zh', 'independent-en']) {
  const r = evaluate(c, readLabelledFile(`test/data/nlu/${f}.csv`));
  console.log(f.padEnd(16), (r.accuracy * 100).toFixed(1), 'oosFA', (r.offTopicTakenForShopIntentRate * 100).toFixed(1));
}
