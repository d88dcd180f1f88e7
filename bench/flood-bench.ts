/**
 * `npm run bench:flood [-- --json] [--flood N]`: one web chat socket sends N (default 1,500)
 * messages as fast as it can while another customer asks ten questions one at a time; prints that
 * customer's reply times alone, during the flood with the shop's limits, and during the flood with
 * limits lifted (what happened before issue 6). Real engine, real web chat over HTTP and
 * WebSocket, SQLite, in-process queue.
 */
import { performance } from 'node:perf_hooks';
import { ChatBrowser, type ChatSocket } from '../test/factories/web-chat-client.js';
import { startWebChatApp } from '../test/factories/web-chat-app.js';
import { rootLogger } from '../src/shared/logger.js';

rootLogger().level = process.env.LOG_LEVEL ?? 'silent';
const args = process.argv.slice(2);
const json = args.includes('--json');
const floodSize = Number(args[args.indexOf('--flood') + 1]) || 1500;
const log = (s: string) => { if (!json) console.log(s); };
const QUESTIONS = ['运费怎么算', 'how long does a refund take', '发票怎么开', 'do you ship to Canada', '优惠券用不了', 'what is your return policy', '多久能到', 'can I pay with alipay', '怎么修改收货地址', '谢谢'];

function pct(sorted: number[], p: number): number {
  return +sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1);
}

/** Ten questions, one at a time: time from sending to the first reply frame. */
async function askTen(socket: ChatSocket, tag: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < QUESTIONS.length; i++) {
    const before = socket.frames.filter((f) => f.type === 'reply').length;
    const t0 = performance.now();
    const id = `${tag}-${String(i).padStart(6, '0')}`;
    socket.send({ type: 'message', clientMessageId: id, text: QUESTIONS[i] });
    await socket.waitFor('ack', (f) => f.clientMessageId === id, 120_000);
    await socket.waitFor('reply', () => socket.frames.filter((f) => f.type === 'reply').length > before, 120_000);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

async function scenario(label: string, flood: boolean, limited: boolean) {
  const lifted = { points: 1_000_000, perMs: 1000 };
  const app = await startWebChatApp(limited ? {} : { limits: { messagesPerConnection: lifted, messagesPerVisitor: lifted, messagesPerIp: lifted } });
  try {
    const other = await new ChatBrowser(app.base).connect({ locale: 'zh-CN' });
    await other.waitFor('history');
    await askTen(other, 'warm'); // model, caches and connections warm
    let flooder: ChatSocket | undefined;
    if (flood) {
      flooder = await new ChatBrowser(app.base).connect({ locale: 'zh-CN' });
      await flooder.waitFor('history');
      for (let i = 0; i < floodSize; i++) flooder.send({ type: 'message', clientMessageId: `flood-${String(i).padStart(6, '0')}`, text: `刷屏 ${i}` });
    }
    const times = await askTen(other, 'ask');
    const acked = flooder?.frames.filter((f) => f.type === 'ack').length ?? 0;
    const refused = flooder?.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited').length ?? 0;
    const r = { p50Ms: pct(times, 50), maxMs: pct(times, 100), floodSent: flood ? floodSize : 0, floodStored: acked, floodRefused: refused, floodSocketClosed: flooder?.closeCode ?? null };
    log(`${label.padEnd(28)} reply p50 ${String(r.p50Ms).padStart(8)} ms   max ${String(r.maxMs).padStart(8)} ms   flood stored ${acked}, refused ${refused}${r.floodSocketClosed ? `, socket closed (${r.floodSocketClosed})` : ''}`);
    other.close();
    flooder?.close();
    return r;
  } finally {
    await app.close();
  }
}

const alone = await scenario('alone', false, true);
const withLimits = await scenario(`flood ${floodSize}, limits on`, true, true);
const withoutLimits = await scenario(`flood ${floodSize}, limits off`, true, false);
if (json) console.log(JSON.stringify({ floodSize, alone, withLimits, withoutLimits }));
