import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntentClassifier, loadOrTrainClassifier } from './intent-classifier.js';

const intentsDir = fileURLToPath(new URL('../../../knowledge-base/intents', import.meta.url));

describe('IntentClassifier', () => {
  let cacheDir: string;
  let classifier: IntentClassifier;

  beforeAll(async () => {
    cacheDir = mkdtempSync(path.join(tmpdir(), 'nlu-cache-'));
    ({ classifier } = await loadOrTrainClassifier({ intentsDir, cacheDir }));
  });
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

  it.each([
    ['我的快递怎么还没到', 'order_status'],
    ['帮我把订单取消了', 'cancel_order'],
    ['衣服质量太差了 我要退货', 'return_refund'],
    ['能开增值税专用发票吗', 'invoice'],
    ['转人工', 'human_agent'],
    ['where is my package', 'order_status'],
    ['my card was charged twice', 'payment_issue'],
    ['can i get an invoice for my order', 'invoice'],
    ['is this jacket waterproof', 'product_question'],
    ['let me talk to a real person', 'human_agent'],
  ])('classifies "%s" as %s', (text, intent) => {
    const p = classifier.predict(text);
    expect(p.intent).toBe(intent);
    expect(p.outOfScope).toBe(false);
    expect(p.confidence).toBeGreaterThan(0.5);
  });

  it.each(['今天上海天气怎么样', '帮我写一篇关于环保的作文', 'what is the capital of australia', 'write me a python function to sort numbers'])(
    'calls off-topic text "%s" out of scope',
    (text) => {
      const p = classifier.predict(text);
      expect(p.intent).toBe('out_of_scope');
      expect(p.outOfScope).toBe(true);
    },
  );

  it('returns a ranking of every intent whose confidences sum to one', () => {
    const p = classifier.predict('退款什么时候到账');
    expect(p.ranking).toHaveLength(classifier.intents.length);
    expect(p.ranking.reduce((s, r) => s + r.confidence, 0)).toBeCloseTo(1, 5);
    expect(p.ranking[0].confidence).toBeGreaterThanOrEqual(p.ranking[1].confidence);
    expect(p.language).toBe('zh');
  });

  it('treats emoji-only or empty text as out of scope without throwing', () => {
    expect(classifier.predict('').outOfScope).toBe(true);
    expect(classifier.predict('\uD800').outOfScope).toBe(true);
  });

  it('exports a tuned out-of-scope threshold and temperature', () => {
    expect(classifier.threshold).toBeGreaterThanOrEqual(0);
    expect(classifier.threshold).toBeLessThan(1);
    expect(classifier.temperature).toBeGreaterThan(0);
  });

  it('round-trips through JSON with identical predictions', () => {
    const copy = IntentClassifier.fromJSON(JSON.parse(JSON.stringify(classifier.toJSON())));
    for (const text of ['我的order到哪了', 'refund pls', 'tell me a joke', '发票', '亲 在吗']) {
      expect(copy.predict(text)).toEqual(classifier.predict(text));
    }
  });

  it('loads the cached model on the second call instead of retraining', async () => {
    const again = await loadOrTrainClassifier({ intentsDir, cacheDir });
    expect(again.trainedNow).toBe(false);
    expect(readdirSync(cacheDir)).toEqual([`nlu-${again.hash}.json`]);
    expect(again.classifier.predict('where is my refund')).toEqual(classifier.predict('where is my refund'));
  });

  it('rejects a model file that does not fit', () => {
    expect(() => IntentClassifier.fromJSON({ format: 'shopdesk-intent-model' })).toThrow(/Invalid intent model/);
  });

  it('trains on a tiny inline data set', () => {
    const small = IntentClassifier.train([
      { text: 'where is my order', intent: 'order_status' },
      { text: 'track my parcel', intent: 'order_status' },
      { text: 'i want a refund', intent: 'return_refund' },
      { text: 'give me my money back', intent: 'return_refund' },
    ]);
    expect(small.predict('where is my parcel').intent).toBe('order_status');
  });
});
