import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadIntentData } from './intent-data-loader.js';
import { sanitiseReviewText } from './review-text-sanitiser.js';
import { appendShopLine, parseShopTrainingFile, shopTrainingFileOf } from './shop-training-file.js';

const GREETING = 'intent: greeting\ndescription:\n  zh: 问候\n  en: greeting\nexamples:\n  zh:\n    - 你好\n  en:\n    - hello\n';

describe('the shop training file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'intents-'));
    writeFileSync(path.join(dir, 'greeting.yml'), GREETING);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is read with the intent files, and changes the content hash', async () => {
    const before = await loadIntentData(dir);
    expect(before.shopExamples).toEqual([]);
    expect(await appendShopLine(dir, { text: '哈喽呀老板', intent: 'greeting' }, new Set())).toMatchObject({ added: true });
    const after = await loadIntentData(dir);
    expect(after.shopExamples).toEqual([{ text: '哈喽呀老板', intent: 'greeting' }]);
    expect(after.contentHash).not.toBe(before.contentHash);
  });

  it('adds a line once, keeps the header comment and refuses a held-out line', async () => {
    await appendShopLine(dir, { text: 'yo shop', intent: 'greeting' }, new Set());
    expect(await appendShopLine(dir, { text: 'Yo Shop', intent: 'greeting' }, new Set())).toEqual({ added: false, reason: 'duplicate' });
    expect(await appendShopLine(dir, { text: '在吗', intent: 'greeting' }, new Set(['在吗']))).toEqual({ added: false, reason: 'held_out' });
    const text = readFileSync(shopTrainingFileOf(dir), 'utf8');
    expect(text).toMatch(/^# The shop's own training lines/);
    expect(text.match(/text:/g)).toHaveLength(1);
  });

  it('names an unknown intent and a malformed file', () => {
    expect(() => parseShopTrainingFile('lines:\n  - intent: greting\n    text: hi\n', new Set(['greeting']))).toThrow(/names intent "greting", which has no intent file/);
    expect(() => parseShopTrainingFile('lines:\n  - intent: greeting\n', new Set(['greeting']))).toThrow(/shop\/labelled\.yml: lines\.0\.text/);
    expect(parseShopTrainingFile('lines:\n', new Set())).toEqual([]);
  });
});

describe('sanitiseReviewText', () => {
  it('replaces order numbers, e-mails and phones (full-width too) with placeholders, and masks house numbers', () => {
    expect(sanitiseReviewText('订单SD2405117722还没到，电话１３８１２３４５６７８，邮箱 li.lei@example.com', 'SD\\d{10}')).toBe('订单{{Order Number}}还没到，电话{{Phone}}，邮箱 {{Email}}');
    expect(sanitiseReviewText('寄到 人民路88号1201室 吧', 'SD\\d{10}')).toBe('寄到 人民路**号**室 吧');
    expect(sanitiseReviewText('call +1 (415) 555-0100 please', 'SD\\d{10}')).toBe('call {{Phone}} please');
  });
});
