import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrm, type Crm } from '../../src/crm/index.js';
import { parseQuestion } from '../../src/assistant/ask-parser.js';
import type { AskQuery } from '../../src/assistant/ask-query.js';
import type { AskReading } from '../../src/assistant/ask-renderer.js';
import { AskService, TERMINAL_PRINCIPAL, type AskStaff } from '../../src/assistant/ask-service.js';
import type { Db } from '../../src/db/database-client.js';
import { buildAskFixtureShop, FIXTURE_NOW, FIXTURE_TZ, type FixtureShop } from '../factories/ask-fixture-shop.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';

/*
 * The service around the executor: the reading echoed first, roles, masking, the audit log, charts
 * and bad input. Engine behaviour is tested with typed queries handed in through a parser stand-in
 * (a table of question → query); only the bad-input cases go through the real parser.
 */
let t: TestDatabase;
let crm: Crm;
let shop: FixtureShop;
let manager: AskStaff;
let agent: AskStaff;

const LAST_WEEK = { from: '2025-03-10', to: '2025-03-16' };
const metric = (m: Extract<AskQuery, { kind: 'metric' }>['metric'], extra: Partial<Extract<AskQuery, { kind: 'metric' }>> = {}): AskQuery =>
  ({ kind: 'metric', metric: m, ...LAST_WEEK, groupBy: null, compare: null, limit: null, filters: {}, ...extra });
const TABLE: Record<string, { query: AskQuery; reading: AskReading }> = {
  上周销售额: { query: metric('revenue'), reading: { lang: 'zh', periodLabel: '上周', compareLabel: null } },
  'revenue last week vs the week before': { query: metric('revenue', { compare: 'previous_period' }), reading: { lang: 'en', periodLabel: 'last week', compareLabel: 'vs the week before' } },
  上周销售额按天: { query: metric('revenue', { groupBy: 'day' }), reading: { lang: 'zh', periodLabel: '上周', compareLabel: null } },
  未结工单: { query: metric('open_tickets', { from: null, to: null }), reading: { lang: 'zh', periodLabel: null, compareLabel: null } },
  '13800138000': { query: { kind: 'lookup', lookup: 'customer', customer: { phone: '13800138000' }, order: null, from: null, to: null, filters: {} }, reading: { lang: 'zh', periodLabel: null, compareLabel: null } },
  张三: { query: { kind: 'lookup', lookup: 'customer', customer: { name: '张三' }, order: null, from: null, to: null, filters: {} }, reading: { lang: 'zh', periodLabel: null, compareLabel: null } },
};
const standIn = (text: string) => TABLE[text] ?? { query: { kind: 'unsupported' as const, reason: 'not_understood' as const }, reading: { lang: 'zh' as const, periodLabel: null, compareLabel: null } };

function service(opts: { agentSeesFigures?: boolean; real?: boolean } = {}) {
  return new AskService({ crm, parse: opts.real ? parseQuestion : standIn, timeZone: FIXTURE_TZ, currency: 'CNY', access: { agentSeesFigures: opts.agentSeesFigures ?? false }, clock: () => FIXTURE_NOW });
}

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const models = ['customer', 'identity', 'product', 'order', 'orderItem', 'orderEvent', 'ticket', 'ticketEvent', 'conversation', 'conversationEvent', 'message', 'feedback', 'staffMember', 'auditLog', 'setting'] as const;
  const out: Record<string, number> = {};
  for (const m of models) out[m] = await (db[m] as unknown as { count(): Promise<number> }).count();
  return out;
}

beforeAll(async () => {
  t = await createTestDatabase();
  crm = createCrm(t.db);
  shop = await buildAskFixtureShop(t.db);
  const m = await crm.staff.create({ loginName: 'mike', role: 'manager', passwordHash: 'x', actor: 'test' });
  const a = await crm.staff.create({ loginName: 'wang', role: 'agent', passwordHash: 'x', actor: 'test' });
  manager = { id: m.id, name: 'mike', role: 'manager' };
  agent = { id: a.id, name: 'wang', role: 'agent' };
}, 60_000);
afterAll(async () => {
  await t?.destroy();
});

describe('answers', () => {
  it('echoes the reading first, then the figure with its currency and what is beside it (zh)', async () => {
    const a = await service().ask('上周销售额', { staff: manager, channel: 'test', chart: false });
    expect(a.understood).toBe(true);
    expect(a.text).toBe('上周(3/10–3/16) 销售额 ¥375.00（总额 ¥395.00，退款 ¥20.00，共 4 单）');
  });

  it('gives the comparison as absolute and relative change (en)', async () => {
    const a = await service().ask('revenue last week vs the week before', { staff: manager, channel: 'test', chart: false });
    expect(a.text.split('\n')).toEqual([
      'Revenue, last week (Mar 10–16): ¥375.00 (gross ¥395.00, refunds ¥20.00, 4 orders)',
      'vs the week before (Mar 3–9): ¥20.00, change +¥355.00 (+1775.0%)',
    ]);
  });

  it('renders a breakdown as a table and a PNG chart', async () => {
    const a = await service().ask('上周销售额按天', { staff: manager, channel: 'test' });
    expect(a.text).toContain('03-15   ¥95.00     1');
    expect(a.chart?.png.subarray(1, 4).toString()).toBe('PNG');
    expect(a.chart?.title).toBe('上周(3/10–3/16) 销售额 按天');
  });
});

