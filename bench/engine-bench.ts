/**
 * `npm run bench:engine [-- --json] [--messages N] [--skip-redis]`: the full pipeline (accept →
 * store → queue → understand → route → commit → deliver) on a seeded SQLite shop, with the
 * in-process queue and with BullMQ on Redis. Throughput: N messages on many threads at once,
 * until drained. Latency: one message at a time, from accept to delivery of its last reply.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCrm } from '../src/crm/index.js';
import { seedShop, DEMO_PERSONAS } from '../src/crm/seed/index.js';
import { openDatabase } from '../src/db/database-client.js';
import { migrate } from '../src/db/migrator.js';
import { ChannelRegistry } from '../src/conversation/engine/channel-registry.js';
import { ConversationEngine } from '../src/conversation/engine/conversation-engine.js';
import { loadKnowledge } from '../src/conversation/engine/knowledge-answerer.js';
import { loadOrTrainClassifier } from '../src/conversation/nlu/intent-classifier.js';
import { warmUpTokenizer } from '../src/conversation/text/tokenizer.js';
import { BullmqQueue } from '../src/jobs/bullmq-queue.js';
import { createJobQueue } from '../src/jobs/queue-factory.js';
import { deleteRedisPrefix } from '../test/factories/redis-test-prefix.js';
import type { JobQueue } from '../src/jobs/job-queue.js';
import type { GroupLock } from '../src/jobs/group-lock.js';
import type { ChannelAdapter, OutboundEnvelope } from '../src/shared/message-types.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const count = Number(args[args.indexOf('--messages') + 1]) || 1000;
const ROOT = join(import.meta.dirname, '..');
const log = (s: string) => { if (!json) console.log(s); };

const Z = DEMO_PERSONAS.zhangSan;
const MESSAGES = [
  '你好', '在吗', '运费怎么算', '多久能到', `我的订单${Z.orders.inTransit}到哪了`, 'how long does a refund take', 'do you ship to Canada',
  '发票怎么开', '优惠券用不了', 'where is my order', 'can I pay with alipay', '谢谢', '怎么修改收货地址', 'what is your return policy',
];

class TimingChannel implements ChannelAdapter {
  readonly name = 'web' as const;
  readonly capabilities = { choices: true, cards: true, attachments: true, maxTextLength: 4000 };
  delivered = 0;
  private waiters = new Map<string, () => void>();
  async send(e: OutboundEnvelope): Promise<void> {
    this.delivered++;
    this.waiters.get(e.threadId)?.();
  }
  next(threadId: string): Promise<void> {
    return new Promise((r) => this.waiters.set(threadId, () => { this.waiters.delete(threadId); r(); }));
  }
}

function pct(sorted: number[], p: number): number {
  return +sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2);
}

async function run(label: string, makeQueue: () => Promise<{ queue: JobQueue; lock: GroupLock }>, cleanup: () => Promise<void> = async () => undefined) {
  const file = join(tmpdir(), `shopdesk-bench-${randomUUID().slice(0, 8)}.db`);
  const database = await openDatabase({ provider: 'sqlite', url: `file:${file}` });
  await migrate(database);
  await seedShop(database.db, { customers: 300, orders: 1500, seed: 11 });
  const [{ classifier }, knowledge] = await Promise.all([
    loadOrTrainClassifier({ intentsDir: join(ROOT, 'knowledge-base/intents'), cacheDir: join(ROOT, 'data/cache') }),
    loadKnowledge(join(ROOT, 'knowledge-base/faq'), { watch: false }),
  ]);
  warmUpTokenizer();
  const { queue, lock } = await makeQueue();
  const channel = new TimingChannel();
  const channels = new ChannelRegistry();
  channels.register(channel);
  const engine = new ConversationEngine({
    crm: createCrm(database.db), queue, lock, channels, classifier, kb: knowledge.answerer,
    policy: { name: 'Bench', timeZone: 'Asia/Shanghai', currency: 'CNY', defaultLocale: 'zh', orderNumberPattern: 'SD\\d{10}', returnWindowDays: 7, nonReturnableCategories: ['food'] },
  });
  engine.startWorkers({ concurrency: 8 });
  const send = (thread: string, i: number) => engine.accept({
    channel: 'web', platformMessageId: randomUUID(), threadId: thread, receivedAt: new Date(),
    sender: { id: `bench-${thread}`, ...(i % 4 === 0 ? { verified: { phone: Z.phone } } : {}) }, content: { type: 'text', text: MESSAGES[i % MESSAGES.length] },
  });

  // warm-up
  for (let i = 0; i < 30; i++) { const w = channel.next('warm'); await send('warm', i); await w; }
  await queue.drain(60_000);

  // latency: one message at a time
  const latencies: number[] = [];
  const latencyN = Math.min(300, count);
  for (let i = 0; i < latencyN; i++) {
    const thread = `lat-${i % 50}`;
    const t0 = performance.now();
    const done = channel.next(thread);
    await send(thread, i);
    await done;
    latencies.push(performance.now() - t0);
    await queue.drain(10_000);
  }
  latencies.sort((a, b) => a - b);

  // throughput: everything at once over 200 threads
  const t0 = performance.now();
  await Promise.all(Array.from({ length: count }, (_, i) => send(`tp-${i % 200}`, i)));
  await queue.drain(300_000);
  const seconds = (performance.now() - t0) / 1000;
  const processed = await database.db.message.count({ where: { direction: 'in', status: 'processed', threadId: { startsWith: 'tp-' } } });

  await queue.close();
  await cleanup();
  await database.close();
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
  const r = { pipeline: label, messages: count, processed, messagesPerSecond: +(processed / seconds).toFixed(1), p50Ms: pct(latencies, 50), p99Ms: pct(latencies, 99), maxMs: +latencies.at(-1)!.toFixed(2) };
  log(`${label.padEnd(28)} ${String(r.messagesPerSecond).padStart(8)} msg/s   p50 ${r.p50Ms} ms   p99 ${r.p99Ms} ms   (${processed}/${count} processed)`);
  return r;
}

async function nluLatency() {
  const { classifier } = await loadOrTrainClassifier({ intentsDir: join(ROOT, 'knowledge-base/intents'), cacheDir: join(ROOT, 'data/cache') });
  warmUpTokenizer();
  const times: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const t0 = performance.now();
    classifier.predict(MESSAGES[i % MESSAGES.length] + (i % 7 ? '' : ' 亲 快点发货吧 please hurry'));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { nluP50Ms: pct(times, 50), nluP99Ms: pct(times, 99) };
}

const nlu = await nluLatency();
log(`NLU predict: p50 ${nlu.nluP50Ms} ms, p99 ${nlu.nluP99Ms} ms`);
const inProcess = await run('in-process queue + SQLite', async () => createJobQueue({ attempts: 3, backoffMs: 50, concurrency: 8 }));
let bullmq: Awaited<ReturnType<typeof run>> | { skipped: string } = { skipped: '--skip-redis' };
if (!args.includes('--skip-redis')) {
  const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  try {
    const prefix = `shopdesk-bench-${randomUUID().slice(0, 6)}`;
    bullmq = await run('BullMQ + Redis + SQLite', async () => {
      const q = new BullmqQueue({ redisUrl, prefix, attempts: 3, backoffMs: 50, concurrency: 8 });
      await q.connect();
      return { queue: q, lock: q.groupLock() };
    }, () => deleteRedisPrefix(prefix, redisUrl));
  } catch (err) {
    bullmq = { skipped: `Redis unavailable: ${(err as Error).message}` };
    log(`BullMQ: skipped (${(err as Error).message})`);
  }
}
const result = { ...inProcess, nluP50Ms: nlu.nluP50Ms, nluP99Ms: nlu.nluP99Ms, pipelines: { inProcess, bullmq } };
if (json) console.log(JSON.stringify(result));
process.exit(0);
