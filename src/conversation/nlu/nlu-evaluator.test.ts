import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, formatReport, readLabelledFile, scorePredictions } from './nlu-evaluator.js';

describe('scorePredictions', () => {
  // expected → predicted: a→a ×2, a→b ×1, b→b ×1, out_of_scope→a ×1, out_of_scope→out_of_scope ×1
  const report = scorePredictions([
    { expected: 'a', predicted: 'a' },
    { expected: 'a', predicted: 'a' },
    { expected: 'a', predicted: 'b' },
    { expected: 'b', predicted: 'b' },
    { expected: 'out_of_scope', predicted: 'a' },
    { expected: 'out_of_scope', predicted: 'out_of_scope' },
  ]);

  it('computes accuracy and per-intent scores from a hand-checked confusion matrix', () => {
    expect(report.total).toBe(6);
    expect(report.accuracy).toBeCloseTo(4 / 6);
    // a: tp 2, predicted 3, support 3
    expect(report.perIntent.a).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: expect.closeTo(2 / 3, 10), support: 3 });
    // b: tp 1, predicted 2, support 1 → p 0.5 r 1 f1 2/3
    expect(report.perIntent.b.precision).toBe(0.5);
    expect(report.perIntent.b.recall).toBe(1);
    expect(report.perIntent.b.f1).toBeCloseTo(2 / 3);
    // out_of_scope: tp 1, predicted 1, support 2 → p 1 r 0.5 f1 2/3
    expect(report.outOfScope).toEqual({ precision: 1, recall: 0.5 });
    expect(report.macroF1).toBeCloseTo(2 / 3);
  });

  it('counts off-topic rows taken for a shop intent', () => {
    expect(report.offTopicTakenForShopIntentRate).toBe(0.5);
  });

  it('lists confusions, largest first', () => {
    expect(report.confusions).toEqual([
      { expected: 'a', predicted: 'b', count: 1 },
      { expected: 'out_of_scope', predicted: 'a', count: 1 },
    ]);
  });

  it('formats a readable table', () => {
    const text = formatReport(report);
    expect(text).toContain('accuracy 66.7%');
    expect(text).toMatch(/out_of_scope\s+100\.0%\s+50\.0%/);
    expect(text).toContain('a → b');
  });
});

describe('evaluate', () => {
  it('scores any predictor on labelled rows', () => {
    const byKeyword = { predict: (text: string) => ({ intent: text.includes('refund') ? 'return_refund' : 'out_of_scope' }) };
    const r = evaluate(byKeyword, [
      { text: 'refund please', intent: 'return_refund' },
      { text: 'hello', intent: 'greeting' },
    ]);
    expect(r.accuracy).toBe(0.5);
  });
});

describe('readLabelledFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nlu-eval-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, body: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, body);
    return file;
  };

  it('reads CSV with quoted fields containing commas and quotes', () => {
    const file = write('ok.csv', 'text,intent\n"hi, there",greeting\n"say ""refund""",return_refund\n退货,return_refund\n');
    expect(readLabelledFile(file)).toEqual([
      { text: 'hi, there', intent: 'greeting' },
      { text: 'say "refund"', intent: 'return_refund' },
      { text: '退货', intent: 'return_refund' },
    ]);
  });

  it('reads JSONL', () => {
    const file = write('ok.jsonl', '{"text":"hi","intent":"greeting"}\n\n{"text":"退款","intent":"refund_status"}\n');
    expect(readLabelledFile(file)).toHaveLength(2);
  });

  it('names the line of a bad JSONL row', () => {
    const file = write('bad.jsonl', '{"text":"hi","intent":"greeting"}\n{"text":"oops"}\n');
    expect(() => readLabelledFile(file)).toThrow(/bad\.jsonl:2: intent/);
  });

  it('names the line of a CSV row with an empty intent', () => {
    const file = write('bad.csv', 'text,intent\nhello,greeting\nrefund,\n');
    expect(() => readLabelledFile(file)).toThrow(/bad\.csv:3: intent/);
  });

  it('rejects a CSV without the text,intent header', () => {
    const file = write('nohead.csv', 'hello,greeting\n');
    expect(() => readLabelledFile(file)).toThrow(/header must have columns text,intent/);
  });
});