describe('roles', () => {
  it('refuses sales figures to an agent by default, but answers service figures', async () => {
    const refused = await service().ask('上周销售额', { staff: agent, channel: 'test', chart: false });
    expect(refused.result).toEqual({ type: 'notice', notice: 'not_allowed' });
    expect(refused.text).toContain('客服账号不能查看');
    expect(refused.text).not.toContain('375');
    const allowed = await service().ask('未结工单', { staff: agent, channel: 'test', chart: false });
    expect(allowed.text).toContain('未结工单 4 张');
  });

  it('lets an agent see figures when ASK_AGENT_SEES_FIGURES is on', async () => {
    const a = await service({ agentSeesFigures: true }).ask('上周销售额', { staff: agent, channel: 'test', chart: false });
    expect(a.text).toContain('¥375.00');
  });

  it('masks phone middle digits and e-mail local parts for agents, not for managers', async () => {
    const forAgent = await service().ask('13800138000', { staff: agent, channel: 'test' });
    expect(forAgent.text).toContain('138****8000');
    expect(forAgent.text).toContain('al***@example.com');
    expect(JSON.stringify(forAgent.result)).not.toMatch(/13800138000|alice@/);
    const forManager = await service().ask('13800138000', { staff: manager, channel: 'test' });
    expect(forManager.text).toContain('13800138000 · alice@example.com');
    // the count beside the name is of paid orders: the list below it may hold a pending one too
    expect(forManager.text).toMatch(/已付款 \d+ 单/);
  });

  it('lists namesakes and asks which', async () => {
    const a = await service().ask('张三', { staff: manager, channel: 'test' });
    expect(a.text.split('\n')[0]).toContain('有 2 位客户名为 “张三”');
    expect(a.text).toContain(`张三 (#${shop.ids.E})`);
    expect(a.text).toContain(`张三 (#${shop.ids.F})`);
  });
});

describe('audit', () => {
  it('records who asked and the query it ran, with contact values masked and the customers seen', async () => {
    await service().ask('13800138000', { staff: agent, channel: 'rest' });
    const row = await t.db.auditLog.findFirst({ where: { action: 'assistant.ask' }, orderBy: { id: 'desc' } });
    expect(row).toMatchObject({ actor: `staff:${agent.id}`, entity: 'AskQuery', entityId: 'customer' });
    const detail = JSON.parse(row!.detail!);
    expect(detail).toMatchObject({ role: 'agent', channel: 'rest', outcome: 'found', customerIds: [shop.ids.A], query: { kind: 'lookup', customer: { phone: '138****8000' } } });
    expect(row!.detail).not.toContain('13800138000');
  });

  it('records a refused question too, and the terminal principal as cli:terminal', async () => {
    await service().ask('上周销售额', { staff: agent, channel: 'desk', chart: false });
    const refused = await t.db.auditLog.findFirst({ where: { action: 'assistant.ask' }, orderBy: { id: 'desc' } });
    expect(JSON.parse(refused!.detail!)).toMatchObject({ outcome: 'not_allowed', query: { metric: 'revenue' } });
    await service().ask('未结工单', { staff: TERMINAL_PRINCIPAL, channel: 'cli', chart: false });
    expect((await t.db.auditLog.findFirst({ where: { action: 'assistant.ask' }, orderBy: { id: 'desc' } }))?.actor).toBe('cli:terminal');
  });
});

describe('bad input (through the real parser)', () => {
  const ask = (text: string) => service({ real: true }).ask(text, { staff: manager, channel: 'test', now: FIXTURE_NOW });

  it('refuses a request to change data, listing what it can do, and writes nothing but the audit row', async () => {
    const before = await rowCounts(t.db);
    const a = await ask('delete all customers');
    expect(a.query).toEqual({ kind: 'unsupported', reason: 'write_request' });
    expect(a.text).toMatch(/can only look things up/);
    expect(a.text).toContain('revenue last week');
    expect(await rowCounts(t.db)).toEqual({ ...before, auditLog: before.auditLog + 1 });
  });

  it('treats SQL and script as text: a clear answer, tables intact, only the audit row written', async () => {
    for (const text of [`'; DROP TABLE "Customer"; --`, `<script>alert(1)</script> 销售额`, `1 OR 1=1; SELECT * FROM "StaffApiToken"`]) {
      const before = await rowCounts(t.db);
      const a = await ask(text);
      expect(a.text.length).toBeGreaterThan(10);
      expect(a.text).not.toMatch(/sdk_|tokenHash/);
      expect(await rowCounts(t.db)).toEqual({ ...before, auditLog: before.auditLog + 1 });
    }
  });

  it('answers 10 KB of text with a short refusal, unparsed', async () => {
    const a = await ask('上周销售额'.repeat(2100));
    expect(a.understood).toBe(false);
    expect(a.text).toMatch(/问题太长了/);
  });

  it('says 1900 has no data instead of failing', async () => {
    const a = await ask('1900年的销售额');
    expect(a.text).toContain('没有数据');
    expect(a.text).toContain('2024-12-01');
  });

  it('says a future month has not happened yet', async () => {
    const a = await service({ real: true }).ask('2025年12月的销售额', { staff: manager, channel: 'test', now: FIXTURE_NOW });
    expect(a.result).toMatchObject({ type: 'notice', notice: 'future' });
    expect(a.text).toContain('还没到');
  });

  it('says so for an unknown customer', async () => {
    const a = await ask('王五的订单');
    expect(a.text).toContain('没有找到名为 “王五”的客户');
  });
});
