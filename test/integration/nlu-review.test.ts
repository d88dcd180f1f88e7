import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerNluReviewCommand } from '../../src/cli/nlu-review-command.js';
import { intentModelHash } from '../../src/conversation/nlu/intent-classifier.js';
import { ReloadingClassifier } from '../../src/conversation/nlu/reloading-classifier.js';
import { shopTrainingFileOf } from '../../src/conversation/nlu/shop-training-file.js';
import { choicesOf, createHarness, type Harness } from '../factories/engine-harness.js';
import { TEST_PROVIDER } from '../factories/test-database.js';

const ROOT = join(import.meta.dirname, '..', '..');
const HELD_OUT = join(ROOT, 'test', 'data', 'nlu');

let h: Harness;
let tmp: string;

beforeAll(async () => {
  h = await createHarness();
  tmp = await mkdtemp(join(tmpdir(), 'nlu-review-'));
});

afterAll(async () => {
  await h?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The CLI's `nlu` command with `review`, on the harness database, printing into `out`. */
function cli(intentsDir: string, out: string[], answers?: string, harness: Harness = h): Command {
  const program = new Command('shopdesk').exitOverride();
  const nlu = program.command('nlu');
  registerNluReviewCommand(nlu, {
    openDb: async () => ({ db: harness.database.db, close: async () => undefined }), intentsDir, cacheDir: join(tmp, 'cache'), heldOutDir: HELD_OUT,
    print: (line) => out.push(line), ...(answers !== undefined ? { input: Readable.from([answers]) } : {}),
  });
  return program;
}

const run = (intentsDir: string, args: string[], answers?: string, harness: Harness = h): Promise<string> => {
  const out: string[] = [];
  return cli(intentsDir, out, answers, harness).parseAsync(['node', 'shopdesk', 'nlu', 'review', ...args]).then(() => out.join('\n'));
};

/** A tiny intents directory (three intents), quick to train. */
async function tinyIntents(dir: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const file = (intent: string, zh: string[], en: string[]) => writeFile(join(dir, `${intent}.yml`), `intent: ${intent}\ndescription:\n  zh: ${intent}\n  en: ${intent}\nexamples:\n  zh:\n${zh.map((l) => `    - ${l}`).join('\n')}\n  en:\n${en.map((l) => `    - ${l}`).join('\n')}\n`);
  await file('order_status', ['我的快递到哪了', '订单什么时候到', '物流怎么不动了', '还没发货吗'], ['where is my order', 'when will my parcel arrive', 'tracking has not moved', 'has it shipped yet']);
  await file('greeting', ['你好', '在吗', '哈喽', '早上好'], ['hello', 'hi there', 'good morning', 'anyone there']);
  await file('out_of_scope', ['今天天气怎么样', '讲个笑话', '你喜欢什么电影', '股票会涨吗'], ['what is the weather', 'tell me a joke', 'what movies do you like', 'will stocks go up']);
  return dir;
}

describe(`nlu review (${TEST_PROVIDER})`, () => {
  it('collects an unsure message with its order number, phone and e-mail masked, and the guess the customer corrected', async () => {
    const c = h.customer();
    const replies = await c.send('hmm the coupon thing or the size SD2405117722, mail me at li.lei@example.com or call 13812345678');
    const items = await h.crm.nluReview.list();
    const mine = items.filter((i) => i.text.includes('the coupon thing or the size'));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ reason: 'low_confidence', status: 'pending', lang: 'en' });
    expect(mine[0].confidence).toBeLessThan(0.45);
    expect(mine[0].text).toBe('hmm the coupon thing or the size {{Order Number}}, mail me at {{Email}} or call {{Phone}}');
    expect(JSON.stringify(items)).not.toMatch(/13812345678|li\.lei|2405117722/);

    // the bot offered its likeliest guesses; the customer picks one that was not the top intent
    const guesses = choicesOf(replies).filter((g) => g.payload.startsWith('intent:'));
    const other = guesses.find((g) => g.payload !== `intent:${mine[0].predictedIntent}`);
    expect(other, 'the bot offered a guess besides the top one').toBeDefined();
    await c.send({ type: 'postback', payload: other!.payload, text: other!.label });
    const corrected = (await h.crm.nluReview.list()).filter((i) => i.reason === 'corrected');
    expect(corrected).toHaveLength(1);
    expect(corrected[0]).toMatchObject({ text: mine[0].text, suggestedIntent: other!.payload.slice('intent:'.length), predictedIntent: mine[0].predictedIntent });
  });

  it('collects an unsure Chinese message with its e-mail masked and its traditional characters kept', async () => {
    const c = h.customer();
    await c.send('那個東西你們弄一下吧，郵箱 wang.fang@example.cn');
    const mine = (await h.crm.nluReview.list()).filter((i) => i.text.startsWith('那個東西'));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ reason: 'low_confidence', lang: 'zh', text: '那個東西你們弄一下吧，郵箱 {{Email}}' });
  });

  it("collects the message the customer took to a person from the bot's guesses", async () => {
    const c = h.customer();
    const replies = await c.send('the widget blorped, call me on 13912345678');
    expect(choicesOf(replies).map((g) => g.payload)).toContain('handoff');
    await c.send({ type: 'postback', payload: 'handoff', text: 'Talk to a person' });
    const handed = (await h.crm.nluReview.list()).filter((i) => i.reason === 'handed_off');
    expect(handed.map((i) => i.text)).toEqual(['the widget blorped, call me on {{Phone}}']);
  });

  it('lists pending items, dismisses one and refuses to decide it twice', async () => {
    const json = JSON.parse(await run(join(ROOT, 'knowledge-base', 'intents'), ['--list', '--json'])) as { id: number; status: string }[];
    expect(json.length).toBeGreaterThan(0);
    expect(json.every((i) => i.status === 'pending')).toBe(true);
    expect(await run(join(ROOT, 'knowledge-base', 'intents'), ['--list'])).toContain(`#${json[0].id} [`);
    expect(await run(join(ROOT, 'knowledge-base', 'intents'), ['--dismiss', String(json[0].id)])).toBe(`#${json[0].id} dismissed`);
    expect((await h.crm.nluReview.get(json[0].id))?.status).toBe('dismissed');
    await expect(run(join(ROOT, 'knowledge-base', 'intents'), ['--dismiss', String(json[0].id)])).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses an unknown intent and a line that equals a held-out test line', async () => {
    const intents = await tinyIntents(join(tmp, 'refuse'));
    const unknown = await h.crm.nluReview.record(900_001, { text: 'zorp glorp', lang: 'en', predictedIntent: 'out_of_scope', confidence: 0.3, reason: 'low_confidence' });
    expect(unknown.created).toBe(true);
    const item = (await h.crm.nluReview.list()).find((i) => i.messageId === 900_001)!;
    await expect(run(intents, ['--label', String(item.id), 'no_such_intent'])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    const csv = (await readFile(join(HELD_OUT, (await import('node:fs')).readdirSync(HELD_OUT).find((n) => n.endsWith('.csv'))!), 'utf8')).split('\n')[1];
    const heldOutText = csv.replace(/,[a-z_]+\s*$/, '').replace(/^"|"$/g, '').replace(/""/g, '"');
    await h.crm.nluReview.record(900_002, { text: heldOutText, lang: 'en', predictedIntent: 'out_of_scope', confidence: 0.3, reason: 'low_confidence' });
    const held = (await h.crm.nluReview.list()).find((i) => i.messageId === 900_002)!;
    expect(await run(intents, ['--label', String(held.id), 'order_status'])).toMatch(/dismissed: the line equals a held-out test line/);
    expect(existsSync(shopTrainingFileOf(intents))).toBe(false);
  });

  it('a line labelled through the CLI is learnt by every running classifier without a restart, trained once', async () => {
    const intents = await tinyIntents(join(tmp, 'retrain'));
    const classifier = await ReloadingClassifier.load({ intentsDir: intents, cacheDir: join(tmp, 'cache') });
    // a second process on the same files and model cache
    const other = await ReloadingClassifier.load({ intentsDir: intents, cacheDir: join(tmp, 'cache') });
    const sources: (string | undefined)[] = [];
    const stop = classifier.watch(100);
    const stopOther = other.watch(100);
    const refresh = classifier.refresh.bind(classifier);
    const refreshOther = other.refresh.bind(other);
    classifier.refresh = async () => refresh().then((e) => (e.changed && sources.push(e.source), e));
    other.refresh = async () => refreshOther().then((e) => (e.changed && sources.push(e.source), e));
    try {
      const text = 'zorblax quuxified thingamajig wibble';
      const before = classifier.predict(text);
      expect(before.intent).not.toBe('order_status');
      await h.crm.nluReview.record(900_003, { text, lang: 'en', predictedIntent: before.intent, confidence: before.confidence, reason: 'low_confidence' });
      const item = (await h.crm.nluReview.list()).find((i) => i.messageId === 900_003)!;
      expect(await run(intents, ['--label', String(item.id), 'order_status', '--by', 'tester'])).toMatch(/labelled order_status: added to .*labelled\.yml/);
      expect(await h.crm.nluReview.get(item.id)).toMatchObject({ status: 'labelled', label: 'order_status', labelledBy: 'tester' });
      expect(await readFile(shopTrainingFileOf(intents), 'utf8')).toContain(text);

      const started = Date.now();
      while (classifier.predict(text).intent !== 'order_status' && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 100));
      expect(classifier.predict(text).intent).toBe('order_status');
      expect(classifier.predict('hello').intent).toBe('greeting');
      while (other.hash !== classifier.hash && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 100));
      expect(other.predict(text).intent).toBe('order_status');
      // of the two processes one trained, the other took its model from the shared cache
      expect(sources.sort()).toEqual(['cache', 'trained']);
    } finally {
      stop();
      stopOther();
    }
  }, 90_000);

  it('the interactive review labels by guess number, dismisses with d and stops at q', async () => {
    const intents = await tinyIntents(join(tmp, 'interactive'));
    await h.crm.nluReview.record(900_010, { text: 'yo yo wassup shop', lang: 'en', predictedIntent: 'out_of_scope', confidence: 0.3, reason: 'corrected', suggestedIntent: 'greeting' });
    await h.crm.nluReview.record(900_011, { text: 'asdf qwer', lang: 'en', predictedIntent: 'out_of_scope', confidence: 0.2, reason: 'low_confidence' });
    await h.crm.nluReview.record(900_012, { text: 'left for later', lang: 'en', predictedIntent: 'out_of_scope', confidence: 0.2, reason: 'low_confidence' });
    const pending = await h.crm.nluReview.list();
    const earlier = pending.filter((i) => i.messageId < 900_010).length;
    const out = await run(intents, ['--by', 'anna'], `${'s\n'.repeat(earlier)}7\n1\nd\nq\n`);
    expect(out).toContain('1) greeting');
    expect(out).toContain('"7" is neither a listed number nor an intent');
    expect(out).toContain('labelled 1, dismissed 1');
    const byMessage = async (m: number) => (await h.crm.nluReview.list({ status: 'labelled' })).concat(await h.crm.nluReview.list({ status: 'dismissed' }), await h.crm.nluReview.list()).find((i) => i.messageId === m);
    expect(await byMessage(900_010)).toMatchObject({ status: 'labelled', label: 'greeting', labelledBy: 'anna' });
    expect(await byMessage(900_011)).toMatchObject({ status: 'dismissed' });
    expect(await byMessage(900_012)).toMatchObject({ status: 'pending' });
    expect(await readFile(shopTrainingFileOf(intents), 'utf8')).toMatch(/intent: greeting\n\s+text: yo yo wassup shop/);
  });

  it('the running engine answers with the label the shop gave a message, without a restart', async () => {
    // the shipped intents in a directory of the test's own, its model taken from the shared cache when there
    const intents = join(tmp, 'engine-intents');
    await cp(join(ROOT, 'knowledge-base', 'intents'), intents, { recursive: true, filter: (src) => !src.includes(`${join('intents', 'shop')}`) });
    const cacheDir = join(tmp, 'engine-cache');
    await mkdir(cacheDir, { recursive: true });
    const hash = await intentModelHash(intents);
    const shared = join(ROOT, 'data', 'cache', `nlu-${hash}.json`);
    if (existsSync(shared)) await cp(shared, join(cacheDir, `nlu-${hash}.json`));
    const classifier = await ReloadingClassifier.load({ intentsDir: intents, cacheDir });
    const stop = classifier.watch(100);
    const engine = await createHarness({ classifier });
    try {
      const text = 'blorp the widget thing';
      await engine.customer().send(text);
      const item = (await engine.crm.nluReview.list()).find((i) => i.text === text)!;
      expect(item.predictedIntent).not.toBe('order_status');
      expect(await run(intents, ['--label', String(item.id), 'order_status'], undefined, engine)).toMatch(/labelled order_status/);

      const started = Date.now();
      while (classifier.hash === hash && Date.now() - started < 120_000) await new Promise((r) => setTimeout(r, 200));
      expect(classifier.hash).not.toBe(hash);
      await engine.customer().send(text);
      const stored = await engine.database.db.message.findMany({ where: { direction: 'in', text }, orderBy: { id: 'asc' } });
      expect(stored.map((m) => m.intent)).toEqual([item.predictedIntent, 'order_status']);
    } finally {
      stop();
      await engine.close();
    }
  }, 180_000);
});
