/**
 * `npm run test:faults [-- --json] [--only NAME,…] [--root DIR]`: bounded bursts of web chat
 * traffic (300 messages over 30 threads, clients resending what was not acknowledged, as the
 * browser does) through crashes and outages, against private Redis and PostgreSQL servers (never
 * the shared ones). Prints one JSON object {"runs":[{name, sent, acknowledged, answeredOnce,
 * lost, duplicates, orderViolations, p99Ms}]} with --json. Exits 1 when a run lost or
 * duplicated a message. `--root` runs another checkout's code (to reproduce on an older commit).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allAnswered, diagnoseLost, measure, repliesByInbound, type RunResult } from './burst-metrics.js';
import { ChatCustomer, TEXTS } from './chat-burst.js';
import { SCENARIOS, type Cluster, type Scenario } from './fault-scenarios.js';
import { freePort, PrivatePostgres, PrivateRedis, sleep } from './private-services.js';
import { ShopdeskProcess } from './shopdesk-process.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const opt = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const ROOT = resolve(opt('--root') ?? join(import.meta.dirname, '..', '..'));
const only = opt('--only')?.split(',').map((s) => s.trim().toLowerCase());
const THREADS = Number(opt('--threads') ?? 30);
const PER_THREAD = Number(opt('--per-thread') ?? 10);
const FAULT_AT_MS = 1_500;
const SETTLE_MS = Number(opt('--settle-ms') ?? 90_000);
const LAST_LOGS = '/tmp/shopdesk-faults-last-logs';
const say = (s: string): void => { if (!json) console.log(s); else console.error(s); };

const tmp = mkdtempSync('/tmp/shopdesk-faults-');
chmodSync(tmp, 0o755); // the private PostgreSQL runs as the postgres user
const logDir = join(tmp, 'logs');
mkdirSync(logDir);
const sharedData = join(tmp, 'data');
mkdirSync(sharedData);
const running: ShopdeskProcess[] = [];
const services: { pg?: PrivatePostgres; redis: PrivateRedis[]; mounts: string[] } = { redis: [], mounts: [] };

async function runScenario(s: Scenario, n: number): Promise<RunResult> {
  const runDir = join(tmp, `run-${n}`);
  mkdirSync(runDir);
  let dataDir = sharedData;
  if (s.tmpfsMb) {
    dataDir = join(runDir, 'tmpfs');
    mkdirSync(dataDir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${s.tmpfsMb}m`, 'tmpfs', dataDir]);
    services.mounts.push(dataDir);
    if (existsSync(join(sharedData, 'cache'))) cpSync(join(sharedData, 'cache'), join(dataDir, 'cache'), { recursive: true });
  }
  const env: Record<string, string> = { WEBCHAT_SECRET: 'fault-suite-webchat-secret-0123456789', SEED_DEMO: 'false', LOG_LEVEL: 'warn', DATA_DIR: dataDir,
    // every simulated customer comes from 127.0.0.1: one address carrying many customers, as a carrier NAT does
    RATE_LIMIT_IP_MESSAGES_PER_MINUTE: '100000' };
  let db: { provider: 'sqlite' | 'postgres'; url: string };
  const cluster: Cluster = { web: undefined as unknown as ShopdeskProcess, workers: [], dataDir };
  const proc = async (name: string, extra: Record<string, string>): Promise<ShopdeskProcess> => {
    const p = new ShopdeskProcess(ROOT, `${n}-${name}`, await freePort(), { ...env, ...extra }, logDir);
    running.push(p);
    return p;
  };
  if (s.topology === 'all-in-one') {
    db = { provider: 'sqlite', url: `file:${join(dataDir, 'shopdesk.db')}` };
    cluster.web = await proc('all', { DATABASE_URL: db.url, ROLE: 'all' });
    await cluster.web.start();
  } else {
    services.pg ??= await PrivatePostgres.create(join(tmp, 'pg'));
    cluster.pg = services.pg;
    db = { provider: 'postgres', url: await services.pg.createDatabase(`faults_${n}_${Date.now()}`) };
    cluster.redis = await PrivateRedis.create(join(runDir, 'redis'), { aof: Boolean(s.redisAof) });
    services.redis.push(cluster.redis);
    const shared = { DATABASE_URL: db.url, REDIS_URL: cluster.redis.url };
    cluster.web = await proc('web', { ...shared, ROLE: 'web' });
    await cluster.web.start(); // migrates first; the workers then start side by side
    cluster.workers = [await proc('worker-1', { ...shared, ROLE: 'worker' }), await proc('worker-2', { ...shared, ROLE: 'worker' })];
    await Promise.all(cluster.workers.map((w) => w.start()));
  }

  const customers = await Promise.all(Array.from({ length: THREADS }, (_, t) => ChatCustomer.open(() => cluster.web.url, t)));
  await sleep(500); // sockets open, history received
  const notes: Record<string, unknown> = {};
  const started = Date.now();
  const burst = Promise.all(customers.map(async (c) => {
    for (let seq = 0; seq < PER_THREAD; seq++) {
      await sleep(150 + Math.random() * 300);
      await c.say(seq, TEXTS[(c.thread + seq) % TEXTS.length], 1_500);
    }
  }));
  const fault = (s.at === 'mid-burst' ? sleep(FAULT_AT_MS) : burst).then(() => s.fault(cluster, notes));
  await Promise.all([burst, fault]);
  say(`  ${s.name}: burst and fault done after ${Date.now() - started} ms; waiting for answers`);

  const deadline = Date.now() + SETTLE_MS;
  let replies = new Map<number, number[]>();
  const ackedIds = (): number[] => customers.flatMap((c) => c.sent.map((m) => m.messageId).filter((id): id is number => id !== undefined));
  while (Date.now() < deadline) {
    replies = await repliesByInbound(db, ackedIds()).catch(() => replies);
    if (allAnswered(customers, replies)) break;
    await sleep(500);
  }
  replies = await repliesByInbound(db, ackedIds()).catch(() => replies);
  for (const c of customers) c.close();
  const result: RunResult = { ...measure(s.name, customers, replies), ...notes };
  if (result.lost > 0) {
    result.lostAt = await diagnoseLost(db, customers, replies).catch((err: unknown) => ({ [`diagnosis failed: ${(err as Error).message}`]: 1 }));
    if (cluster.redis) result.queues = await queueCounts(cluster.redis.url).catch((err: unknown) => (err as Error).message);
  }
  for (const p of [cluster.web, ...cluster.workers]) await p.stop();
  if (cluster.redis) await cluster.redis.stop();
  return result;
}

/** BullMQ's view of the queues (for a run that lost messages). */
async function queueCounts(redisUrl: string): Promise<Record<string, Record<string, number>>> {
  const { Queue } = await import('bullmq');
  const out: Record<string, Record<string, number>> = {};
  for (const name of ['inbound', 'outbound']) {
    const q = new Queue(name, { connection: { url: redisUrl }, prefix: 'shopdesk' });
    out[name] = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    await q.close();
  }
  return out;
}

