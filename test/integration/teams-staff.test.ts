import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopdesk, type RunningShopdesk } from '../../src/main.js';
import { startBotFrameworkStub, signJwt, type BotFrameworkStub, type ConnectorCall } from '../factories/bot-framework-stub.js';
import { addStaff, DeskClient } from '../factories/desk-client.js';
import { teamsActivities, teamsPerson, type TeamsPerson } from '../factories/teams-activities.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';
import { ChatBrowser, ChatSocket } from '../factories/web-chat-client.js';

const APP_ID = '11111111-2222-4333-8444-555555555555';
const TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const APP_PASSWORD = 'stub-client-secret-value';
const TEAM = '19:teamgeneral0001@thread.tacv2';
const CHANNEL = '19:handoffs0002@thread.tacv2';

type Acts = ReturnType<typeof teamsActivities>;
const cardOf = (c: ConnectorCall) => c.activity.attachments?.[0]?.content as { body: { type: string; facts?: { title: string; value: string }[]; text?: string }[]; actions: { type: string; title: string; data?: Record<string, unknown> }[] } | undefined;

describe('Microsoft Teams as a staff tool (Bot Framework over real HTTP, stub connector)', () => {
  let dir: string;
  let db: TestDatabase;
  let stub: BotFrameworkStub;
  let app: RunningShopdesk;
  let acts: Acts;
  const wang = teamsPerson('王 Wang');
  const sockets: ChatSocket[] = [];

  /** POSTs an activity to /api/messages as Bot Framework does, with a signed token unless one is given. */
  const send = (activity: object, authorization: string | null = `Bearer ${stub.token()}`) =>
    fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) }, body: JSON.stringify(activity) });

  /** A web chat customer over the real protocol. */
  async function webCustomer() {
    const browser = new ChatBrowser(app.url!);
    const session = await browser.session();
    const sock = await ChatSocket.open(app.url!, session.body.socketUrl);
    sockets.push(sock);
    let n = 0;
    return {
      sock,
      async say(text: string) {
        const id = `m${++n}-${randomUUID().slice(0, 8)}`;
        sock.send({ type: 'message', clientMessageId: id, text });
        await sock.waitFor('ack', (f) => f.clientMessageId === id, 10_000);
      },
    };
  }

  /** A customer asks for a person; returns the conversation id and the card shopdesk posted to Teams. */
  async function handoff(firstWords: string) {
    const c = await webCustomer();
    await c.say(firstWords);
    const card = await stub.waitFor((x) => x.conversationId === CHANNEL && x.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive' && JSON.stringify(x.activity).includes(firstWords));
    const claim = cardOf(card)!.actions.find((a) => a.data?.shopdeskAction === 'claim')!;
    return { customer: c, card, cardId: card.id!, conversationId: Number(claim.data!.conversationId) };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopdesk-teams-'));
    // SQLite, or PostgreSQL with SHOPDESK_TEST_DB=postgres (npm run test:pg)
    db = await createTestDatabase();
    stub = await startBotFrameworkStub({ appId: APP_ID, appPassword: APP_PASSWORD, tenantId: TENANT });
    acts = teamsActivities({ serviceUrl: stub.serviceUrl, appId: APP_ID, tenantId: TENANT, teamId: TEAM, channelId: CHANNEL });
    app = await startShopdesk({
      env: {
        DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATA_DIR: dir, SERVICE_HOURS: 'always', DESK_AUTO_ASSIGN: 'false',
        SHOP_DEFAULT_LOCALE: 'en', PUBLIC_URL: 'https://help.example.com',
        TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: APP_PASSWORD, TEAMS_APP_TENANT_ID: TENANT, TEAMS_CHANNEL_ID: encodeURIComponent(CHANNEL),
      },
      teamsEndpoints: stub.endpoints,
      desk: { retry: { baseMs: 100, maxDelayMs: 2_000 } },
    });
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    await app?.stop();
    await stub?.close();
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses activities without a valid Bot Framework token (401) and acts on none of them', async () => {
    const install = acts.installed(wang);
    const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Math.floor(Date.now() / 1000);
    const forged = signJwt(otherKey, 'made-up', { iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: stub.serviceUrl, nbf: now, exp: now + 600 });
    const answers = [
      await send(install, null),
      await send(install, 'Bearer not-a-jwt'),
      await send(install, `Bearer ${forged}`),
      await send(install, `Bearer ${stub.token({ aud: '99999999-9999-4999-8999-999999999999' })}`),
      await send(install, `Bearer ${stub.token({ serviceurl: 'https://evil.example.com/' })}`),
      await send(install, `Bearer ${stub.token({ exp: now - 3600, nbf: now - 7200 })}`),
      await send(install, `Bearer ${stub.token({ iss: 'https://someone-else.example.com' })}`),
    ];
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);
    expect(await app.crm.teamsReferences.latest()).toBeUndefined();
    expect(stub.calls).toEqual([]);
  });

  it('stores where it can post when installed in the team, and says which channel gets handoffs', async () => {
    const r = await send(acts.installed(wang));
    expect(r.status).toBe(200);
    const ref = await app.crm.teamsReferences.get(TEAM);
    expect(ref).toMatchObject({ channelId: TEAM, teamId: TEAM, tenantId: TENANT, serviceUrl: stub.serviceUrl, botId: `28:${APP_ID}` });
    const greeting = await stub.waitFor((c) => c.conversationId === TEAM);
    expect(greeting.activity.text).toContain(`This channel's id is ${TEAM}`);
    expect(greeting.activity.text).toContain(CHANNEL);
    // the bot's app token came from the tenant's token endpoint, with the app's secret
    expect(stub.tokenRequests.every((t) => t.ok && t.tenant === TENANT)).toBe(true);
    expect(greeting.authorization).toMatch(/^Bearer stub-app-token-/);
  });

  it('posts one Adaptive Card per handoff into the configured channel, with masked contact and Claim / Resolve / Release', async () => {
    const before = stub.posted().length;
    const { card, conversationId } = await handoff('转人工 我的快递三天没动了');
    const content = cardOf(card)!;
    expect(card.replyToId).toBeUndefined();
    expect(content.actions.filter((a) => a.type === 'Action.Submit').map((a) => a.data)).toEqual([
      { shopdeskAction: 'claim', conversationId }, { shopdeskAction: 'resolve', conversationId }, { shopdeskAction: 'release', conversationId },
    ]);
    expect(content.actions.at(-1)).toMatchObject({ type: 'Action.OpenUrl', url: `https://help.example.com/desk#/c/${conversationId}` });
    const facts = content.body.find((b) => b.type === 'FactSet')!.facts!.map((f) => f.title);
    expect(facts).toEqual(expect.arrayContaining(['Customer', 'Channel', 'Reason']));
    await app.queue.drain(10_000);
    const cards = stub.posted().slice(before).filter((c) => c.activity.attachments?.length);
    expect(cards).toHaveLength(1);
    // the card's activity id is what the desk stored for the handoff: replies in its thread find the conversation
    const row = await app.database.db.staffNotification.findFirstOrThrow({ where: { target: 'teams', kind: 'handoff', conversationId } });
    expect(row).toMatchObject({ status: 'sent', platformRef: card.id });
  });

  it('claims from the card, refuses an unlinked Teams user politely, delivers an @mention reply to the customer once, keeps notes internal, refuses a non-owner and shows /desk replies in the thread', async () => {
    const { customer, cardId, conversationId } = await handoff('转人工 退货的钱还没到');
    await customer.say('订单号 SD0000000042');
    const echoed = await stub.waitFor((c) => c.conversationId === `${CHANNEL};messageid=${cardId}` && (c.activity.text ?? '').includes('SD0000000042'));
    expect(echoed.activity.textFormat).toBe('plain');

    // nobody linked yet: refused, with the command that links this user
    const stranger: TeamsPerson = teamsPerson('Mallory');
    expect((await send(acts.cardSubmit(stranger, cardId, { shopdeskAction: 'claim', conversationId }))).status).toBe(200);
    const refusal = await stub.waitFor((c) => c.conversationId === `${CHANNEL};messageid=${cardId}` && (c.activity.text ?? '').includes('not linked'));
    expect(refusal.activity.text).toContain(`npx shopdesk staff link NAME teams ${stranger.aadObjectId}`);
    expect((await app.crm.conversations.get(conversationId))?.mode).toBe('waiting');

    const ann = await addStaff(app.crm, 'ann', 'agent');
    await app.crm.staff.link(ann.id, 'teams', wang.aadObjectId, 'test');
    expect((await send(acts.cardSubmit(wang, cardId, { shopdeskAction: 'claim', conversationId }))).status).toBe(200);
    expect(await app.crm.conversations.get(conversationId)).toMatchObject({ mode: 'human', assigneeId: ann.id });
    await stub.waitFor((c) => c.conversationId === `${CHANNEL};messageid=${cardId}` && (c.activity.text ?? '').includes('ann took this conversation'));

    const reply = acts.threadMention(wang, cardId, '您好，我是 Ann，马上为您查询退款。');
    expect((await send(reply)).status).toBe(200);
    const shown = await customer.sock.waitFor('reply', (f) => JSON.stringify(f.message).includes('马上为您查询退款'), 10_000);
    expect(shown.message).toMatchObject({ author: { kind: 'staff', name: 'ann' } });
    // Bot Framework re-sends an activity it got no timely answer for: nothing is sent twice
    expect((await send(reply)).status).toBe(200);
    // an internal note stays in shopdesk (once, however often Bot Framework delivers it)
    const note = acts.threadMention(wang, cardId, 'note: 客户情绪激动，优先处理');
    expect((await send(note)).status).toBe(200);
    expect((await send(note)).status).toBe(200);
    await app.queue.drain(10_000);
    // what the agent wrote in Teams is already in the thread: shopdesk does not echo it back
    const thread = stub.posted().filter((c) => c.conversationId === `${CHANNEL};messageid=${cardId}`).map((c) => c.activity.text ?? '');
    expect(thread.some((t) => t.includes('马上为您查询退款') || t.includes('客户情绪激动'))).toBe(false);
    const toCustomer = await app.database.db.message.findMany({ where: { conversationId, direction: 'out', senderId: `staff:${ann.id}` } });
    expect(toCustomer.filter((m) => m.text === '您好，我是 Ann，马上为您查询退款。')).toHaveLength(1);
    expect(toCustomer.some((m) => m.text?.includes('客户情绪激动'))).toBe(false);
    expect(customer.sock.shownText()).not.toContain('客户情绪激动');
    const notes = await app.database.db.conversationNote.findMany({ where: { conversationId } });
    expect(notes.map((n) => n.text)).toEqual(['客户情绪激动，优先处理']);

    // another agent cannot answer a chat Ann owns: told so in the thread, the customer hears nothing
    const bob = await addStaff(app.crm, 'bob', 'agent');
    const bobInTeams = teamsPerson('Bob');
    await app.crm.staff.link(bob.id, 'teams', bobInTeams.aadObjectId, 'test');
    expect((await send(acts.threadMention(bobInTeams, cardId, '我也来回复一下'))).status).toBe(200);
    const refused = await stub.waitFor((c) => c.conversationId === `${CHANNEL};messageid=${cardId}` && (c.activity.text ?? '').startsWith('⚠️ Not sent'));
    expect(refused.replyToId).toBeDefined();
    // a reply written in /desk shows in the Teams thread
    const desk = new DeskClient(app.url!);
    expect((await desk.login(ann.name, ann.password)).status).toBe(200);
    expect((await desk.post(`/desk/api/conversations/${conversationId}/messages`, { text: '退款已经在路上了', clientId: 'desk-reply-0001' })).status).toBe(200);
    await stub.waitFor((c) => c.conversationId === `${CHANNEL};messageid=${cardId}` && c.activity.text === '↪ ann to the customer: 退款已经在路上了');
    await app.queue.drain(10_000);
    expect(customer.sock.shownText()).not.toContain('我也来回复一下');
  });

  it('answers a direct message or a mention outside a handoff thread as a staff question, never to a customer', async () => {
    const before = await app.database.db.message.count({ where: { direction: 'out' } });
    expect((await send(acts.personal(wang, '上周的退货率是多少？'))).status).toBe(200);
    const answer = await stub.waitFor((c) => c.conversationId.startsWith('a:1') && (c.activity.text ?? '').includes('assistant is not enabled'));
    expect(answer.replyToId).toBeDefined();
    expect((await send(acts.threadMention(wang, '1700000000000', '今天有多少人转人工？'))).status).toBe(200);
    await stub.waitFor((c) => c.conversationId === `${CHANNEL};messageid=1700000000000` && (c.activity.text ?? '').includes('assistant is not enabled'));
    expect(await app.database.db.message.count({ where: { direction: 'out' } })).toBe(before);
  });

  it('retries through a Teams outage (500, then 429 with Retry-After) and posts the message exactly once', async () => {
    const { customer, cardId } = await handoff('转人工 发票开错了');
    let failures = 0;
    stub.setResponder((call) => {
      if (!(call.activity.text ?? '').includes('抬头写错了')) return { status: 201 };
      failures++;
      if (failures <= 4) return { status: 500 };
      if (failures <= 8) return { status: 429, headers: { 'Retry-After': '1' } };
      return { status: 201 };
    });
    await customer.say('抬头写错了');
    const started = Date.now();
    const posted = await stub.waitFor((c) => c.conversationId === `${CHANNEL};messageid=${cardId}` && (c.activity.text ?? '').includes('抬头写错了'), 60_000);
    const tookMs = Date.now() - started;
    stub.setResponder(() => ({ status: 201 }));
    expect(posted.status).toBe(201);
    const attempts = stub.calls.filter((c) => (c.activity.text ?? '').includes('抬头写错了'));
    expect(attempts.filter((c) => c.status < 300)).toHaveLength(1);
    expect(attempts.map((c) => c.status)).toEqual([500, 500, 500, 500, 429, 429, 429, 429, 201]);
    await app.queue.drain(10_000);
    const row = await app.database.db.staffNotification.findFirstOrThrow({ where: { target: 'teams', kind: 'customer_message', platformRef: posted.id } });
    expect(row.status).toBe('sent');
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(tookMs).toBeGreaterThan(1000);
  }, 90_000);
});
