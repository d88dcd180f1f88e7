import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateRetrieval } from './kb-evaluator.js';
import type { KbReloadEvent } from './kb-watcher.js';
import { KnowledgeRetriever } from './kb-retriever.js';
import { articleText, tempKnowledgeBase } from './kb-test-fixtures.js';

const SYNONYMS = 'groups:\n  - [退款, 退钱, refund, money back]\n';

function fixtureFiles(): Record<string, string> {
  return {
    'zh/refund-timelines.md': articleText({ id: 'refund-timelines', title: '退款多久到账', questions: ['退款多久到账', '钱什么时候退回来'], body: '微信支付宝 1–3 个工作日。', intents: ['refund_status'] }),
    'en/refund-timelines.md': articleText({ id: 'refund-timelines', title: 'How long do refunds take', questions: ['how long does a refund take'], body: 'WeChat and Alipay 1–3 working days.' }),
    'zh/shipping-fees.md': articleText({ id: 'shipping-fees', title: '运费怎么收', questions: ['运费多少', '满多少包邮'], body: '满 ¥99 包邮。' }),
    'en/shipping-fees.md': articleText({ id: 'shipping-fees', title: 'Shipping fees', questions: ['how much is shipping', 'is delivery free'], body: 'Free shipping over ¥99.' }),
  };
}

function nextReload(retriever: KnowledgeRetriever, stops: (() => void)[]): Promise<KbReloadEvent> {
  return new Promise((resolve) => {
    stops.push(retriever.watch((event) => resolve(event)));
  });
}

describe('KnowledgeRetriever', () => {
  const stops: (() => void)[] = [];
  afterEach(() => stops.splice(0).forEach((stop) => stop()));

  it('searches the language of the query and finds synonyms of what was typed', async () => {
    const retriever = await KnowledgeRetriever.load(await tempKnowledgeBase(fixtureFiles(), SYNONYMS), { reloadDebounceMs: 50 });
    const zh = retriever.search('我的钱什么时候能退钱');
    expect(zh[0].article).toMatchObject({ id: 'refund-timelines', lang: 'zh' });
    expect(retriever.search('when do I get my money back')[0].article).toMatchObject({ id: 'refund-timelines', lang: 'en' });
    expect(zh[0].confidence).toBeGreaterThan(0);
    expect(zh[0].confidence).toBeLessThanOrEqual(1);
  });

  it('answers a clear question and gives no answer to one outside the shop', async () => {
    const retriever = await KnowledgeRetriever.load(await tempKnowledgeBase(fixtureFiles(), SYNONYMS));
    const clear = retriever.decide('运费多少钱，满多少包邮');
    expect(clear.kind === 'answer' && clear.hit.article.id).toBe('shipping-fees');
    expect(retriever.decide('今天天气好吗').kind).toBe('none');
  });

  it('makes an article written after start-up searchable without a restart', async () => {
    const dir = await tempKnowledgeBase(fixtureFiles(), SYNONYMS);
    const retriever = await KnowledgeRetriever.load(dir, { reloadDebounceMs: 50 });
    expect(retriever.search('gift wrap', { lang: 'en' }).some((h) => h.article.id === 'gift-wrapping')).toBe(false);
    const reloaded = nextReload(retriever, stops);
    await writeFile(path.join(dir, 'faq', 'en', 'gift-wrapping.md'), articleText({ id: 'gift-wrapping', title: 'Gift wrapping', questions: ['can you gift wrap it'], body: '¥10 per item.' }));
    expect(await reloaded).toMatchObject({ ok: true, articleCount: 5 });
    expect(retriever.search('gift wrap', { lang: 'en' })[0].article.id).toBe('gift-wrapping');
  });

  it('keeps serving the previous index when a changed file is malformed', async () => {
    const dir = await tempKnowledgeBase(fixtureFiles(), SYNONYMS);
    const retriever = await KnowledgeRetriever.load(dir, { reloadDebounceMs: 50 });
    const reloaded = nextReload(retriever, stops);
    await writeFile(path.join(dir, 'faq', 'en', 'shipping-fees.md'), '---\nid: shipping-fees\n---\nno title or questions\n');
    const event = await reloaded;
    expect(event.ok).toBe(false);
    expect(event.errors[0].file).toBe(path.join('en', 'shipping-fees.md'));
    expect(retriever.search('how much is shipping')[0].article.id).toBe('shipping-fees');
  });

  it('is measured by top-1, top-3 and MRR on labelled questions', async () => {
    const retriever = await KnowledgeRetriever.load(await tempKnowledgeBase(fixtureFiles(), SYNONYMS));
    const report = evaluateRetrieval(retriever, [
      { question: '包邮吗', article_id: 'shipping-fees' },
      { question: 'refund how long', article_id: 'refund-timelines' },
      { question: 'tell me a joke', article_id: 'shipping-fees' },
    ]);
    expect(report).toMatchObject({ count: 3, top1: 2 / 3, top3: 2 / 3 });
    expect(report.mrr).toBeCloseTo(2 / 3);
    expect(report.misses).toEqual([{ question: 'tell me a joke', expected: 'shipping-fees', got: [], rank: null }]);
  });
});
