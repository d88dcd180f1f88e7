import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCustomerToken } from '../../src/channels/web/customer-token.js';
import { WebChatTickets } from '../../src/channels/web/web-chat-tickets.js';
import { webchatTopic } from '../../src/shared/message-bus.js';
import { DEMO_PERSONAS } from '../../src/crm/seed/demo-personas.js';
import { pngImage } from '../factories/image-builders.js';
import { ChatBrowser, ChatSocket, cookiesSet } from '../factories/web-chat-client.js';
import { SHOP_TOKEN_SECRET, STAFF_TOKEN, startWebChatApp, WEB_SECRET, type WebChatApp } from '../factories/web-chat-app.js';

/**
 * The web chat attacks of issue 6, items 3–5, over real HTTP and WebSocket against the real
 * engine and database: cross-site WebSocket hijacking, session fixation by a planted cookie,
 * credentials in URLs, and media readable by the thread's customer and staff only.
 */
const Z = DEMO_PERSONAS.zhangSan;
let app: WebChatApp;
const open: ChatSocket[] = [];
const evil = 'http://127.0.0.1:1'; // "a page on another port of the same host"

beforeAll(async () => {
  app = await startWebChatApp();
}, 60_000);
afterAll(async () => {
  for (const s of open) s.close();
  await app?.close();
});

async function chat(b: ChatBrowser, text: string, opts: { token?: string } = {}): Promise<ChatSocket> {
  const s = await b.connect(opts);
  open.push(s);
  await s.waitFor('history');
  const id = `m-${Math.random().toString(36).slice(2, 12)}`;
  s.send({ type: 'message', clientMessageId: id, text });
  await s.waitFor('ack', (f) => f.clientMessageId === id);
  await s.waitFor('reply', () => true, 15_000);
  return s;
}

/** A browser whose cookie jar holds what the session endpoint set. */
function withCookies(b: ChatBrowser, setCookies: string[]): void {
  b.cookieHeader = cookiesSet(setCookies).join('; ');
}

describe("a customer token's contact never overrides its subject (item 1)", () => {
  const A = DEMO_PERSONAS.alice;
  for (const verified of [false, true]) {
    it(`shows a token for a new sub carrying Alice's e-mail and phone (${verified ? 'marked verified' : 'unmarked'}) none of Alice's orders, and never binds it to her`, async () => {
      const sub = `NEW-${verified ? 'V' : 'U'}`;
      const token = signCustomerToken({ sub, email: A.email, phone_number: A.phone, ...(verified ? { email_verified: true, phone_number_verified: true } : {}), exp: Math.floor(Date.now() / 1000) + 600 }, SHOP_TOKEN_SECRET);
      const b = new ChatBrowser(app.base);
      const s = await chat(b, 'where is my order', { token });
      await new Promise((r) => setTimeout(r, 300));
      for (const n of Object.values(A.orders)) expect(s.shownText()).not.toContain(n);
      const db = app.harness.database.db;
      const aliceId = (await db.identity.findUniqueOrThrow({ where: { channel_externalId: { channel: 'shop', externalId: A.shopRef } } })).customerId;
      const bound = await db.identity.findUniqueOrThrow({ where: { channel_externalId: { channel: 'shop', externalId: sub } } });
      expect(bound.customerId).not.toBe(aliceId);
      // and the next token for that sub still is not Alice
      const again = await chat(new ChatBrowser(app.base), `order ${A.orders.shipped}`, { token });
      expect(again.shownText()).not.toContain(A.tracking.shipped);
    });
  }
});

