import { describe, expect, it } from 'vitest';
import { Bm25Index, type Bm25Doc } from './bm25-index.js';

const doc = (over: Partial<Bm25Doc>): Bm25Doc => ({ title: [], questions: [], tags: [], body: [], ...over });
const q = (...terms: string[]) => terms.map((term) => ({ term, weight: 1 }));

describe('Bm25Index', () => {
  const docs = [
    doc({ title: ['refund'], body: ['money', 'back', 'card', 'day'] }),
    doc({ title: ['shipping'], questions: ['shipping', 'fee'], body: ['free', 'over', 'order'] }),
    doc({ title: ['invoice'], body: ['shipping', 'invoice', 'paper', 'email', 'company', 'tax', 'title', 'download'] }),
  ];
  const index = new Bm25Index(docs);

  it('ranks the document that mentions the query term in its title and questions first', () => {
    expect(index.search(q('shipping')).map((m) => m.doc)).toEqual([1, 2]);
  });

  it('gives rare terms more weight than common ones', () => {
    expect(index.idf('tax')).toBeGreaterThan(index.idf('shipping'));
  });

  it('scores nothing for terms no document has', () => {
    expect(index.search(q('weather'))).toEqual([]);
  });

  it('counts a down-weighted term less than a typed one', () => {
    const typed = index.search([{ term: 'money', weight: 1 }])[0].score;
    const expanded = index.search([{ term: 'money', weight: 0.35 }])[0].score;
    expect(expanded).toBeCloseTo(typed * 0.35);
  });

  it('sets a higher self-score ceiling for rarer query terms and ignores expanded ones', () => {
    expect(index.selfScore(q('tax'))).toBeGreaterThan(index.selfScore(q('shipping')));
    expect(index.selfScore([...q('tax'), { term: 'money', weight: 0.35 }])).toBe(index.selfScore(q('tax')));
  });
});
