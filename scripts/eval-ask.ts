/**
 * `npm run eval:ask [-- --set PATH] [--json] [--errors]`: exact-match accuracy of the ask parser
 * on a labelled set (JSON lines `{id, lang, now, question, expected}`, see test/data/ask/README.md).
 * Each question is parsed with its own `now` in Asia/Shanghai and the query compared with
 * `expected` as a whole (undefined fields dropped; for `unsupported` only kind and reason), then
 * field by field. Default set: test/data/ask/ask-untuned.jsonl (never tune the parser on it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseQuestion } from '../src/assistant/ask-parser.js';
import type { AskQuery } from '../src/assistant/ask-query.js';

const TIME_ZONE = 'Asia/Shanghai';
const FIELDS = ['kind', 'metric', 'from', 'to', 'groupBy', 'compare', 'limit', 'filters', 'lookup', 'customer', 'order'] as const;
type Field = (typeof FIELDS)[number];

interface Line { id: string; lang: 'zh' | 'en'; now: string; question: string; expected: AskQuery }
interface Tally { n: number; exact: number }

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const setArg = args.indexOf('--set');
const setPath = setArg >= 0 ? args[setArg + 1] : join(import.meta.dirname, '..', 'test', 'data', 'ask', 'ask-untuned.jsonl');

/** The query as compared: undefined fields dropped, and for unsupported only kind and reason. */
function comparable(q: AskQuery): Record<string, unknown> {
  if (q.kind === 'unsupported') return { kind: q.kind, reason: q.reason };
  return JSON.parse(JSON.stringify(q)) as Record<string, unknown>;
}

const lines: Line[] = readFileSync(setPath, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Line);
const overall: Tally = { n: 0, exact: 0 };
const perLang: Record<string, Tally> = {};
const perField = Object.fromEntries(FIELDS.map((f) => [f, { n: 0, exact: 0 }])) as Record<Field, Tally>;
const misses: { id: string; lang: string; question: string; expected: unknown; got: unknown; fields: Field[] }[] = [];

for (const line of lines) {
  const { query } = parseQuestion(line.question, { now: new Date(line.now), timeZone: TIME_ZONE });
  const want = comparable(line.expected);
  const got = comparable(query);
  const ok = isDeepStrictEqual(want, got);
  overall.n++;
  overall.exact += ok ? 1 : 0;
  const lang = (perLang[line.lang] ??= { n: 0, exact: 0 });
  lang.n++;
  lang.exact += ok ? 1 : 0;
  const wrong: Field[] = [];
  for (const f of FIELDS) {
    // a field counts on the lines where either side has it
    if (!(f in want) && !(f in got)) continue;
    perField[f].n++;
    if (isDeepStrictEqual(want[f], got[f])) perField[f].exact++;
    else wrong.push(f);
  }
  if (!ok) misses.push({ id: line.id, lang: line.lang, question: line.question, expected: want, got, fields: wrong });
}

const rate = (t: Tally): number => (t.n === 0 ? 0 : Math.round((t.exact / t.n) * 10_000) / 100);
const report = {
  set: setPath,
  lines: overall.n,
  exact: rate(overall),
  perLanguage: Object.fromEntries(Object.entries(perLang).map(([k, t]) => [k, { lines: t.n, exact: rate(t) }])),
  perField: Object.fromEntries(FIELDS.map((f) => [f, { lines: perField[f].n, exact: rate(perField[f]) }])),
  ...(flag('--errors') ? { errors: misses } : {}),
};

if (flag('--json')) console.log(JSON.stringify(report));
else {
  console.log(`${setPath}: ${overall.exact}/${overall.n} exact (${rate(overall)}%)`);
  for (const [k, t] of Object.entries(perLang)) console.log(`  ${k}: ${t.exact}/${t.n} (${rate(t)}%)`);
  console.log('  per field:');
  for (const f of FIELDS) console.log(`    ${f.padEnd(9)} ${perField[f].exact}/${perField[f].n} (${rate(perField[f])}%)`);
  if (flag('--errors')) {
    for (const m of misses) {
      console.log(`\n✗ ${m.id} [${m.lang}] ${m.question}  (${m.fields.join(', ')})`);
      console.log(`    expected ${JSON.stringify(m.expected)}`);
      console.log(`    got      ${JSON.stringify(m.got)}`);
    }
  }
}