describe('cross-site WebSocket hijacking (item 3)', () => {
  it("refuses a page on another port that tries to open the victim's chat with the victim's cookie", async () => {
    const victim = new ChatBrowser(app.base);
    const s = await victim.session();
    withCookies(victim, s.setCookies);
    await chat(victim, '我的收货地址是上海市浦东新区某某路 88 号');
    // the hostile page has the browser's cookies but not its localStorage
    const page = new ChatBrowser(app.base);
    page.cookieHeader = victim.cookieHeader;
    expect((await page.session({ origin: evil })).status).toBe(403);
    // nor does a stolen or replayed socket ticket open the socket from there
    const ticket = (await victim.session()).body.socketUrl;
    await expect(ChatSocket.open(app.base, ticket, evil)).rejects.toThrow(/403/);
    // the old way in — the visitor id in the socket URL — opens nothing at all
    await expect(ChatSocket.open(app.base, `/ws/chat?vid=${encodeURIComponent(victim.stored!)}`, evil)).rejects.toThrow(/40[13]/);
    // the chat's own origin works
    const own = await ChatSocket.open(app.base, (await victim.session({ origin: app.base })).body.socketUrl, app.base);
    open.push(own);
    expect((await own.waitFor('history')).items.length).toBeGreaterThan(0);
  });

  it('lets origins the shop configured open the socket, and no others', async () => {
    const other = await startWebChatApp({ allowedOrigins: ['https://shop.example.com'] });
    try {
      const b = new ChatBrowser(other.base);
      const s = await b.session({ origin: 'https://shop.example.com' });
      expect(s.status).toBe(200);
      const sock = await ChatSocket.open(other.base, s.body.socketUrl, 'https://shop.example.com');
      sock.close();
      await expect(ChatSocket.open(other.base, (await b.session()).body.socketUrl, 'https://evil.example.com')).rejects.toThrow(/403/);
      await expect(ChatSocket.open(other.base, (await b.session()).body.socketUrl, 'null')).rejects.toThrow(/403/);
    } finally {
      await other.close();
    }
  });
});

