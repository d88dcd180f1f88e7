/**
 * `npm run bench:desk [-- --json] [--handoffs N] [--replies N] [--skip-redis]`: the staff desk's two
 * paths through the running app, over real HTTP and WebSockets.
 *  - handoff → notification: a customer's "转人工" sent on /ws/chat until the handoff notification
 *    reaches an open /ws/desk (engine turn → commit with outbox row → queue → desk notifier → bus).
 *  - staff reply → customer: POST /desk/api/conversations/:id/messages until the reply frame
 *    reaches the customer's /ws/chat (transaction → delivery queue → web chat adapter → bus).
 * Both with the in-process queue and with BullMQ on Redis; SQLite database.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { hashPassword } from '../src/desk/auth/password-hashing.js';
import { startShopdesk } from '../src/main.js';
import { deleteRedisPrefix } from '../test/factories/redis-test-prefix.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const arg = (name: string, dflt: number) => Number(args[args.indexOf(name) + 1]) || dflt;
const handoffs = arg('--handoffs', 100);
const replies = arg('--replies', 200);
const ROOT = join(import.meta.dirname, '..');
const log = (s: string) => { if (!json) console.log(s); };

function pct(sorted: number[], p: number): number {
  return +sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2);
}
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50Ms: pct(s, 50), p99Ms: pct(s, 99), maxMs: +s.at(-1)!.toFixed(2) };
};

function open(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function run(label: string, redis?: { url: string; prefix: string }) {
  const dir = mkdtempSync(join(tmpdir(), 'shopdesk-desk-bench-'));
  const app = await startShopdesk({
    env: {
      DATABASE_URL: `file:${dir}/bench.db`, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATA_DIR: join(ROOT, 'data'), KB_DIR: join(ROOT, 'knowledge-base'),
      SERVICE_HOURS: 'always', DESK_AUTO_ASSIGN: 'false', WEBCHAT_SECRET: 'bench-webchat-secret-0123456789', REDIS_URL: redis?.url,
    },
    redisPrefix: redis?.prefix,
  });
  const base = app.url!;
  const ws = base.replace('http', 'ws');
  try {
    const staff = await app.crm.staff.create({ loginName: 'bench', role: 'agent', passwordHash: await hashPassword('bench-password-1'), actor: 'bench' });
    await app.crm.staff.setPassword(staff.id, await hashPassword('bench-password-1'), { oneTime: false, actor: 'bench' });
    const token = await app.desk.auth.createApiToken(staff.id, 'bench', 'bench');
    const login = await fetch(`${base}/desk/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'bench', password: 'bench-password-1' }) });
    const deskCookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const desk = await open(`${ws}/ws/desk`, { Cookie: deskCookie, Origin: base });
    const waitingFor = new Map<string, (conversationId?: number) => void>();
    desk.on('message', (d) => {
      const f = JSON.parse(String(d)) as { kind?: string; conversationId?: number; preview?: string };
      if (f.kind === 'handoff' && f.preview) waitingFor.get(f.preview)?.(f.conversationId);
    });

    const customer = async () => {
      // the web chat protocol as the page speaks it: a session, then the socket with its ticket
      const session = await fetch(`${base}/api/webchat/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: base }, body: JSON.stringify({ locale: 'zh-CN' }) });
      const { socketUrl } = (await session.json()) as { socketUrl: string };
      return { socket: await open(`${ws}${socketUrl}`, { Origin: base }) };
    };

    // handoff → desk notification
    const handoffMs: number[] = [];
    const claimed: { id: number; socket: WebSocket }[] = [];
    for (let i = 0; i < handoffs + 5; i++) {
      const c = await customer();
      const text = `转人工 ${i} ${randomUUID().slice(0, 8)}`;
      const arrived = new Promise<number | undefined>((r) => waitingFor.set(text, r));
      const t0 = performance.now();
      c.socket.send(JSON.stringify({ type: 'message', clientMessageId: randomUUID(), text }));
      const conversationId = await arrived;
      if (i >= 5) handoffMs.push(performance.now() - t0); // the first few warm up
      waitingFor.delete(text);
      if (claimed.length < 20 && conversationId) claimed.push({ id: conversationId, socket: c.socket });
      else c.socket.close();
    }
    await app.queue.drain(30_000);

    // staff reply → customer's browser socket
    for (const c of claimed) await fetch(`${base}/desk/api/conversations/${c.id}/claim`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    await app.queue.drain(30_000);
    const replyMs: number[] = [];
    for (let i = 0; i < replies + 5; i++) {
      const c = claimed[i % claimed.length];
      const text = `reply ${i} ${randomUUID().slice(0, 8)}`;
      const got = new Promise<void>((resolve) => {
        const onMsg = (d: unknown) => {
          const f = JSON.parse(String(d)) as { type: string; message?: { text?: string } };
          if (f.type === 'reply' && f.message?.text === text) { c.socket.off('message', onMsg); resolve(); }
        };
        c.socket.on('message', onMsg);
      });
      const t0 = performance.now();
      const r = await fetch(`${base}/desk/api/conversations/${c.id}/messages`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ text, clientId: randomUUID() }) });
      if (!r.ok) throw new Error(`reply failed: ${r.status} ${await r.text()}`);
      await got;
      if (i >= 5) replyMs.push(performance.now() - t0);
    }
    desk.close();
    for (const c of claimed) c.socket.close();
    const result = { pipeline: label, handoffToNotification: summary(handoffMs), staffReplyToCustomer: summary(replyMs) };
    log(`${label.padEnd(26)} handoff → desk notification p50 ${result.handoffToNotification.p50Ms} ms, p99 ${result.handoffToNotification.p99Ms} ms (n=${handoffMs.length})`);
    log(`${''.padEnd(26)} staff reply → customer      p50 ${result.staffReplyToCustomer.p50Ms} ms, p99 ${result.staffReplyToCustomer.p99Ms} ms (n=${replyMs.length})`);
    return result;
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const inProcess = await run('in-process queue + SQLite');
let bullmq: Awaited<ReturnType<typeof run>> | { skipped: string } = { skipped: '--skip-redis' };
if (!args.includes('--skip-redis')) {
  const url = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `shopdesk-bench-${randomUUID().slice(0, 6)}`;
  try {
    bullmq = await run('BullMQ + Redis + SQLite', { url, prefix });
  } catch (err) {
    bullmq = { skipped: `Redis unavailable: ${(err as Error).message}` };
    log(`BullMQ: skipped (${(err as Error).message})`);
  } finally {
    await deleteRedisPrefix(prefix, url).catch(() => undefined);
  }
}
if (json) console.log(JSON.stringify({ handoffs, replies, pipelines: { inProcess, bullmq } }));
process.exit(0);
