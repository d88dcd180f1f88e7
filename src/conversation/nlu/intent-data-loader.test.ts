import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadIntentData, toExamples } from './intent-data-loader.js';
import { INTENT_NAMES } from '../intent-names.js';

describe('loadIntentData', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'intents-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads every shipped intent file with enough examples per language', async () => {
    const data = await loadIntentData(fileURLToPath(new URL('../../../knowledge-base/intents', import.meta.url)));
    expect(data.intents.map((i) => i.intent).sort()).toEqual([...INTENT_NAMES].sort());
    for (const i of data.intents) {
      expect(i.examples.zh.length, `${i.intent} zh`).toBeGreaterThanOrEqual(40);
      expect(i.examples.en.length, `${i.intent} en`).toBeGreaterThanOrEqual(40);
    }
    expect(data.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('flattens files into labelled examples', async () => {
    writeFileSync(path.join(dir, 'greeting.yml'), 'intent: greeting\ndescription: {zh: 打招呼, en: hello}\nexamples:\n  zh: [你好]\n  en: [hi, hello]\n');
    const data = await loadIntentData(dir);
    expect(toExamples(data.intents)).toEqual([
      { text: '你好', intent: 'greeting' },
      { text: 'hi', intent: 'greeting' },
      { text: 'hello', intent: 'greeting' },
    ]);
  });

  it('names the file and the problem for broken YAML', async () => {
    writeFileSync(path.join(dir, 'greeting.yml'), 'intent: greeting\nexamples: [unclosed\n');
    await expect(loadIntentData(dir)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/greeting\.yml: not valid YAML/) });
  });

  it('names the missing field of an invalid file', async () => {
    writeFileSync(path.join(dir, 'greeting.yml'), 'intent: greeting\ndescription: {zh: a, en: b}\nexamples:\n  zh: [你好]\n');
    await expect(loadIntentData(dir)).rejects.toThrow(/greeting\.yml: examples\.en/);
  });

  it('rejects a file whose intent does not match its name', async () => {
    writeFileSync(path.join(dir, 'hello.yml'), 'intent: greeting\ndescription: {zh: a, en: b}\nexamples: {zh: [你好], en: [hi]}\n');
    await expect(loadIntentData(dir)).rejects.toThrow(/does not match the file name/);
  });

  it('fails clearly on an empty directory', async () => {
    await expect(loadIntentData(dir)).rejects.toThrow(/No intent files/);
  });
});