describe('session fixation by a planted cookie (item 4)', () => {
  it('keeps the owner in their own conversation when a narrower-path cookie is planted, and the planter sees nothing', async () => {
    const owner = new ChatBrowser(app.base);
    withCookies(owner, (await owner.session()).setCookies);
    await chat(owner, '你好');
    const attacker = new ChatBrowser(app.base);
    const planted = (await attacker.session()).body.visitor;
    const attackerSocket = await attacker.connect();
    open.push(attackerSocket);
    // the planted cookie (Path=/api/webchat) comes first in the owner's Cookie header
    owner.cookieHeader = `sd_vid=${encodeURIComponent(planted)}; ${owner.cookieHeader}`;
    const ownerSocket = await chat(owner, '我的手机号是 13700001111，帮我查订单');
    expect(ownerSocket.shownText()).toContain('你好');
    await new Promise((r) => setTimeout(r, 300));
    expect(attackerSocket.shownText()).not.toContain('13700001111');
    const again = await attacker.connect();
    open.push(again);
    expect(JSON.stringify((await again.waitFor('history')).items)).not.toContain('13700001111');
  });

  it('trusts none of several visitor cookies without the page credential, starts fresh, and clears them on every path', async () => {
    const a = new ChatBrowser(app.base);
    const b = new ChatBrowser(app.base);
    const va = (await a.session()).body.visitor;
    const vb = (await b.session()).body.visitor;
    const confused = new ChatBrowser(app.base);
    const s = await confused.session({ cookie: `sd_vid=${encodeURIComponent(va)}; sd_vid=${encodeURIComponent(vb)}` });
    expect(s.status).toBe(200);
    expect([va, vb]).not.toContain(s.body.visitor);
    const expired = s.setCookies.filter((c) => /Max-Age=0/.test(c)).map((c) => /Path=([^;]+)/.exec(c)?.[1]);
    expect(expired).toEqual(expect.arrayContaining(['/', '/api', '/api/webchat', '/api/webchat/session']));
    expect(cookiesSet(s.setCookies)).toEqual([`sd_vid=${encodeURIComponent(s.body.visitor)}`]);
  });

  it('replaces the credential on sign-in while the conversation carries on, and shuts the planter out of it', async () => {
    // the planter's own credential is the only cookie of a first-time visitor: it is adopted...
    const attacker = new ChatBrowser(app.base);
    const planted = (await attacker.session()).body.visitor;
    const attackerSocket = await attacker.connect();
    open.push(attackerSocket);
    const victim = new ChatBrowser(app.base);
    victim.cookieHeader = `sd_vid=${encodeURIComponent(planted)}`;
    await chat(victim, '你好，我想问问订单');
    // ...until the victim signs in: a new credential, the same conversation, the planter's socket closed
    const token = signCustomerToken({ sub: Z.shopRef, name: Z.name, exp: Math.floor(Date.now() / 1000) + 600 }, SHOP_TOKEN_SECRET);
    const signedIn = await victim.session({ token, noHeader: true });
    expect(signedIn.body.signedIn).toBe(true);
    expect(signedIn.body.visitor).not.toBe(planted);
    expect(cookiesSet(signedIn.setCookies)).toEqual([`sd_vid=${encodeURIComponent(signedIn.body.visitor)}`]);
    await attackerSocket.waitFor('error', (f) => f.code === 'session_replaced');
    await expect.poll(() => attackerSocket.closeCode).toBe(4001);
    victim.cookieHeader = cookiesSet(signedIn.setCookies).join('; ');
    const victimSocket = await chat(victim, `查订单 ${Z.orders.inTransit}`, { token });
    expect(victimSocket.shownText()).toContain('你好，我想问问订单');
    expect(victimSocket.shownText()).toContain(Z.tracking.inTransit);
    // the planted credential now opens a fresh, empty conversation
    const back = await attacker.connect();
    open.push(back);
    expect((await back.waitFor('history')).items).toEqual([]);
    expect(attacker.stored).not.toBe(planted);
  });

  it("keeps what a guest proved on the conversation, not on the cookie: the planter's copy of the cookie proves nothing", async () => {
    const attacker = new ChatBrowser(app.base);
    const planted = (await attacker.session()).body.visitor;
    const victim = new ChatBrowser(app.base);
    victim.cookieHeader = `sd_vid=${encodeURIComponent(planted)}`;
    await chat(victim, `查订单 ${Z.orders.inTransit}`);
    await chat(victim, Z.phone.slice(-4));
    const token = signCustomerToken({ sub: 'SOMEONE-ELSE', exp: Math.floor(Date.now() / 1000) + 600 }, SHOP_TOKEN_SECRET);
    await victim.session({ token, noHeader: true });
    // the old credential, replaced, opens a new conversation in which the order is not proven
    attacker.stored = planted;
    const s = await chat(attacker, `查订单 ${Z.orders.inTransit}`);
    expect(s.shownText()).toMatch(/后四位/);
  });
});

