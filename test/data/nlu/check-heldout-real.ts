/**
 * Checks the held-out "real customer" sets (README.md beside this file, "Held-out sets"): each file parses as
 * RFC 4180 CSV with the header `text,intent`, every intent is a built-in intent, no text is empty or repeated,
 * and about an eighth of the rows are off-topic look-alikes. Prints rows per intent.
 *
 *   npx tsx test/data/nlu/check-heldout-real.ts [file.csv ...]   (default: heldout-real-zh.csv, heldout-real-en.csv)
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { INTENT_NAMES, OUT_OF_SCOPE } from '../../../src/conversation/intent-names.js';

const intents = new Set<string>(INTENT_NAMES);

function check(file: string): string[] {
  const errors: string[] = [];
  const text = readFileSync(file, 'utf8');
  if (!text.startsWith('text,intent\n')) errors.push(`${file}: header is not "text,intent"`);
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, relax_column_count: false }) as Record<string, string>[];
  } catch (err) {
    return [`${file}: not valid CSV: ${(err as Error).message}`];
  }
  const seen = new Set<string>();
  const perIntent = new Map<string, number>();
  rows.forEach((row, i) => {
    const where = `${file}:${i + 2}`;
    const t = row.text ?? '';
    const intent = row.intent ?? '';
    if (t.trim() === '') errors.push(`${where}: empty text`);
    if (!intents.has(intent)) errors.push(`${where}: unknown intent "${intent}"`);
    if (seen.has(t)) errors.push(`${where}: repeated text "${t}"`);
    seen.add(t);
    perIntent.set(intent, (perIntent.get(intent) ?? 0) + 1);
  });
  for (const name of INTENT_NAMES) if (!perIntent.has(name)) errors.push(`${file}: no rows for ${name}`);
  const offTopic = (perIntent.get(OUT_OF_SCOPE) ?? 0) / Math.max(1, rows.length);
  if (offTopic < 0.08 || offTopic > 0.16) errors.push(`${file}: off-topic share ${offTopic.toFixed(2)} is outside 0.08–0.16`);
  const counts = [...perIntent].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`${file}: ${rows.length} rows, ${errors.length} problems\n  ${counts}`);
  return errors;
}

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const files = args.length > 0 ? args : [join(here, 'heldout-real-zh.csv'), join(here, 'heldout-real-en.csv')];
const problems = files.flatMap(check);
for (const p of problems) console.error(p);
process.exitCode = problems.length > 0 ? 1 : 0;
