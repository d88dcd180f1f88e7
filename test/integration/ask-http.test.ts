import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAskRouter } from '../../src/assistant/ask-http-router.js';
import { AskService } from '../../src/assistant/ask-service.js';
import type { AskQuery } from '../../src/assistant/ask-query.js';
import { createCrm, type Crm } from '../../src/crm/index.js';
import { InProcessRateLimiter } from '../../src/shared/rate-limiter.js';
import { StaffAuth } from '../../src/desk/auth/staff-auth.js';
import { createHttpApp, listen } from '../../src/http/http-server.js';
import { buildAskFixtureShop, FIXTURE_NOW, FIXTURE_TZ } from '../factories/ask-fixture-shop.js';
import { addStaff } from '../factories/desk-client.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';

/*
 * POST /api/staff/ask over real HTTP with the desk's real staff authentication: bearer tokens
 * made like `shopdesk staff token NAME`, a /desk session cookie with its CSRF token, and what an
 * outsider might send instead. The parser is a stand-in (a table), as the engine is what is tested.
 */
let t: TestDatabase;
let crm: Crm;
let server: Server;
let base: string;
let auth: StaffAuth;
const tokens: Record<string, string> = {};

const LAST_WEEK = { from: '2025-03-10', to: '2025-03-16' };
const QUERIES: Record<string, AskQuery> = {
  上周销售额: { kind: 'metric', metric: 'revenue', ...LAST_WEEK, groupBy: null, compare: null, limit: null, filters: {} },
  上周销售额按天: { kind: 'metric', metric: 'revenue', ...LAST_WEEK, groupBy: 'day', compare: null, limit: null, filters: {} },
};

async function post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/api/staff/ask`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function askService(): AskService {
  return new AskService({
    crm, timeZone: FIXTURE_TZ, currency: 'CNY', access: { agentSeesFigures: false }, clock: () => FIXTURE_NOW,
    parse: (text) => ({ query: QUERIES[text] ?? { kind: 'unsupported', reason: 'not_understood' }, reading: { lang: 'zh', periodLabel: '上周', compareLabel: null } }),
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  crm = createCrm(t.db);
  await buildAskFixtureShop(t.db);
  auth = new StaffAuth({ crm, limiter: new InProcessRateLimiter(), sessionHours: 12 });
  for (const [name, role] of [['mike', 'manager'], ['wang', 'agent'], ['gone', 'manager']] as const) {
    const s = await addStaff(crm, name, role);
    tokens[name] = await auth.createApiToken(s.id, 'test', 'test');
  }
  await crm.staff.setActive((await crm.staff.require('gone')).id, false, 'test');
  const assistant = askService();
  const app = createHttpApp({ routers: [createAskRouter({ auth, assistant, limiter: new InProcessRateLimiter() })], readiness: async () => ({ ready: true, checks: {} }) });
  server = await listen(app, '127.0.0.1', 0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await t?.destroy();
});

describe('POST /api/staff/ask', () => {
  it('answers a staff token with the --json object', async () => {
    const r = await post({ question: '上周销售额' }, { Authorization: `Bearer ${tokens.mike}` });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['query', 'result', 'text', 'understood']);
    expect(r.body.text).toBe('上周(3/10–3/16) 销售额 ¥375.00（总额 ¥395.00，退款 ¥20.00，共 4 单）');
    const audit = await t.db.auditLog.findFirst({ where: { action: 'assistant.ask' }, orderBy: { id: 'desc' } });
    expect(JSON.parse(audit!.detail!)).toMatchObject({ channel: 'rest', role: 'manager' });
  });

  it('sends a breakdown chart inline as base64 PNG', async () => {
    const r = await post({ question: '上周销售额按天' }, { Authorization: `Bearer ${tokens.mike}` });
    const chart = r.body.chart as { mimeType: string; dataBase64: string; title: string };
    expect(chart.mimeType).toBe('image/png');
    expect(Buffer.from(chart.dataBase64, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('applies the role of the token: an agent is refused revenue', async () => {
    const r = await post({ question: '上周销售额' }, { Authorization: `Bearer ${tokens.wang}` });
    expect(r.status).toBe(200);
    expect(r.body.result).toEqual({ type: 'notice', notice: 'not_allowed' });
  });

  it('refuses with 401: no token, a customer cookie, a forged or malformed token, a deactivated account', async () => {
    const cases: Record<string, string>[] = [
      {},
      { Cookie: 'sd_vid=v_abc.def' },
      { Authorization: 'Bearer sdk_forgedforgedforgedforgedforgedforged' },
      { Authorization: `Bearer ${tokens.mike}x` },
      { Authorization: `Basic ${Buffer.from('mike:mike-password-123').toString('base64')}` },
      { Authorization: `Bearer ${tokens.gone}` },
    ];
    for (const headers of cases) {
      const r = await post({ question: '上周销售额' }, headers);
      expect(r.status, JSON.stringify(headers)).toBe(401);
      expect(JSON.stringify(r.body)).not.toContain('375');
    }
  });

  it('takes a /desk session only with its CSRF token and from this site', async () => {
    const login = await auth.login('mike', 'mike-password-123', '127.0.0.1');
    if (!login.ok) throw new Error('login failed');
    const cookie = `sd_desk=${encodeURIComponent(login.cookieValue)}`;
    expect((await post({ question: '上周销售额' }, { Cookie: cookie })).status).toBe(403);
    expect((await post({ question: '上周销售额' }, { Cookie: cookie, 'X-CSRF-Token': login.session.csrfToken, Origin: 'https://evil.example' })).status).toBe(403);
    const ok = await post({ question: '上周销售额' }, { Cookie: cookie, 'X-CSRF-Token': login.session.csrfToken, Origin: base });
    expect(ok.status).toBe(200);
    expect(ok.body.text).toContain('¥375.00');
  });

  it('limits how fast one staff member may ask (429 with Retry-After), not the others', async () => {
    const app2 = createHttpApp({ routers: [createAskRouter({ auth, assistant: askService(), limiter: new InProcessRateLimiter(), rule: { points: 2, perMs: 60_000 } })], readiness: async () => ({ ready: true, checks: {} }) });
    const s2 = await listen(app2, '127.0.0.1', 0);
    try {
      const ask = (who: string) => fetch(`http://127.0.0.1:${(s2.address() as AddressInfo).port}/api/staff/ask`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[who]}` }, body: JSON.stringify({ question: '上周销售额' }) });
      expect((await ask('mike')).status).toBe(200);
      expect((await ask('mike')).status).toBe(200);
      const third = await ask('mike');
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await ask('wang')).status).toBe(200);
    } finally {
      await new Promise<void>((r) => s2.close(() => r()));
    }
  });

  it('refuses a body that is not {question}', async () => {
    expect((await post({ q: 'x' }, { Authorization: `Bearer ${tokens.mike}` })).status).toBe(400);
    expect((await post({ question: 'x'.repeat(30_000) }, { Authorization: `Bearer ${tokens.mike}` })).status).toBe(400);
  });
});
