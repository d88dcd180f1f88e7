/**
 * `npm run bench:channels [-- --json] [--seconds N]`: the e-mail channel's decoding — raw RFC 822
 * bytes to a `DecodedMail` (charsets, HTML to text, quote and signature stripping, attachments) —
 * on a mixed corpus: the fixtures in src/channels/email/__fixtures__ (GBK, Big5, QQ, Outlook,
 * Gmail, HTML with attachments, DSNs, malformed MIME) plus a larger HTML newsletter-sized mail.
 * Reports mails per second and the p99 time of one mail, on one core. Then WeCom kf callbacks
 * (bench/wechat-callback-bench.ts): acknowledged per second and ack p99 (target ≤ 200 ms) against
 * the whole app — a web and a worker process on Redis, and all in one process —
 * `--callbacks N` (default 200) at `--concurrency C` (default 10).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeMail } from '../src/channels/email/mail-decode.js';
import { benchAllInOne, benchWebAndWorker } from './wechat-callback-bench.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const seconds = Number(args[args.indexOf('--seconds') + 1]) || 5;
const dir = join(import.meta.dirname, '..', 'src', 'channels', 'email', '__fixtures__');
const corpus = readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(join(dir, f)));
const rows = Array.from({ length: 200 }, (_, i) => `<tr><td>商品 ${i}</td><td>¥${(i * 13) % 500}.00</td><td><a href="https://shop.example/p/${i}">查看</a></td></tr>`).join('');
corpus.push(Buffer.from([
  'From: Shop <news@shop.example>', 'To: a@example.com', 'Subject: =?utf-8?B?5pys5ZGo54m55Lu3?=', 'Message-ID: <big-html@shop.example>',
  'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '', `<html><body><h1>本周特价</h1><table>${rows}</table><blockquote>old</blockquote></body></html>`, '',
].join('\r\n')));
const bytes = corpus.reduce((n, b) => n + b.length, 0);

for (const raw of corpus) await decodeMail(raw); // warm-up
const times: number[] = [];
const deadline = performance.now() + seconds * 1000;
let i = 0;
while (performance.now() < deadline) {
  const t = performance.now();
  await decodeMail(corpus[i++ % corpus.length]);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const total = times.reduce((a, b) => a + b, 0);
const kfLoad = { callbacks: Number(args[args.indexOf('--callbacks') + 1]) || 200, concurrency: Number(args[args.indexOf('--concurrency') + 1]) || 10 };
const wecomKf = [await benchWebAndWorker(kfLoad), await benchAllInOne(kfLoad)];
const result = {
  wecomKf,
  email: {
    corpusMails: corpus.length, corpusBytes: bytes, mailsParsed: times.length,
    mailsPerSecond: Math.round((times.length / total) * 1000),
    p50Ms: Number(times[Math.floor(times.length * 0.5)].toFixed(3)), p99Ms: Number(times[Math.floor(times.length * 0.99)].toFixed(3)),
  },
};
if (json) console.log(JSON.stringify(result));
else {
  for (const k of wecomKf) console.log(`WeCom kf callbacks (${k.topology}): ${k.callbacksAckedPerSecond}/s acknowledged (${k.callbacks} at concurrency ${k.concurrency}); ack p50 ${k.ackP50Ms} ms, p99 ${k.ackP99Ms} ms (target ≤ 200), max ${k.ackMaxMs} ms; ${k.answered} answered through send_msg (${k.answeredPerSecond}/s end to end), ${k.doubleSends} sent twice; an empty GET /healthz on the same process meanwhile: p50 ${k.healthzP50Ms} ms, p99 ${k.healthzP99Ms} ms`);
}
if (!json) console.log(`e-mail decoding: ${result.email.mailsPerSecond} mails/s over ${times.length} mails (${corpus.length}-mail mixed corpus, ${Math.round(bytes / 1024)} KB); p50 ${result.email.p50Ms} ms, p99 ${result.email.p99Ms} ms`);
