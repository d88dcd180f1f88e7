/**
 * The shop's own training lines (issue 8 item 6): `<intents dir>/shop/labelled.yml`, written by
 * `npx shopdesk nlu review` and read by the intent loader with the built-in intent files. Every
 * process watches it and retrains when it changes (reloading-classifier.ts).
 *
 *   lines:
 *     - intent: order_status
 *       text: 我的货咋还一动不动
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument, parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import { normaliseText } from '../text/text-normaliser.js';
import type { LabelledExample } from './intent-data-loader.js';

/** Where the shop's labelled lines live, relative to the intents directory. */
export const SHOP_TRAINING_FILE = path.join('shop', 'labelled.yml');

export const shopTrainingFileOf = (intentsDir: string): string => path.join(intentsDir, SHOP_TRAINING_FILE);

const ShopFileSchema = z.strictObject({
  lines: z.array(z.strictObject({
    intent: z.string().regex(/^[a-z][a-z0-9_]*$/, 'intent must be snake_case'),
    text: z.string().trim().min(1, 'a line is empty').max(500),
  })).nullable().default([]),
}).nullable();

const HEADER = `# The shop's own training lines, labelled with \`npx shopdesk nlu review\` (see ../README.md).
# Edit or delete lines freely: every running process retrains when this file changes.
`;

/** Parses the shop file's source; `known` are the intents it may name. Throws AppError('VALIDATION_FAILED') naming the problem. */
export function parseShopTrainingFile(source: string, known: ReadonlySet<string>): LabelledExample[] {
  let doc: unknown;
  try {
    doc = parseYaml(source);
  } catch (err) {
    throw shopFileError(`not valid YAML (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  const parsed = ShopFileSchema.safeParse(doc);
  if (!parsed.success) throw shopFileError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  const lines = parsed.data?.lines ?? [];
  const unknown = lines.find((l) => !known.has(l.intent));
  if (unknown) throw shopFileError(`line "${unknown.text}" names intent "${unknown.intent}", which has no intent file`);
  return lines.map((l) => ({ text: l.text, intent: l.intent }));
}

function shopFileError(problem: string): AppError {
  return new AppError('VALIDATION_FAILED', `Intent file ${SHOP_TRAINING_FILE}: ${problem}`, { userMessage: `The shop's training file ${SHOP_TRAINING_FILE} is invalid: ${problem}`, details: { file: SHOP_TRAINING_FILE } });
}

/**
 * Lines that must stay unseen by training: every text of the CSV test and dev sets in `dir`
 * (test/data/nlu in a checkout; absent in an installed shop), normalised. The rule of
 * scripts/add-intent-examples.ts.
 */
export async function heldOutLines(dir: string): Promise<Set<string>> {
  const unseen = new Set<string>();
  if (!existsSync(dir)) return unseen;
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.csv'))) {
    for (const line of (await readFile(path.join(dir, name), 'utf8')).split('\n').slice(1)) {
      const text = line.replace(/,[a-z_]+\s*$/, '').replace(/^"|"$/g, '').replace(/""/g, '"');
      if (text) unseen.add(normaliseText(text));
    }
  }
  return unseen;
}

export type AppendOutcome = { added: true; file: string } | { added: false; reason: 'held_out' | 'duplicate' };

/**
 * Appends one labelled line to the shop file (created when missing), written atomically so a
 * watcher never reads half a file. Refused when it equals a held-out line; a line already in
 * the file with the same intent is not added twice.
 */
export async function appendShopLine(intentsDir: string, line: LabelledExample, heldOut: ReadonlySet<string>): Promise<AppendOutcome> {
  const key = normaliseText(line.text);
  if (heldOut.has(key)) return { added: false, reason: 'held_out' };
  const file = shopTrainingFileOf(intentsDir);
  const source = existsSync(file) ? await readFile(file, 'utf8') : `${HEADER}lines:\n`;
  const doc = parseDocument(source);
  const have = (doc.toJS() as { lines?: { intent: string; text: string }[] | null } | null)?.lines ?? [];
  if (have.some((l) => l.intent === line.intent && normaliseText(String(l.text)) === key)) return { added: false, reason: 'duplicate' };
  if (!have.length) doc.set('lines', doc.createNode([]));
  doc.addIn(['lines'], doc.createNode({ intent: line.intent, text: line.text.trim() }));
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, String(doc));
  await rename(tmp, file);
  return { added: true, file };
}
