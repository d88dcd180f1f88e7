/**
 * Checks the ask evaluation sets (README.md beside this file): every line is JSON with the fields the
 * evaluation reads, every `expected` parses with the query contract, ids are unique, `now` is an ISO
 * date-time with an offset, and the two languages are roughly balanced.
 *
 *   npx tsx test/data/ask/validate-ask-set.ts [file.jsonl ...]   (default: both sets)
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { askQuerySchema } from '../../../src/assistant/ask-query.js';

const lineSchema = z.object({
  id: z.string().regex(/^[a-z]\d{3,}$/),
  lang: z.enum(['zh', 'en']),
  now: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/).refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  question: z.string(),
  expected: askQuerySchema,
}).strict();

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

function check(file: string): string[] {
  const errors: string[] = [];
  const ids = new Set<string>();
  const perLang = { zh: 0, en: 0 };
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  lines.forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    let json: unknown;
    try { json = JSON.parse(raw); } catch { errors.push(`${where}: not JSON`); return; }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) { errors.push(`${where}: ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`); return; }
    const row = parsed.data;
    if (ids.has(row.id)) errors.push(`${where}: duplicate id ${row.id}`);
    ids.add(row.id);
    perLang[row.lang]++;
    // An en line holds no Chinese; a zh line usually does (an order number or junk alone is language-neutral:
    // `lang` then says which language the asker uses, for the examples in the reply).
    if (row.lang === 'en' && CJK.test(row.question)) errors.push(`${where}: en line with Chinese in it`);
    const q = row.expected;
    if (q.kind === 'unsupported' && q.choices !== undefined) errors.push(`${where}: unsupported lines carry no choices`);
    if (q.kind !== 'unsupported' && (q.from === null) !== (q.to === null)) errors.push(`${where}: from and to are both set or both null`);
    if (q.kind !== 'unsupported' && q.from !== null && q.to !== null && q.from > q.to) errors.push(`${where}: from after to`);
    if (q.kind === 'metric' && ['open_tickets', 'customers', 'dormant_customers'].includes(q.metric) && q.from !== null) errors.push(`${where}: snapshot metric with a range`);
  });
  const zhShare = perLang.zh / Math.max(1, lines.length);
  if (zhShare < 0.4 || zhShare > 0.6) errors.push(`${file}: languages unbalanced (zh ${perLang.zh}, en ${perLang.en})`);
  console.log(`${file}: ${lines.length} lines (zh ${perLang.zh}, en ${perLang.en}), ${errors.length} problems`);
  return errors;
}

const here = dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [join(here, 'ask-untuned.jsonl'), join(here, 'ask-dev.jsonl')];
const problems = files.flatMap(check);
for (const p of problems) console.error(p);
process.exitCode = problems.length > 0 ? 1 : 0;
