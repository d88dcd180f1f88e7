/**
 * `npm run bench:ask-parse [-- --json] [--set PATH] [--rounds N]`: how long the ask parser takes
 * per question (no database: parsing only). Questions come from a labelled set (default the
 * development set, test/data/ask/ask-dev.jsonl) plus a few long and hostile inputs; the first
 * parse (which builds the traditional→simplified converter and the typo index) is reported apart.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseQuestion } from '../src/assistant/ask-parser.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 30;
const setPath = args.includes('--set') ? args[args.indexOf('--set') + 1] : join(import.meta.dirname, '..', 'test', 'data', 'ask', 'ask-dev.jsonl');

const fromSet = existsSync(setPath)
  ? readFileSync(setPath, 'utf8').split('\n').filter((l) => l.trim()).map((l) => (JSON.parse(l) as { question: string }).question)
  : [];
const questions = [
  ...fromSet,
  '上周销售额多少', 'revenue last week vs the week before', '这个月卖得最好的5个商品', '张三的订单', 'SD2501019001 物流',
  '過去三個月每個月的營業額', 'how many orders had a delayed shipment between Nov 1 and Nov 15', 'delete all customers',
  'select * from orders where 1=1; drop table customers; --', `上周销售额${'啊'.repeat(10_000)}`, 'x'.repeat(10_000),
  'revnue custoemrs ordrs yesterdy lst wk reveune salse refnud', 'Alice Smith', 'orders for Alice Smith last month',
];
const opts = { now: new Date('2026-12-03T10:00:00+08:00'), timeZone: 'Asia/Shanghai' };

const coldStart = performance.now();
parseQuestion(questions[0], opts);
const coldMs = performance.now() - coldStart;

const times: number[] = [];
// per-parse CPU time: what the parser costs even when the OS hands the core to someone else
const cpuTimes: number[] = [];
const cpuBefore = process.cpuUsage();
for (let r = 0; r < rounds; r++) {
  for (const q of questions) {
    const c0 = process.cpuUsage();
    const t = performance.now();
    parseQuestion(q, opts);
    times.push(performance.now() - t);
    const c1 = process.cpuUsage(c0);
    cpuTimes.push((c1.user + c1.system) / 1000);
  }
}
const cpu = process.cpuUsage(cpuBefore);
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
const at = (xs: number[], p: number): number => Math.round(xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] * 1000) / 1000;
const pct = (p: number): number => at(times, p);
const report = {
  questions: questions.length, parses: times.length, coldFirstParseMs: Math.round(coldMs * 10) / 10,
  parseMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: pct(100) },
  // CPU time is what the parser costs; wall-clock tails also hold time the OS gave other processes
  cpuMsPerParse: Math.round(((cpu.user + cpu.system) / 1000 / times.length) * 1000) / 1000,
  cpuMs: { p50: at(cpuTimes, 50), p99: at(cpuTimes, 99) },
  loadAverage: Math.round(loadavg()[0] * 10) / 10,
};
if (json) console.log(JSON.stringify(report));
else {
  console.log(`ask parser: ${report.parses} parses of ${report.questions} questions`);
  console.log(`  first parse (cold): ${report.coldFirstParseMs} ms`);
  console.log(`  p50 ${report.parseMs.p50} ms, p90 ${report.parseMs.p90} ms, p99 ${report.parseMs.p99} ms, max ${report.parseMs.max} ms`);
  console.log(`  CPU ${report.cpuMsPerParse} ms per parse on average; per parse p50 ${report.cpuMs.p50} ms, p99 ${report.cpuMs.p99} ms (load average ${report.loadAverage})`);
}