describe('short-lived, purpose-bound tokens and one media store (item 5)', () => {
  it('refuses an expired socket ticket, and an upload ticket on the socket', async () => {
    const b = new ChatBrowser(app.base);
    const s = await b.session();
    const expired = new WebChatTickets(WEB_SECRET, () => Date.now() - 61_000).issue('ws', { visitorId: s.body.visitor.split('.')[0], threadId: 'x' });
    await expect(ChatSocket.open(app.base, `/ws/chat?ticket=${encodeURIComponent(expired)}`)).rejects.toThrow(/401/);
    await expect(ChatSocket.open(app.base, `/ws/chat?ticket=${encodeURIComponent(s.body.uploadTicket)}`)).rejects.toThrow(/401/);
  });

  it("lets an image be read by its conversation's customer and by staff, and by nobody else", async () => {
    const b = new ChatBrowser(app.base);
    const s = await b.session();
    const up = await fetch(`${app.base}/api/webchat/uploads`, { method: 'POST', headers: { 'content-type': 'image/png', 'x-shopdesk-upload': s.body.uploadTicket }, body: new Uint8Array(pngImage(8, 8)) });
    const { uploadId, url } = (await up.json()) as { uploadId: string; url: string };
    expect((await fetch(`${app.base}${url}`)).status).toBe(200);
    // staff, through the desk's authorisation seam, or with a staff URL
    expect((await fetch(`${app.base}/media/${uploadId}`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${app.base}${app.media.urlFor(uploadId, { kind: 'staff' })}`)).status).toBe(200);
    // not another visitor, not a wrong staff token, not a URL made for another thread, not an expired one
    expect((await fetch(`${app.base}/media/${uploadId}`, { headers: { authorization: 'Bearer nope' } })).status).toBe(404);
    expect((await fetch(`${app.base}${app.media.urlFor(uploadId, { kind: 'customer', channel: 'web', threadId: 'another-thread' })}`)).status).toBe(404);
    const short = app.media.urlFor(uploadId, { kind: 'customer', channel: 'web', threadId: (await app.media.get(uploadId))!.owner.threadId }, { ttlMs: 1 });
    await new Promise((r) => setTimeout(r, 20));
    expect((await fetch(`${app.base}${short}`)).status).toBe(404);
  });

  it('puts the photo of a return into the media store and its id on the ticket, for staff', async () => {
    const b = new ChatBrowser(app.base);
    const token = signCustomerToken({ sub: Z.shopRef, exp: Math.floor(Date.now() / 1000) + 600 }, SHOP_TOKEN_SECRET);
    const s = await b.session({ token });
    const sock = await ChatSocket.open(app.base, s.body.socketUrl);
    open.push(sock);
    const say = async (frame: Record<string, unknown>) => {
      const id = `m-${Math.random().toString(36).slice(2, 12)}`;
      const before = sock.frames.filter((f) => f.type === 'reply').length;
      sock.send({ ...frame, clientMessageId: id });
      await expect.poll(() => sock.frames.filter((f) => f.type === 'reply').length, { timeout: 15_000 }).toBeGreaterThan(before);
    };
    await say({ type: 'message', text: `订单${Z.orders.deliveredRecently}我想退货` });
    await say({ type: 'postback', payload: 'item:*', label: '全部商品' });
    await say({ type: 'postback', payload: 'reason:quality', label: '质量问题' });
    const up = await fetch(`${app.base}/api/webchat/uploads`, { method: 'POST', headers: { 'content-type': 'image/png', 'x-shopdesk-upload': s.body.uploadTicket }, body: new Uint8Array(pngImage(16, 16)) });
    const { uploadId } = (await up.json()) as { uploadId: string };
    await say({ type: 'attachment', uploadId });
    const ticket = await app.harness.database.db.ticket.findFirstOrThrow({ where: { type: 'return', details: { contains: uploadId } }, orderBy: { id: 'desc' } });
    expect(JSON.parse(ticket.details!)).toMatchObject({ photoMediaId: uploadId, photoUrl: `/media/${uploadId}` });
    expect((await fetch(`${app.base}/media/${uploadId}`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } })).status).toBe(200);
  });
});

describe('a reply sent again after a worker crash (item 2)', () => {
  it('reaches an open chat once: a reply id the socket already carried is not pushed again', async () => {
    const s = await chat(new ChatBrowser(app.base), '你好');
    const first = await s.waitFor('reply');
    const row = await app.harness.database.db.message.findUniqueOrThrow({ where: { id: Number(first.id) } });
    // what a recovered worker publishes when it was killed between sending and marking sent
    await app.bus.publish(webchatTopic(row.threadId), { ...first });
    await app.bus.publish(webchatTopic(row.threadId), { ...first, id: String(Number(first.id) + 1_000_000) });
    await s.waitFor('reply', (f) => f.id === String(Number(first.id) + 1_000_000));
    expect(s.frames.filter((f) => f.type === 'reply' && f.id === first.id)).toHaveLength(1);
  });
});