async function cleanup(): Promise<void> {
  for (const p of running) await p.kill().catch(() => undefined);
  for (const r of services.redis) await r.stop().catch(() => undefined);
  services.pg?.destroy();
  for (const m of services.mounts) {
    try {
      execFileSync('umount', [m]);
    } catch {
      // already unmounted
    }
  }
  // the processes' logs outlive the run, for whoever reads a failure
  rmSync(LAST_LOGS, { recursive: true, force: true });
  cpSync(logDir, LAST_LOGS, { recursive: true });
  rmSync(tmp, { recursive: true, force: true });
}

const chosen = SCENARIOS.filter((s) => (!s.control || args.includes('--control')) && (!only || only.some((o) => s.name.toLowerCase().includes(o))));
const runs: RunResult[] = [];
const suiteStart = Date.now();
try {
  for (const [i, s] of chosen.entries()) {
    say(`run ${i + 1}/${chosen.length}: ${s.name}`);
    const t0 = Date.now();
    try {
      runs.push({ ...(await runScenario(s, i)), seconds: Math.round((Date.now() - t0) / 1000) });
    } catch (err) {
      runs.push({ name: s.name, sent: 0, acknowledged: 0, answeredOnce: 0, lost: 0, duplicates: 0, orderViolations: 0, p99Ms: null, error: (err as Error).message });
    }
    const r = runs[runs.length - 1];
    say(`  → sent ${r.sent}, acknowledged ${r.acknowledged}, answered once ${r.answeredOnce}, lost ${r.lost}, duplicates ${r.duplicates}, order violations ${r.orderViolations}, p99 ${r.p99Ms} ms${r.error ? `, ERROR ${String(r.error)}` : ''}`);
  }
} finally {
  await cleanup();
}
const failed = runs.filter((r) => r.error || r.lost > 0 || r.duplicates > 0 || r.acknowledged < r.sent);
if (json) console.log(JSON.stringify({ runs }));
else say(`fault suite: ${Math.round((Date.now() - suiteStart) / 1000)} s`);
say(`${runs.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
