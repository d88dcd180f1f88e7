/**
 * CRM benchmark: demo-shop seeding time (10k and 100k orders) and three analytics queries
 * (median of 5) on SQLite and, when reachable, PostgreSQL. `npm run bench:crm [-- --json] [-- --skip-pg]`.
 * PostgreSQL: BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres); a temporary
 * database is created and dropped.
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database, DbProvider } from '../src/db/database-client.js';

// Loaded after LOG_LEVEL is set: the logger is configured when these modules load, and log lines
// on stdout would break --json.
process.env.LOG_LEVEL ??= 'silent';
const { openDatabase } = await import('../src/db/database-client.js');
const { migrate } = await import('../src/db/migrator.js');
const { seedShop } = await import('../src/crm/seed/index.js');
const { repurchaseRate, revenueByDay, topProducts } = await import('../src/crm/analytics/index.js');
const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const PG_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const TIME_ZONE = 'Asia/Shanghai';
const RUNS = 5;

interface ProviderResult {
  seed10kMs: number;
  seed100kMs: number;
  rows100k: { customers: number; orders: number; orderItems: number; orderEvents: number };
  queriesMs: { revenueByDay90d: number; topProducts90d: number; repurchaseRate90d: number };
}

function say(text: string): void { if (!json) process.stderr.write(`${text}\n`); }

async function freshDatabase(provider: DbProvider): Promise<Database & { drop(): Promise<void> }> {
  const id = randomUUID().replace(/-/g, '').slice(0, 10);
  if (provider === 'sqlite') {
    const file = join(tmpdir(), `shopdesk-bench-${id}.db`);
    const database = await openDatabase({ provider, url: `file:${file}` });
    await migrate(database);
    return { ...database, drop: async () => { await database.close(); for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true }); } };
  }
  const name = `shopdesk_bench_${id}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const database = await openDatabase({ provider, url: PG_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`) });
  await migrate(database);
  return {
    ...database,
    drop: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(RUNS / 2)] * 10) / 10;
}

async function benchProvider(provider: DbProvider): Promise<ProviderResult> {
  const now = new Date();
  const small = await freshDatabase(provider);
  let seed10kMs: number;
  try {
    say(`${provider}: seeding 10k orders / 2k customers…`);
    seed10kMs = (await seedShop(small.db, { orders: 10_000, customers: 2000, now })).elapsedMs;
  } finally {
    await small.drop();
  }
  const big = await freshDatabase(provider);
  try {
    say(`${provider}: seeding 100k orders / 20k customers…`);
    const s = await seedShop(big.db, { orders: 100_000, customers: 20_000, now });
    const range = { from: new Date(now.getTime() - 90 * 86_400_000), to: now };
    say(`${provider}: running analytics queries (median of ${RUNS})…`);
    const queriesMs = {
      revenueByDay90d: await median(() => revenueByDay(big.db, range, { timeZone: TIME_ZONE })),
      topProducts90d: await median(() => topProducts(big.db, range, { timeZone: TIME_ZONE, limit: 10 })),
      repurchaseRate90d: await median(() => repurchaseRate(big.db, range, { timeZone: TIME_ZONE })),
    };
    return { seed10kMs, seed100kMs: s.elapsedMs, rows100k: { customers: s.customers, orders: s.orders, orderItems: s.orderItems, orderEvents: s.orderEvents }, queriesMs };
  } finally {
    await big.drop();
  }
}

async function pgReachable(): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function table(results: Partial<Record<DbProvider, ProviderResult>>, pgNote?: string): string {
  const sec = (ms?: number) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
  const ms = (v?: number) => (v === undefined ? '-' : `${v} ms`);
  const rows: [string, (r?: ProviderResult) => string][] = [
    ['seed 10k orders / 2k customers', (r) => sec(r?.seed10kMs)],
    ['seed 100k orders / 20k customers', (r) => sec(r?.seed100kMs)],
    [`revenueByDay, 90 days (median of ${RUNS})`, (r) => ms(r?.queriesMs.revenueByDay90d)],
    ['topProducts, 90 days, top 10', (r) => ms(r?.queriesMs.topProducts90d)],
    ['repurchaseRate, 90 days', (r) => ms(r?.queriesMs.repurchaseRate90d)],
  ];
  const lines = [`${'CRM benchmark'.padEnd(42)}${'SQLite'.padStart(12)}${'PostgreSQL'.padStart(14)}`, '-'.repeat(68)];
  for (const [label, f] of rows) lines.push(`${label.padEnd(42)}${f(results.sqlite).padStart(12)}${f(results.postgres).padStart(14)}`);
  if (pgNote) lines.push(`PostgreSQL skipped: ${pgNote}`);
  lines.push(`(${cpus().length} CPUs, Node ${process.version}; 100k run rows: ${results.sqlite?.rows100k.orderItems ?? '-'} items, ${results.sqlite?.rows100k.orderEvents ?? '-'} events)`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const results: Partial<Record<DbProvider, ProviderResult>> = {};
  results.sqlite = await benchProvider('sqlite');
  let pgNote: string | undefined = args.has('--skip-pg') ? '--skip-pg' : undefined;
  if (!pgNote) {
    const problem = await pgReachable();
    if (problem) pgNote = `not reachable at ${PG_URL.replace(/\/\/[^@/]*@/, '//***@')} (${problem})`;
    else results.postgres = await benchProvider('postgres');
  }
  if (json) process.stdout.write(`${JSON.stringify({ cpus: cpus().length, node: process.version, runs: RUNS, sqlite: results.sqlite, postgres: results.postgres ?? null, postgresSkipped: pgNote ?? null })}\n`);
  else process.stdout.write(`${table(results, pgNote)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`Benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
