import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import { parseShopTrainingFile, SHOP_TRAINING_FILE } from './shop-training-file.js';

const ExampleList = z.array(z.string().trim().min(1, 'an example is empty'));

export const IntentFileSchema = z.strictObject({
  intent: z.string().regex(/^[a-z][a-z0-9_]*$/, 'intent must be snake_case'),
  /** A finer intent names its parent among the top-level intents; predictions report both. */
  parent: z.string().regex(/^[a-z][a-z0-9_]*$/, 'parent must be snake_case').optional(),
  description: z.strictObject({ zh: z.string().min(1), en: z.string().min(1) }),
  examples: z.strictObject({ zh: ExampleList, en: ExampleList }),
});

export type IntentFile = z.infer<typeof IntentFileSchema>;

export interface LabelledExample {
  text: string;
  intent: string;
}

export interface IntentData {
  intents: IntentFile[];
  /** The shop's own labelled lines (shop/labelled.yml, `npx shopdesk nlu review`). */
  shopExamples: LabelledExample[];
  /** sha256 over file names and contents, for cache keys. */
  contentHash: string;
}

function fail(file: string, problem: string): AppError {
  return new AppError('VALIDATION_FAILED', `Intent file ${file}: ${problem}`, {
    userMessage: `Intent file ${file} is invalid: ${problem}`,
    details: { file },
  });
}

/** Parses and validates one intent YAML document; `file` names it in errors. */
export function parseIntentFile(source: string, file: string): IntentFile {
  let doc: unknown;
  try {
    doc = parseYaml(source);
  } catch (err) {
    throw fail(file, `not valid YAML (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  const parsed = IntentFileSchema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw fail(file, issues.join('; '));
  }
  const expected = path.basename(file).replace(/\.ya?ml$/, '');
  if (parsed.data.intent !== expected) {
    throw fail(file, `intent "${parsed.data.intent}" does not match the file name "${expected}"`);
  }
  if (parsed.data.examples.zh.length + parsed.data.examples.en.length === 0) {
    throw fail(file, 'has no examples');
  }
  return parsed.data;
}

export interface IntentSources {
  files: { name: string; source: string }[];
  /** Source of shop/labelled.yml when there is one. */
  shop?: string;
  /** sha256 over file names and contents, for cache keys. */
  contentHash: string;
}

/** Raw intent YAML of `dir` and its content hash, without parsing (cheap, for cache look-ups). */
export async function readIntentSources(dir: string): Promise<IntentSources> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `Cannot read intents directory ${dir}`, { cause: err });
  }
  if (names.length === 0) throw new AppError('VALIDATION_FAILED', `No intent files (*.yml) in ${dir}`);
  const hash = createHash('sha256');
  const files: IntentSources['files'] = [];
  for (const name of names) {
    const source = await readFile(path.join(dir, name), 'utf8');
    hash.update(name).update('\0').update(source).update('\0');
    files.push({ name, source });
  }
  const shop = await readFile(path.join(dir, SHOP_TRAINING_FILE), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined; // the shop has labelled nothing yet
    throw new AppError('VALIDATION_FAILED', `Cannot read ${SHOP_TRAINING_FILE} in ${dir}`, { cause: err });
  });
  if (shop !== undefined) hash.update(SHOP_TRAINING_FILE).update('\0').update(shop).update('\0');
  return { files, contentHash: hash.digest('hex'), ...(shop !== undefined ? { shop } : {}) };
}

/** Validates intent sources; throws AppError('VALIDATION_FAILED') naming the file and problem. */
export function parseIntentSources(sources: IntentSources): IntentData {
  const intents = sources.files.map((f) => parseIntentFile(f.source, f.name));
  const byName = new Map(intents.map((i) => [i.intent, i]));
  for (const [n, i] of intents.entries()) {
    if (i.parent === undefined) continue;
    const parent = byName.get(i.parent);
    if (!parent) throw fail(sources.files[n].name, `parent "${i.parent}" is not an intent in this directory`);
    if (parent.parent !== undefined) throw fail(sources.files[n].name, `parent "${i.parent}" is itself a finer intent (one level only)`);
  }
  const shopExamples = sources.shop === undefined ? [] : parseShopTrainingFile(sources.shop, new Set(byName.keys()));
  return { intents, shopExamples, contentHash: sources.contentHash };
}

/** Each intent's top-level intent: its parent for a finer intent, else itself. */
export function parentsOf(intents: IntentFile[]): Record<string, string> {
  return Object.fromEntries(intents.map((i) => [i.intent, i.parent ?? i.intent]));
}

/** Reads every `*.yml`/`*.yaml` in `dir` (e.g. `<kbDir>/intents`) and the shop's `shop/labelled.yml`, validated; throws AppError('VALIDATION_FAILED'). */
export async function loadIntentData(dir: string): Promise<IntentData> {
  return parseIntentSources(await readIntentSources(dir));
}

/** Flattens intent files into labelled examples of both languages. */
export function toExamples(intents: IntentFile[]): LabelledExample[] {
  return intents.flatMap((f) => [...f.examples.zh, ...f.examples.en].map((text) => ({ text, intent: f.intent })));
}
