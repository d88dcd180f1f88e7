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

  it.each([
    ['亲，在吗？请问我的快递到哪了，谢谢', 'order_status'],
    ['Hi team, could you help me get a refnud for my order? Thanks in advance', 'return_refund'],
    ['i cant log into my accout', 'account'],
    ['problem with my paymnet', 'payment_issue'],
    ['快地怎么还没到', 'order_status'],
    ['退貨怎麼申請', 'return_refund'],
    ['能上门取件吗', 'return_refund'],
    ['买完第二天就降价了 能补差价吗', 'promotion'],
  ])('reads a real-style message "%s" as %s', (text, intent) => {
    expect(classifier.predict(text).intent).toBe(intent);
  });

  it.each([
    ['保修多久', 'product_question', 'warranty_repair'],
    ['空调包安装吗', 'product_question', 'installation'],
    ['价保怎么申请', 'promotion', 'price_protection'],
    ['how much is postage', 'shipping_info', 'shipping_fee'],
    ['the delivery driver was rude to me', 'complaint', 'courier_complaint'],
  ])('reports "%s" as %s with the finer intent %s', (text, intent, subIntent) => {
    const p = classifier.predict(text);
    expect(p.intent).toBe(intent);
    expect(p.subIntent).toBe(subIntent);
    expect(p.subConfidence).toBeLessThanOrEqual(p.confidence + 1e-9);
  });

  it.each(['你是机器人吗', '哈哈你真可爱', 'are you a bot?', 'tell me a joke'])('calls small talk "%s" out of scope with subIntent small_talk', (text) => {
    const p = classifier.predict(text);
    expect(p.intent).toBe('out_of_scope');
    expect(p.subIntent).toBe('small_talk');
  });

  it.each(['在吗', 'are you there?'])('calls "%s" a greeting, not small talk', (text) => {
    expect(classifier.predict(text)).toMatchObject({ intent: 'greeting', outOfScope: false });
  });

  it.each(['transfer 300 dollars to my savings account', 'cancel my hotel booking for friday', 'reserve a table for six tonight', '机票改签要多少钱', '信用卡额度怎么提', '路由器一直断网'])(
    'rejects the look-alike domain "%s"',
    (text) => {
      expect(classifier.predict(text).intent).toBe('out_of_scope');
    },
  );

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

  it('classifies a message in well under a millisecond', () => {
    const texts = ['我的快递到哪了', 'where is my refund', '亲 在吗 发票开好了吗 谢谢', 'can you help me cancel purchase {{Order Number}}'];
    for (const t of texts) classifier.predict(t);
    const started = performance.now();
    for (let i = 0; i < 250; i++) for (const t of texts) classifier.predict(t);
    expect((performance.now() - started) / 1000).toBeLessThan(1);
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
