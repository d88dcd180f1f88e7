import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startShopdesk } from '../src/main.js';
import { ShopdeskProcess } from '../test/faults/shopdesk-process.js';
import { kfEventXml, newAesKey, signedCallback, type CallbackSecrets } from '../test/factories/wechat-callbacks.js';
import { deleteRedisPrefix } from '../test/factories/redis-test-prefix.js';
import { createTestDatabase } from '../test/factories/test-database.js';
import { startWechatStub, type WechatStub } from '../test/factories/wechat-stub-server.js';

const ROOT = join(import.meta.dirname, '..');
const KF = 'wkBENCH';
const PATH = '/wecom/kf/callback';
/** Its own Redis database, so the default key prefix of the spawned processes meets nobody else's. */
const BENCH_REDIS = `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/13`;

export interface CallbackFigures {
  topology: string; callbacks: number; concurrency: number;
  callbacksAckedPerSecond: number; ackP50Ms: number; ackP99Ms: number; ackMaxMs: number;
  answered: number; answeredPerSecond: number; doubleSends: number;
  /** The same process answering GET /healthz (no work at all) during the run: the machine's own floor. */
  healthzP50Ms: number; healthzP99Ms: number;
}

function pct(sorted: number[], p: number): number {
  return +sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Customers each write once; WeCom's signed+encrypted callback is posted `concurrency` at a time
 * and each ack is timed from the client (verify, decrypt, nonce and signal persisted, `success`).
 * Then: the time until every message was pulled, answered by the engine and sent through send_msg.
 */
async function drive(url: string, stub: WechatStub, secrets: CallbackSecrets, o: { callbacks: number; concurrency: number; topology: string }): Promise<CallbackFigures> {
  const texts = ['你们几点发货？', '运费多少', 'how long is shipping?', '你好'];
  const acks: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < o.callbacks) {
      const i = next++;
      const w = stub.customerWrites(KF, `wm${o.topology}${i}`, { text: texts[i % texts.length] });
      const cb = signedCallback(secrets, kfEventXml(stub.corpId, w.token, KF));
      const t = performance.now();
      const r = await fetch(`${url}${PATH}?${cb.search}`, { method: 'POST', body: cb.body, headers: { 'content-type': 'text/xml' } });
      const text = await r.text();
      acks.push(performance.now() - t);
      if (text !== 'success') throw new Error(`callback ${i} answered ${r.status} ${text}`);
    }
  };
  const probes: number[] = [];
  let probing = true;
  const probe = async () => {
    while (probing) {
      const t = performance.now();
      await fetch(`${url}/healthz`).then((r) => r.text());
      probes.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const prober = probe();
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  probing = false;
  await prober;
  probes.sort((a, b) => a - b);
  const ackedIn = performance.now() - started;
  const users = () => new Set(stub.sent.map((s) => s.touser)).size;
  const deadline = Date.now() + 180_000;
  while (users() < o.callbacks && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const answeredIn = performance.now() - started;
  acks.sort((a, b) => a - b);
  return {
    topology: o.topology, callbacks: o.callbacks, concurrency: o.concurrency,
    callbacksAckedPerSecond: Math.round((o.callbacks / ackedIn) * 1000),
    ackP50Ms: pct(acks, 50), ackP99Ms: pct(acks, 99), ackMaxMs: +acks.at(-1)!.toFixed(2),
    answered: users(), answeredPerSecond: Math.round((users() / answeredIn) * 1000),
    doubleSends: stub.sent.length - new Set(stub.sent.map((s) => s.msgid)).size,
    healthzP50Ms: pct(probes, 50), healthzP99Ms: pct(probes, 99),
  };
}

function kfEnv(stub: WechatStub, secrets: CallbackSecrets, dir: string): Record<string, string> {
  return {
    DATABASE_URL: `file:${dir}/bench.db`, LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATA_DIR: join(ROOT, 'data'), KB_DIR: join(ROOT, 'knowledge-base'),
    SERVICE_HOURS: 'always', WEBCHAT_SECRET: 'bench-webchat-secret-0123456789',
    WECOM_KF_CORP_ID: stub.corpId, WECOM_KF_SECRET: stub.secret, WECOM_KF_TOKEN: secrets.token, WECOM_KF_AES_KEY: secrets.aesKey, WECOM_API_BASE: stub.baseUrl,
  };
}

/** All in one process (ROLE=all, SQLite): the callback route shares its event loop with the engine's turns. */
export async function benchAllInOne(o: { callbacks: number; concurrency: number }): Promise<CallbackFigures> {
  const stub = await startWechatStub();
  const dir = mkdtempSync(join(tmpdir(), 'shopdesk-kf-bench-'));
  const secrets = { token: 'benchTOKEN', aesKey: newAesKey(), receiverId: stub.corpId };
  const app = await startShopdesk({ env: { ...kfEnv(stub, secrets, dir), PORT: '0', REDIS_URL: undefined } });
  try {
    return await drive(app.url!, stub, secrets, { ...o, topology: 'all-in-one' });
  } finally {
    await app.stop();
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A web process (ROLE=web: callbacks and pulls) and a worker process (ROLE=worker: turns) on Redis and PostgreSQL, as a shop scales out. */
export async function benchWebAndWorker(o: { callbacks: number; concurrency: number }): Promise<CallbackFigures> {
  const stub = await startWechatStub();
  const dir = mkdtempSync(join(tmpdir(), 'shopdesk-kf-bench-'));
  const secrets = { token: 'benchTOKEN', aesKey: newAesKey(), receiverId: stub.corpId };
  await deleteRedisPrefix('shopdesk', BENCH_REDIS);
  const pg = await createTestDatabase('postgres');
  const env = { ...kfEnv(stub, secrets, dir), DATABASE_URL: pg.url, REDIS_URL: BENCH_REDIS, LOG_LEVEL: 'warn' };
  const web = new ShopdeskProcess(ROOT, 'kf-bench-web', await freePort(), { ...env, ROLE: 'web' }, dir);
  const worker = new ShopdeskProcess(ROOT, 'kf-bench-worker', await freePort(), { ...env, ROLE: 'worker' }, dir);
  try {
    await web.start(120_000);
    await worker.start(120_000);
    return await drive(web.url, stub, secrets, { ...o, topology: 'web+worker' });
  } finally {
    await web.stop();
    await worker.stop();
    await stub.close();
    await deleteRedisPrefix('shopdesk', BENCH_REDIS);
    await pg.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
