/**
 * `npm run bench:ask [-- --json] [-- --orders N] [-- --runs N] [-- --skip-pg] [-- --skip-sqlite]`:
 * the managers' assistant, end to end (parse → query → text, audit row included, chart excluded)
 * and parse alone, p50/p99 per metric of the catalogue, on the 10k-order demo shop (SQLite, a
 * temporary file) and on a big shop on PostgreSQL (default 1,000,000 orders; BENCH_PG_URL,
 * default the local server, database `shopdesk_ask_bench`, seeded once and reused — seeding a
 * million orders takes a long while). Then chart rendering on its own (ECharts SSR → resvg PNG).
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database, Db } from '../src/db/database-client.js';

process.env.LOG_LEVEL ??= 'silent';
const { openDatabase } = await import('../src/db/database-client.js');
const { migrate } = await import('../src/db/migrator.js');
const { seedShop } = await import('../src/crm/seed/index.js');
const { recomputeSegments } = await import('../src/crm/segments/index.js');
const { createCrm, localDateString } = await import('../src/crm/index.js');
const { AskService, TERMINAL_PRINCIPAL } = await import('../src/assistant/ask-service.js');
const { parseQuestion } = await import('../src/assistant/ask-parser.js');
const { chartSpecFor, renderChartPng } = await import('../src/assistant/ask-chart.js');
const { addConversationExtras, hasExtras } = await import('./ask-bench-data.js');
const { benchQuestions } = await import('./ask-questions.js');

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string, dflt: number) => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : dflt; };
const json = flag('--json');
const RUNS = value('--runs', 20);
const PG_ORDERS = value('--orders', 1_000_000);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const PG_DB = 'shopdesk_ask_bench';
const TZ = 'Asia/Shanghai';
const say = (m: string) => { if (!json) process.stderr.write(`${m}\n`); };

interface Timing { p50: number; p99: number; max: number }
const timing = (xs: number[]): Timing => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] * 10) / 10;
  return { p50: at(0.5), p99: at(0.99), max: Math.round(s[s.length - 1] * 10) / 10 };
};

async function sqliteShop(now: Date): Promise<{ database: Database; drop: () => Promise<void> }> {
  const file = join(tmpdir(), `shopdesk-ask-bench-${randomUUID().slice(0, 8)}.db`);
  const database = await openDatabase({ provider: 'sqlite', url: `file:${file}` });
  await migrate(database);
  say('sqlite: seeding the 10k-order demo shop…');
  await seedShop(database.db, { orders: 10_000, customers: 2000, now, timeZone: TZ, afterSeed: (db) => recomputeSegments(db, { now, timeZone: TZ }).then(() => undefined) });
  await addConversationExtras(database.db, { orders: 10_000, now, provider: 'sqlite' });
  await database.db.$executeRawUnsafe('ANALYZE');
  return { database, drop: async () => { await database.close(); for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true }); } };
}

/** The big PostgreSQL shop: made and seeded once, then reused (migrations applied on every run). */
async function postgresShop(now: Date): Promise<Database> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [PG_DB])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${PG_DB}`);
  await admin.end();
  const database = await openDatabase({ provider: 'postgres', url: PG_URL.replace(/\/[^/?]*(\?|$)/, `/${PG_DB}$1`) });
  await migrate(database);
  const orders = await database.db.order.count();
  if (orders < PG_ORDERS * 0.95) {
    say(`postgres: seeding ${PG_ORDERS} orders (once; reused by later runs)…`);
    await seedShop(database.db, { orders: PG_ORDERS, customers: Math.max(2000, Math.round(PG_ORDERS / 10)), now, timeZone: TZ, force: true, onProgress: (d, t) => { if (d % 100_000 < 1000) say(`  ${d}/${t}`); } });
  }
  if (!(await hasExtras(database.db))) {
    say('postgres: adding conversations and ratings…');
    await addConversationExtras(database.db, { orders: PG_ORDERS, now, provider: 'postgres', say });
  }
  say('postgres: VACUUM ANALYZE…');
  await database.db.$executeRawUnsafe('VACUUM ANALYZE');
  return database;
}

async function benchShop(name: string, db: Db, startedAt: Date) {
  const crm = createCrm(db);
  // the summaries the server refreshes every ASK_SUMMARY_REFRESH_SECONDS: a full build, then an incremental one
  let t = performance.now();
  await crm.analytics.refreshSummaries({ timeZone: TZ, full: true });
  const fullRefreshMs = Math.round(performance.now() - t);
  t = performance.now();
  await crm.analytics.refreshSummaries({ timeZone: TZ });
  const incrementalRefreshMs = Math.round(performance.now() - t);
  say(`${name}: summaries built in ${fullRefreshMs} ms (incremental refresh ${incrementalRefreshMs} ms)`);
  // questions are asked "now", after the refresh, as on a running server (the shop was seeded as of startedAt)
  const now = new Date(Math.max(Date.now(), startedAt.getTime()));
  const today = localDateString(now, TZ);
  const someOrder = await db.order.findFirst({ where: { events: { some: { isException: true } } }, orderBy: { id: 'desc' }, select: { orderNumber: true } });
  const questions = benchQuestions(today, { customerName: '张三', orderNumber: someOrder?.orderNumber ?? 'SD0000000000' });
  const mismatches: string[] = [];
  const parse: ConstructorParameters<typeof AskService>[0]['parse'] = (text, opts) => {
    const parsed = parseQuestion(text, opts);
    const wanted = questions.find((q) => q.text === text)!.query;
    if (JSON.stringify(parsed.query) === JSON.stringify(wanted)) return parsed;
    if (!mismatches.includes(text)) mismatches.push(text);
    return { query: wanted, reading: parsed.reading };
  };
  const service = new AskService({ crm, parse, timeZone: TZ, currency: 'CNY', access: { agentSeesFigures: true } });
  const byMetric = new Map<string, number[]>();
  const perQuestion: Record<string, { metric: string; parse: Timing; endToEnd: Timing }> = {};
  for (const q of questions) {
    say(`${name}: ${q.text}`);
    const parseTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) { const t = performance.now(); parseQuestion(q.text, { now, timeZone: TZ }); parseTimes.push(performance.now() - t); }
    await service.ask(q.text, { staff: TERMINAL_PRINCIPAL, channel: 'bench', now, chart: false });
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await service.ask(q.text, { staff: TERMINAL_PRINCIPAL, channel: 'bench', now, chart: false });
      times.push(performance.now() - t);
    }
    perQuestion[q.text] = { metric: q.metric, parse: timing(parseTimes), endToEnd: timing(times) };
    byMetric.set(q.metric, [...(byMetric.get(q.metric) ?? []), ...times]);
  }
  const chart = await chartTimes(service, now);
  return {
    orders: await db.order.count(), customers: await db.customer.count(), conversations: await db.conversation.count(),
    summaries: { fullRefreshMs, incrementalRefreshMs },
    perMetric: Object.fromEntries([...byMetric].map(([m, xs]) => [m, timing(xs)])), perQuestion, parserMismatches: mismatches, chart,
  };
}

async function chartTimes(service: InstanceType<typeof AskService>, now: Date) {
  const answer = await service.ask('近30天销售额按天', { staff: TERMINAL_PRINCIPAL, channel: 'bench', now, chart: false });
  if (answer.result && (answer.result as { type: string }).type !== 'metric') return null;
  const spec = chartSpecFor(answer.result as never, 'bench', 'zh', now.getUTCFullYear());
  if (!spec) return null;
  const t0 = performance.now();
  const first = await renderChartPng(spec);
  const cold = performance.now() - t0;
  if (!first) return { skipped: 'no CJK font' };
  const times: number[] = [];
  for (let i = 0; i < 10; i++) { const t = performance.now(); await renderChartPng(spec); times.push(performance.now() - t); }
  return { coldMs: Math.round(cold), warm: timing(times) };
}

function table(results: Record<string, Awaited<ReturnType<typeof benchShop>> | null>): string {
  const names = Object.keys(results).filter((k) => results[k]);
  const metrics = [...new Set(names.flatMap((n) => Object.keys(results[n]!.perMetric)))];
  const lines = [`${'end to end, p50 / p99 ms'.padEnd(26)}${names.map((n) => n.padStart(22)).join('')}`, '-'.repeat(26 + 22 * names.length)];
  for (const m of metrics) lines.push(`${m.padEnd(26)}${names.map((n) => { const x = results[n]!.perMetric[m]; return (x ? `${x.p50} / ${x.p99}` : '-').padStart(22); }).join('')}`);
  for (const n of names) {
    const r = results[n]!;
    const parse = Object.values(r.perQuestion).map((q) => q.parse.p99);
    lines.push(`${n}: ${r.orders} orders, ${r.customers} customers, ${r.conversations} conversations; parse p99 ≤ ${Math.max(...parse)} ms; chart ${JSON.stringify(r.chart)}; summaries ${JSON.stringify(r.summaries)}; parser read ${r.parserMismatches.length} of the questions otherwise`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const now = new Date();
  const results: Record<string, Awaited<ReturnType<typeof benchShop>> | null> = {};
  if (!flag('--skip-sqlite')) {
    const shop = await sqliteShop(now);
    try { results['sqlite 10k'] = await benchShop('sqlite', shop.database.db, now); } finally { await shop.drop(); }
  }
  if (!flag('--skip-pg')) {
    const database = await postgresShop(now);
    try { results[`postgres ${PG_ORDERS / 1000}k`] = await benchShop('postgres', database.db, now); } finally { await database.close(); }
  }
  if (json) process.stdout.write(`${JSON.stringify({ cpus: cpus().length, node: process.version, runs: RUNS, results })}\n`);
  else process.stdout.write(`${table(results)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`Benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
