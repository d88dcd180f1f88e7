/**
 * `npm run bench:cli [-- --json] [--runs N]`: how long the `shopdesk` command takes as a whole
 * process (the compiled CLI, as `npx shopdesk` runs it): `--help`, and `customers show` on a
 * seeded SQLite demo shop. One warm-up run each, then the median and max of N runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/database-client.js';
import { migrate } from '../src/db/migrator.js';
import { seedShop, DEMO_PERSONAS } from '../src/crm/seed/index.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const runs = Number(args[args.indexOf('--runs') + 1]) || 7;
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'shopdesk.js');
if (!existsSync(join(ROOT, 'dist', 'cli', 'shopdesk-cli.js'))) {
  console.error('bench:cli times the compiled CLI: run `npm run build` first');
  process.exit(2);
}

const file = join(tmpdir(), `shopdesk-cli-bench-${process.pid}.db`);
const database = await openDatabase({ provider: 'sqlite', url: `file:${file}` });
await migrate(database);
await seedShop(database.db, { customers: 300, orders: 1500, seed: 5 });
await database.close();

function time(argv: string[]): { medianMs: number; maxMs: number } {
  const env = { ...process.env, DATABASE_URL: `file:${file}`, DOTENV_CONFIG_QUIET: 'true', LOG_LEVEL: 'silent' };
  const once = (): number => {
    const t = performance.now();
    execFileSync(process.execPath, [BIN, ...argv], { env, cwd: tmpdir(), stdio: 'ignore' });
    return performance.now() - t;
  };
  once();
  const times = Array.from({ length: runs }, once).sort((a, b) => a - b);
  return { medianMs: Math.round(times[Math.floor(times.length / 2)]), maxMs: Math.round(times[times.length - 1]) };
}

const result = {
  runs,
  help: time(['--help']),
  customersShow: time(['customers', 'show', DEMO_PERSONAS.zhangSan.phone]),
};
for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
if (json) console.log(JSON.stringify(result));
else {
  console.log(`shopdesk --help                      median ${result.help.medianMs} ms, max ${result.help.maxMs} ms (${runs} runs)`);
  console.log(`shopdesk customers show ${DEMO_PERSONAS.zhangSan.phone}  median ${result.customersShow.medianMs} ms, max ${result.customersShow.maxMs} ms`);
}
