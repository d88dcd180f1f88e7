import { describe, expect, it } from 'vitest';
import { checkKnowledgeBase } from './kb-checker.js';
import { articleText, tempKnowledgeBase } from './kb-test-fixtures.js';

describe('checkKnowledgeBase', () => {
  it('reports two articles with almost the same text as near-duplicates', async () => {
    const body = 'Refunds go back to the original payment method within 3 to 7 working days after approval.';
    const dir = await tempKnowledgeBase({
      'en/refund-time.md': articleText({ id: 'refund-time', title: 'Refund time', questions: ['how long does a refund take'], body }),
      'en/refund-speed.md': articleText({ id: 'refund-speed', title: 'Refund time', questions: ['how long does my refund take'], body }),
      'en/gift-wrap.md': articleText({ id: 'gift-wrap', title: 'Gift wrapping', questions: ['can you wrap it'], body: 'Gift wrap costs ¥10 per item.' }),
    });
    const report = await checkKnowledgeBase(dir);
    expect(report.nearDuplicates).toHaveLength(1);
    expect([report.nearDuplicates[0].a, report.nearDuplicates[0].b].sort()).toEqual(['en/refund-speed', 'en/refund-time']);
    expect(report.nearDuplicates[0].similarity).toBeGreaterThan(0.8);
  });

  it('flags duplicate ids, unknown intents and empty bodies as errors and missing translations as warnings', async () => {
    const dir = await tempKnowledgeBase({
      'zh/a.md': articleText({ id: 'same-id', intents: ['shipping_info'] }),
      'zh/b.md': articleText({ id: 'same-id', intents: ['shiping_info'], body: '' }),
    });
    const report = await checkKnowledgeBase(dir);
    const messages = report.errors.map((e) => e.message);
    expect(messages).toContainEqual(expect.stringMatching(/"same-id" is already used/));
    expect(messages).toContain('intents: unknown intent "shiping_info"');
    expect(messages).toContain('body: the answer is empty');
    expect(report.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/has no en translation/));
  });

  it('passes the shipped knowledge base without errors', async () => {
    const report = await checkKnowledgeBase(new URL('../../../knowledge-base', import.meta.url).pathname);
    expect(report.errors).toEqual([]);
    expect(report.articleCount).toBeGreaterThanOrEqual(90);
  });
});
