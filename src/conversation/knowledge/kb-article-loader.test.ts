import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase, parseArticle } from './kb-article-loader.js';
import { articleText, tempKnowledgeBase } from './kb-test-fixtures.js';

describe('loadKnowledgeBase', () => {
  it('reads articles with their language taken from the zh/en folder', async () => {
    const dir = await tempKnowledgeBase({
      'zh/shipping-fees.md': articleText({ id: 'shipping-fees', title: '运费', questions: ['运费多少'], body: '满 ¥99 包邮。' }),
      'en/shipping-fees.md': articleText({ id: 'shipping-fees', title: 'Shipping', questions: ['how much is shipping'], body: 'Free over ¥99.' }),
    });
    const { articles, errors } = await loadKnowledgeBase(dir);
    expect(errors).toEqual([]);
    expect(articles.map((a) => `${a.lang}:${a.id}`).sort()).toEqual(['en:shipping-fees', 'zh:shipping-fees']);
    expect(articles.find((a) => a.lang === 'zh')?.body).toBe('满 ¥99 包邮。');
  });

  it('names the file and the field of malformed front matter and keeps loading the other files', async () => {
    const dir = await tempKnowledgeBase({
      'en/good.md': articleText({ id: 'good' }),
      'en/bad-id.md': articleText({ id: 'Bad_Id' }),
      'en/no-questions.md': '---\nid: no-questions\ntitle: T\nquestions: []\n---\nbody\n',
      'en/broken-yaml.md': '---\nid: x\ntitle: [unclosed\n---\nbody\n',
      'en/no-front-matter.md': 'just text\n',
    });
    const { articles, errors } = await loadKnowledgeBase(dir);
    expect(articles.map((a) => a.id)).toEqual(['good']);
    const byFile = Object.fromEntries(errors.map((e) => [e.file, e.message]));
    expect(byFile['en/bad-id.md']).toMatch(/^id: must be a kebab-case id/);
    expect(byFile['en/no-questions.md']).toMatch(/^questions: needs at least one question/);
    expect(byFile['en/broken-yaml.md']).toMatch(/not valid YAML/);
    expect(byFile['en/no-front-matter.md']).toMatch(/missing front matter/);
  });

  it('reports every invalid field of one file, not only the first', () => {
    const result = parseArticle('---\nid: ok-id\ntitle: ""\nquestions: nope\n---\nbody', 'en/x.md');
    expect('errors' in result && result.errors.map((e) => e.message.split(':')[0]).sort()).toEqual(['questions', 'title']);
  });

  it('rejects an article outside zh/ or en/ without a lang field', () => {
    const result = parseArticle(articleText({ id: 'lost' }), 'misc/lost.md');
    expect('errors' in result && result.errors[0].message).toMatch(/^lang:/);
  });
});
