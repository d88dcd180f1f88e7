import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadIntentData, parentsOf, toExamples } from './intent-data-loader.js';
import { INTENT_NAMES } from '../intent-names.js';

describe('loadIntentData', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'intents-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads every shipped intent file: each built-in intent with enough examples, each finer one under a built-in parent', async () => {
    const data = await loadIntentData(fileURLToPath(new URL('../../../knowledge-base/intents', import.meta.url)));
    const top = data.intents.filter((i) => i.parent === undefined);
    expect(top.map((i) => i.intent).sort()).toEqual([...INTENT_NAMES].sort());
    for (const i of top) {
      expect(i.examples.zh.length, `${i.intent} zh`).toBeGreaterThanOrEqual(60);
      expect(i.examples.en.length, `${i.intent} en`).toBeGreaterThanOrEqual(60);
    }
    for (const i of data.intents.filter((f) => f.parent !== undefined)) {
      expect(INTENT_NAMES, `${i.intent} parent`).toContain(i.parent);
      expect(i.examples.zh.length, `${i.intent} zh`).toBeGreaterThanOrEqual(15);
      expect(i.examples.en.length, `${i.intent} en`).toBeGreaterThanOrEqual(10);
    }
    expect(parentsOf(data.intents).small_talk).toBe('out_of_scope');
    expect(data.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a finer intent whose parent is missing or is itself finer', async () => {
    writeFileSync(path.join(dir, 'greeting.yml'), 'intent: greeting\ndescription: {zh: a, en: b}\nexamples: {zh: [你好], en: [hi]}\n');
    writeFileSync(path.join(dir, 'small_talk.yml'), 'intent: small_talk\nparent: chit_chat\ndescription: {zh: a, en: b}\nexamples: {zh: [哈哈], en: [lol]}\n');
    await expect(loadIntentData(dir)).rejects.toThrow(/small_talk\.yml: parent "chit_chat" is not an intent/);
    writeFileSync(path.join(dir, 'small_talk.yml'), 'intent: small_talk\nparent: greeting\ndescription: {zh: a, en: b}\nexamples: {zh: [哈哈], en: [lol]}\n');
    writeFileSync(path.join(dir, 'joke.yml'), 'intent: joke\nparent: small_talk\ndescription: {zh: a, en: b}\nexamples: {zh: [讲个笑话], en: [joke]}\n');
    await expect(loadIntentData(dir)).rejects.toThrow(/joke\.yml: parent "small_talk" is itself a finer intent/);
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
