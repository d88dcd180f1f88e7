// Adds training lines to knowledge-base/intents/<intent>.yml from a plain text file:
//
//   npx tsx scripts/add-intent-examples.ts <intent> <lines.txt> [--parent <intent> --zh "描述" --en "description"]
//
// lines.txt holds a `## zh` section and a `## en` section, one line per example. Lines already in the
// file are skipped, and so is any line that is also in a test or dev set under test/data/nlu (those
// must stay unseen by training). --parent creates a finer intent file when it does not exist yet.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { normaliseText } from '../src/conversation/text/text-normaliser.js';

const [intent, linesFile, ...rest] = process.argv.slice(2);
if (!intent || !linesFile) {
  console.error('usage: add-intent-examples.ts <intent> <lines.txt> [--parent P --zh D --en D]');
  process.exit(2);
}
const flag = (name: string): string | undefined => {
  const at = rest.indexOf(`--${name}`);
  return at >= 0 ? rest[at + 1] : undefined;
};
const root = path.resolve(import.meta.dirname, '..');
const file = path.join(root, 'knowledge-base/intents', `${intent}.yml`);
const testDir = path.join(root, 'test/data/nlu');

const unseen = new Set<string>();
for (const name of readdirSync(testDir).filter((n) => n.endsWith('.csv'))) {
  for (const line of readFileSync(path.join(testDir, name), 'utf8').split('\n').slice(1)) {
    const text = line.replace(/,[a-z_]+\s*$/, '').replace(/^"|"$/g, '').replace(/""/g, '"');
    if (text) unseen.add(normaliseText(text));
  }
}

const sections: Record<'zh' | 'en', string[]> = { zh: [], en: [] };
let current: 'zh' | 'en' | undefined;
for (const raw of readFileSync(linesFile, 'utf8').split('\n')) {
  const line = raw.trim();
  if (line === '## zh' || line === '## en') current = line.slice(3) as 'zh' | 'en';
  else if (line && current) sections[current].push(line);
}

const quote = (s: string): string => (/^[\w\u3400-\u9fff][^:#"'{}[\],&*!|>%@`]*$/u.test(s) && !/\s$/.test(s) && !/^(yes|no|true|false|null|on|off|y|n|~|[-+.\d][\d.e+-]*)$/i.test(s) ? s : JSON.stringify(s));

if (!existsSync(file)) {
  const parent = flag('parent');
  if (!parent) throw new Error(`${file} does not exist: pass --parent, --zh and --en to create a finer intent`);
  writeFileSync(file, `intent: ${intent}\nparent: ${parent}\ndescription:\n  zh: ${quote(flag('zh') ?? intent)}\n  en: ${quote(flag('en') ?? intent)}\nexamples:\n  zh:\n  en:\n`);
}
let text = readFileSync(file, 'utf8');
const doc = parse(text) as { examples: { zh: string[] | null; en: string[] | null } };
const have = new Set([...(doc.examples.zh ?? []), ...(doc.examples.en ?? [])].map((t) => normaliseText(String(t))));
const added: Record<string, string[]> = { zh: [], en: [] };
let refused = 0;
for (const lang of ['zh', 'en'] as const) {
  for (const line of sections[lang]) {
    const key = normaliseText(line);
    if (unseen.has(key)) { refused++; continue; }
    if (have.has(key)) continue;
    have.add(key);
    added[lang].push(`    - ${quote(line)}`);
  }
}
// zh lines go right before "  en:", en lines at the end of the file.
const lines = text.replace(/\n+$/, '').split('\n');
const enAt = lines.findIndex((l) => l === '  en:');
lines.splice(enAt, 0, ...added.zh);
lines.push(...added.en);
text = `${lines.join('\n')}\n`;
writeFileSync(file, text);
const check = parse(text) as { examples: { zh: string[]; en: string[] } };
console.log(`${intent}: +${added.zh.length} zh, +${added.en.length} en (now ${check.examples.zh.length} zh, ${check.examples.en.length} en); ${refused} refused as test lines`);
