import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretHash } from '../../src/desk/auth/password-hashing.js';
import { startShopdesk } from '../../src/main.js';
import { addStaff, DeskClient } from '../factories/desk-client.js';
import { ChatBrowser, cookiesSet } from '../factories/web-chat-client.js';

/**
 * The staff desk's HTTP API and socket against the running app: sign-in, sessions, CSRF, tokens,
 * who may do what, and that no customer credential reaches staff data or actions.
 */
let dir: string;
let app: Awaited<ReturnType<typeof startShopdesk>>;
let base: string;
let ann: Awaited<ReturnType<typeof addStaff>>;
let ben: Awaited<ReturnType<typeof addStaff>>;
let boss: Awaited<ReturnType<typeof addStaff>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shopdesk-desk-'));
  app = await startShopdesk({ env: { DATABASE_URL: `file:${dir}/desk.db`, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATA_DIR: dir, SERVICE_HOURS: 'always', DESK_AUTO_ASSIGN: 'false' } });
  base = app.url!;
  ann = await addStaff(app.crm, 'ann', 'agent');
  ben = await addStaff(app.crm, 'ben', 'agent');
  boss = await addStaff(app.crm, 'boss', 'admin');
}, 120_000);
afterAll(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A web-chat customer who asked for a person; resolves with the conversation id. */
async function waitingCustomer(channel: 'web' | 'rest' = 'web'): Promise<number> {
  const threadId = `t-${Math.random().toString(36).slice(2)}`;
  await app.engine.accept({ channel, platformMessageId: `${threadId}:1`, threadId, sender: { id: threadId }, receivedAt: new Date(), content: { type: 'text', text: '转人工' } });
  await app.queue.drain(15_000);
  return (await app.crm.conversations.byThread(channel, threadId))!.id;
}

async function signedIn(who: { name: string; password: string }): Promise<DeskClient> {
  const c = new DeskClient(base);
  expect((await c.login(who.name, who.password)).status).toBe(200);
  return c;
}

describe('signing in', () => {
  it('refuses a wrong password with one clear message, the same as for an unknown name', async () => {
    const c = new DeskClient(base);
    const wrong = await c.login('ann', 'not-her-password');
    const unknown = await c.login('nobody-here', 'whatever-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error?.message).toMatch(/Wrong name or password/);
    expect(unknown.body.error?.message).toBe(wrong.body.error?.message);
  });

  it('rate-limits repeated wrong passwords for a name, even when the right one comes next', async () => {
    const victim = await addStaff(app.crm, 'victim', 'agent');
    const c = new DeskClient(base);
    for (let i = 0; i < 5; i++) expect((await c.login('victim', `guess-${i}-wrong`)).status).toBe(401);
    const blocked = await c.login('victim', victim.password);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error?.message).toMatch(/Too many sign-in attempts; try again in \d+ min/);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // another name is not affected
    expect((await new DeskClient(base).login('ben', ben.password)).status).toBe(200);
  });

  it('sets an HttpOnly, SameSite=Strict session cookie and returns a CSRF token', async () => {
    const res = await fetch(`${base}/desk/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'ann', password: ann.password }) });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^sd_desk=[A-Za-z0-9_-]{40,}/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP here; behind HTTPS the flag is set
    expect(((await res.json()) as { csrfToken: string }).csrfToken).toMatch(/^[A-Za-z0-9_-]{24,}$/);
  });

  it('makes a one-time password be replaced before anything else', async () => {
    const admin = await signedIn(boss);
    const created = await admin.post<{ oneTimePassword: string }>('/desk/api/admin/staff', { name: 'newbie', role: 'agent', displayName: '小新' });
    expect(created.status).toBe(201);
    const c = new DeskClient(base);
    expect((await c.login('newbie', created.body.oneTimePassword)).body.mustChangePassword).toBe(true);
    const blocked = await c.get<{ error: { message: string } }>('/desk/api/conversations');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.message).toMatch(/Choose your own password first/);
    expect((await c.post('/desk/api/password', { current: created.body.oneTimePassword, next: 'short' })).status).toBe(400);
    expect((await c.post('/desk/api/password', { current: created.body.oneTimePassword, next: 'a much better password' })).status).toBe(200);
    expect((await c.get('/desk/api/conversations')).status).toBe(200);
    expect((await c.get<{ staff: { name: string } }>('/desk/api/me')).body.staff.name).toBe('小新');
  });
});

describe('sessions and CSRF', () => {
  it('refuses a state-changing request without the CSRF token, with a wrong one, or from another origin', async () => {
    const id = await waitingCustomer();
    const c = await signedIn(ann);
    const none = await c.post<{ error: { message: string } }>(`/desk/api/conversations/${id}/claim`, {}, { csrf: false });
    expect(none.status).toBe(403);
    expect(none.body.error.message).toMatch(/security token/);
    expect((await c.post(`/desk/api/conversations/${id}/claim`, {}, { headers: { 'X-CSRF-Token': 'forged-token-forged-token' } })).status).toBe(403);
    expect((await c.post(`/desk/api/conversations/${id}/claim`, {}, { headers: { Origin: 'http://127.0.0.1:1' } })).status).toBe(403);
    expect((await app.crm.conversations.get(id))?.mode).toBe('waiting');
    expect((await c.post(`/desk/api/conversations/${id}/claim`)).status).toBe(200);
  });

  it('signs out an expired session with a message that says so', async () => {
    const secret = 'expired-session-secret-0123456789abcdef';
    await app.crm.staff.sessions.create({ staffId: ann.id, tokenHash: secretHash(secret), csrfToken: 'x'.repeat(32), expiresAt: new Date(Date.now() - 1000) });
    const c = new DeskClient(base);
    c.cookie = `sd_desk=${secret}`;
    const r = await c.get<{ error: { message: string } }>('/desk/api/conversations');
    expect(r.status).toBe(401);
    expect(r.body.error.message).toMatch(/session has expired/);
  });

  it('lets an admin sign someone out everywhere and deactivate them', async () => {
    const carl = await addStaff(app.crm, 'carl', 'agent');
    const c = await signedIn(carl);
    const admin = await signedIn(boss);
    expect((await admin.post<{ revoked: number }>(`/desk/api/admin/staff/${carl.id}/revoke-sessions`)).body.revoked).toBe(1);
    expect((await c.get<{ error: { message: string } }>('/desk/api/me')).body.error.message).toMatch(/signed out/);
    const again = await signedIn(carl);
    expect((await admin.post(`/desk/api/admin/staff/${carl.id}/deactivate`)).status).toBe(200);
    expect((await again.get<{ error: { message: string } }>('/desk/api/me')).body.error.message).toMatch(/deactivated/);
    expect((await new DeskClient(base).login('carl', carl.password)).body.error?.message).toMatch(/deactivated/);
    // agents cannot manage staff
    const agent = await signedIn(ann);
    expect((await agent.post(`/desk/api/admin/staff/${ben.id}/deactivate`)).status).toBe(403);
  });
});

describe('staff bearer tokens (contract 6)', () => {
  it('authenticates a script as the staff member, without CSRF, until revoked', async () => {
    const token = await app.desk.auth.createApiToken(ben.id, 'test', 'test');
    const me = await fetch(`${base}/desk/api/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { staff: unknown }).staff).toMatchObject({ staffId: ben.id, name: 'ben', role: 'agent' });
    const id = await waitingCustomer();
    const claim = await fetch(`${base}/desk/api/conversations/${id}/claim`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect(claim.status).toBe(200);
    await app.crm.staff.tokens.revokeAll(ben.id, 'test');
    expect((await fetch(`${base}/desk/api/me`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await fetch(`${base}/desk/api/me`, { headers: { Authorization: 'Bearer sdk_forged' } })).status).toBe(401);
  });
});

describe('customer channels cannot reach the desk', () => {
  it('gives nothing to no cookie, a web chat visitor cookie, or a forged desk cookie', async () => {
    const chat = await new ChatBrowser(base).session();
    const visitor = cookiesSet(chat.setCookies).find((c) => c.startsWith('sd_vid=')) ?? '';
    expect(visitor).toMatch(/^sd_vid=/);
    for (const cookie of ['', visitor, 'sd_desk=forged-forged-forged-forged-forged', `sd_desk=${visitor.slice(7)}`]) {
      for (const path of ['/desk/api/conversations', '/desk/api/me', '/desk/api/staff', '/desk/api/media?url=/media/' + 'a'.repeat(32)]) {
        const r = await fetch(`${base}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
        expect(r.status, `${path} with "${cookie.slice(0, 12)}"`).toBe(401);
      }
      const claim = await fetch(`${base}/desk/api/conversations/1/claim`, { method: 'POST', headers: cookie ? { Cookie: cookie } : {} });
      expect(claim.status).toBe(401);
    }
    // the visitor's signed value as a bearer token is no staff token either
    expect((await fetch(`${base}/desk/api/me`, { headers: { Authorization: `Bearer ${visitor.slice(7)}` } })).status).toBe(401);
  });

  it('refuses the desk socket without a desk session or from another origin, and serves a signed-in desk', async () => {
    const upgrade = (headers: Record<string, string>) => new Promise<number | 'open'>((resolve) => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/desk`, { headers });
      ws.on('open', () => { ws.close(); resolve('open'); });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(0));
    });
    const visitor = cookiesSet((await new ChatBrowser(base).session()).setCookies).find((c) => c.startsWith('sd_vid=')) ?? '';
    expect(await upgrade({})).toBe(401);
    expect(await upgrade({ Cookie: visitor })).toBe(401);
    const c = await signedIn(ann);
    expect(await upgrade({ Cookie: c.cookie, Origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade({ Cookie: c.cookie, Origin: base })).toBe('open');
  });

  it('pushes a handoff to an open desk through the outbox', async () => {
    const c = await signedIn(ann);
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/desk`, { headers: { Cookie: c.cookie, Origin: base } });
    const frames: { type: string; kind?: string; conversationId?: number }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once('open', r));
    const id = await waitingCustomer();
    await expect.poll(() => frames.some((f) => f.kind === 'handoff' && f.conversationId === id), { timeout: 5000 }).toBe(true);
    ws.close();
  });
});

describe('who may answer', () => {
  it('lets the first of two agents claiming at once win, and tells the other who has it', async () => {
    const id = await waitingCustomer();
    const [a, b] = await Promise.all([signedIn(ann), signedIn(ben)]);
    const results = await Promise.all([a.post(`/desk/api/conversations/${id}/claim`), b.post(`/desk/api/conversations/${id}/claim`)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409)!.body as { error: { message: string } };
    expect(loser.error.message).toMatch(/(ann|ben) has this conversation|already has this conversation/);
    expect(await app.database.db.conversationEvent.count({ where: { conversationId: id, type: 'claim' } })).toBe(1);
  });

  it('refuses a reply to a conversation another agent owns, naming them, and stores nothing', async () => {
    const id = await waitingCustomer();
    const a = await signedIn(ann);
    const b = await signedIn(ben);
    await a.post(`/desk/api/conversations/${id}/claim`);
    const before = await app.database.db.message.count({ where: { conversationId: id } });
    const r = await b.post<{ error: { code: string; message: string } }>(`/desk/api/conversations/${id}/messages`, { text: 'hi', clientId: 'client-id-0001' });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toBe('ann has this conversation; ask them to transfer it to you');
    expect(await app.database.db.message.count({ where: { conversationId: id } })).toBe(before);
    // a transfer makes it ben's
    expect((await a.post(`/desk/api/conversations/${id}/transfer`, { staffId: ben.id })).status).toBe(200);
    expect((await b.post(`/desk/api/conversations/${id}/messages`, { text: 'hi, Ben here', clientId: 'client-id-0002' })).status).toBe(200);
  });

  it('explains why a reply cannot reach a customer whose channel cannot carry it, and stores nothing', async () => {
    const rest = await waitingCustomer('rest');
    const a = await signedIn(ann);
    expect((await a.post(`/desk/api/conversations/${rest}/claim`)).status).toBe(200);
    const r = await a.post<{ error: { code: string; message: string } }>(`/desk/api/conversations/${rest}/messages`, { text: 'hello' });
    expect(r.status).toBe(410);
    expect(r.body.error).toMatchObject({ code: 'CHANNEL_GONE' });
    expect(r.body.error.message).toMatch(/only receives answers to its own requests/);
    // a channel this shopdesk has no adapter for any more
    const customer = await app.database.db.customer.create({ data: { name: 'Gone' } });
    const gone = await app.database.db.conversation.create({ data: { customerId: customer.id, channel: 'wechat', threadId: 'wx-gone', mode: 'human', status: 'open', assigneeId: ann.id } });
    const g = await a.post<{ error: { code: string; message: string } }>(`/desk/api/conversations/${gone.id}/messages`, { text: 'hello' });
    expect(g.status).toBe(410);
    expect(g.body.error.message).toMatch(/not connected to this shopdesk any more/);
    expect(await app.database.db.message.count({ where: { conversationId: gone.id } })).toBe(0);
    // a note still works
    expect((await a.post(`/desk/api/conversations/${gone.id}/notes`, { text: 'called them instead' })).status).toBe(200);
  });

  it('records what staff view and do in the audit log, without message text', async () => {
    const id = await waitingCustomer();
    const a = await signedIn(ann);
    await a.get(`/desk/api/conversations/${id}`);
    await a.post(`/desk/api/conversations/${id}/claim`);
    await a.post(`/desk/api/conversations/${id}/messages`, { text: 'secret words 13800138000', clientId: 'client-id-0003' });
    const log = await app.database.db.auditLog.findMany({ where: { actor: `staff:${ann.id}`, entityId: String(id) }, orderBy: { id: 'asc' } });
    expect(log.map((l) => l.action)).toEqual(['desk.view', 'conversation.claim', 'conversation.reply']);
    expect(JSON.stringify(log)).not.toContain('secret words');
  });
});
