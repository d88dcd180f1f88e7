import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pngImage } from '../../../test/factories/image-builders.js';
import { WebSocket } from 'ws';
import { ChatBrowser, ChatSocket, cookiesSet } from '../../../test/factories/web-chat-client.js';
import { errorMiddleware } from '../../http/error-middleware.js';
import { FileMediaStore } from '../../media/file-media-store.js';
import { createMediaRouter } from '../../media/media-router.js';
import { InProcessMessageBus } from '../../shared/message-bus.js';
import type { InboundMessage, InboundSink, OutboundMessage } from '../../shared/message-types.js';
import { InProcessRateLimiter } from '../../shared/rate-limiter.js';
import { signCustomerToken } from './customer-token.js';
import { WebChatAdapter } from './web-chat-adapter.js';
import type { HistoryItem } from './web-chat-encode.js';
import { defaultWebChatLimits } from './web-chat-limits.js';
import { createWebChatRouter } from './web-chat-router.js';
import { VisitorIdentity } from './visitor-identity.js';
import { InProcessVisitorThreads } from './visitor-sessions.js';

const SECRET = 'router-test-secret-123456';
const TOKEN_SECRET = 'shop-token-secret-123456';

/** A small engine twin: stores messages idempotently and answers each new one through the web adapter. */
class EchoEngine implements InboundSink {
  readonly accepted: InboundMessage[] = [];
  readonly log: (HistoryItem & { threadId: string })[] = [];
  private readonly ids = new Map<string, number>();
  private next = 1;
  constructor(private readonly adapter: WebChatAdapter) {}

  async accept(m: InboundMessage): Promise<{ messageId: number; duplicate: boolean }> {
    const known = this.ids.get(m.platformMessageId);
    if (known) return { messageId: known, duplicate: true };
    const id = this.next++;
    this.ids.set(m.platformMessageId, id);
    this.accepted.push(m);
    const text = m.content.type === 'text' ? m.content.text : m.content.type === 'postback' ? m.content.text ?? m.content.payload : `[${m.content.type}]`;
    const mediaId = m.content.type === 'attachment' ? m.content.mediaId : undefined;
    this.log.push({ id: String(id), threadId: m.threadId, direction: 'in', message: { type: 'text', text }, at: m.receivedAt.toISOString(), ...(mediaId ? { mediaId } : {}) });
    setTimeout(() => void this.reply(m.threadId, { type: 'choices', text: `echo: ${text}`, choices: [{ label: 'OK', payload: 'ok' }] }), 20);
    return { messageId: id, duplicate: false };
  }

  private async reply(threadId: string, message: OutboundMessage): Promise<void> {
    const id = this.next++;
    const createdAt = new Date();
    this.log.push({ id: String(id), threadId, direction: 'out', message, at: createdAt.toISOString() });
    await this.adapter.send({ channel: 'web', threadId, messageId: String(id), message, createdAt });
  }
}

let server: Server;
let base: string;
let engine: EchoEngine;
let web: ReturnType<typeof createWebChatRouter>;
let dir: string;
let browser: ChatBrowser;
const sockets: ChatSocket[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'webchat-'));
  const bus = new InProcessMessageBus();
  engine = new EchoEngine(new WebChatAdapter(bus));
  const media = new FileMediaStore(dir, { maxBytes: 1024 * 1024, maxPixels: 4_000_000, maxSidePx: 4000 }, SECRET);
  web = createWebChatRouter({
    sink: engine, bus, secret: SECRET, customerTokenSecret: TOKEN_SECRET, visitors: new InProcessVisitorThreads(), media, uploadMaxBytes: 2048,
    limiter: new InProcessRateLimiter(), limits: defaultWebChatLimits(),
    history: async (threadId) => engine.log.filter((i) => i.threadId === threadId).map(({ threadId: _t, ...item }) => item),
  });
  const app = express();
  app.set('trust proxy', 'loopback'); // as createHttpApp does
  app.use(web.router);
  app.use(createMediaRouter({ media }));
  app.use(errorMiddleware);
  server = createServer(app);
  web.attach(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = new ChatBrowser(base);
});

afterEach(async () => {
  for (const c of sockets.splice(0)) c.close();
  await web.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function connect(opts: { token?: string } = {}, who = browser): Promise<ChatSocket> {
  const c = await who.connect(opts);
  sockets.push(c);
  return c;
}

const PNG = pngImage(4, 3);

async function upload(ticket: string, body: Buffer, type = 'image/png'): Promise<Response> {
  return fetch(`${base}/api/webchat/uploads`, { method: 'POST', headers: { 'content-type': type, 'x-shopdesk-upload': ticket }, body: new Uint8Array(body) });
}

describe('web chat WebSocket', () => {
  it('stores a message, acks it, shows typing, then pushes the reply', async () => {
    const c = await connect();
    await c.waitFor('history');
    c.send({ type: 'message', clientMessageId: 'msg-00000001', text: '运费怎么算' });
    const ack = await c.waitFor('ack');
    expect(ack).toEqual({ type: 'ack', clientMessageId: 'msg-00000001', messageId: 1 });
    expect(engine.accepted[0]).toMatchObject({ channel: 'web', locale: 'zh-CN', content: { type: 'text', text: '运费怎么算' } });
    expect(engine.accepted[0].clientKey).toMatch(/^[\w-]{22}$/);
    const reply = await c.waitFor('reply');
    expect(reply.message).toEqual({ type: 'choices', text: 'echo: 运费怎么算', choices: [{ label: 'OK', payload: 'ok' }] });
    const types = c.frames.map((f) => (f.type === 'typing' ? `typing:${f.on}` : f.type));
    expect(types).toEqual(['history', 'ack', 'typing:true', 'typing:false', 'reply']);
  });

  it('sends the conversation so far when the visitor reconnects', async () => {
    const first = await connect();
    first.send({ type: 'message', clientMessageId: 'msg-00000001', text: 'hello' });
    await first.waitFor('reply');
    first.close();
    const again = await connect();
    const h = await again.waitFor('history');
    expect(h.items.map((i) => [i.direction, i.message.type === 'text' || i.message.type === 'choices' ? i.message.text : ''])).toEqual([['in', 'hello'], ['out', 'echo: hello']]);
  });

  it('accepts a message resent with the same clientMessageId only once', async () => {
    const c = await connect();
    c.send({ type: 'message', clientMessageId: 'same-id-0001', text: 'once' });
    await c.waitFor('ack');
    c.ws.close();
    const again = await connect();
    again.send({ type: 'message', clientMessageId: 'same-id-0001', text: 'once' });
    const ack = await again.waitFor('ack');
    expect(ack.messageId).toBe(1);
    expect(engine.accepted).toHaveLength(1);
    expect(again.frames.some((f) => f.type === 'typing' && f.on)).toBe(false);
  });

  it('refuses text over 20,000 characters with an error frame naming the limit', async () => {
    const c = await connect();
    c.send({ type: 'message', clientMessageId: 'long-000001', text: 'a'.repeat(20_001) });
    const err = await c.waitFor('error');
    expect(err).toMatchObject({ code: 'text_too_long', clientMessageId: 'long-000001' });
    expect(err.message).toContain('20000');
    expect(engine.accepted).toHaveLength(0);
  });

  it('accepts a message of 17,000 emoji (about 68 KB on the wire) without dropping the socket', async () => {
    const c = await connect();
    c.send({ type: 'message', clientMessageId: 'emoji-00001', text: '😀'.repeat(17_000) });
    await c.waitFor('ack');
    expect(engine.accepted).toHaveLength(1);
  });

  it('answers invalid JSON and binary frames with error frames and keeps the socket usable', async () => {
    const c = await connect();
    c.send('{not json');
    await c.waitFor('error', (f) => f.code === 'invalid_json');
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await c.waitFor('error', (f) => f.code === 'binary_not_supported');
    c.send({ type: 'message', clientMessageId: 'after-err-01', text: 'still here?' });
    expect((await c.waitFor('ack')).clientMessageId).toBe('after-err-01');
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('passes only the verified facts of a valid customer token as verified, the rest as asserted', async () => {
    const token = signCustomerToken({ sub: 'C-42', phone_number: '13800138000', phone_number_verified: true, email: 'unchecked@example.com', name: '张三', exp: Math.floor(Date.now() / 1000) + 600 }, TOKEN_SECRET);
    const c = await connect({ token });
    c.send({ type: 'message', clientMessageId: 'tok-0000001', text: '我的订单' });
    await c.waitFor('ack');
    expect(engine.accepted[0].sender).toMatchObject({ displayName: '张三', verified: { customerRef: 'C-42', phone: '13800138000' }, asserted: { email: 'unchecked@example.com' } });
    await c.waitFor('reply');
  });

  it('gives two customers who sign in on one browser, and the guest after them, threads of their own', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const guest = await connect();
    guest.send({ type: 'message', clientMessageId: 'guest-00001', text: 'as a guest' });
    await guest.waitFor('ack');
    const a = await connect({ token: signCustomerToken({ sub: 'A-1', exp }, TOKEN_SECRET) });
    a.send({ type: 'message', clientMessageId: 'a-000000001', text: 'I am A' });
    await a.waitFor('ack');
    const b = await connect({ token: signCustomerToken({ sub: 'B-1', exp }, TOKEN_SECRET) });
    b.send({ type: 'message', clientMessageId: 'b-000000001', text: 'I am B' });
    await b.waitFor('ack');
    const later = await connect();
    const threads = engine.accepted.map((m) => m.threadId);
    // A signed in on the guest's conversation (it carries on); B and the next guest start their own
    expect(threads[0]).toBe(threads[1]);
    expect(new Set(threads).size).toBe(2);
    expect((await b.waitFor('history')).items).toEqual([]);
    const h = await later.waitFor('history');
    expect(h.items).toEqual([]);
  });

  it('chats as a guest, and says so, when the customer token is forged, expired or too long-lived', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string][] = [
      [signCustomerToken({ sub: 'C-42', exp: now + 600 }, 'not-the-shop-secret-0000'), 'bad_signature'],
      [signCustomerToken({ sub: 'C-42', exp: now - 5 }, TOKEN_SECRET), 'expired'],
      [signCustomerToken({ sub: 'C-42', exp: now + 400 * 24 * 3600 }, TOKEN_SECRET), 'lifetime_too_long'],
    ];
    for (const [token, reason] of cases) {
      const s = await browser.session({ token });
      expect(s.body).toMatchObject({ signedIn: false, tokenRejected: reason });
    }
    const c = await connect();
    c.send({ type: 'message', clientMessageId: 'tok-0000002', text: '我的订单' });
    await c.waitFor('ack');
    expect(engine.accepted[0].sender.verified).toBeUndefined();
  });

  it('refuses a socket without a valid ticket, and the visitor credential in place of one', async () => {
    await expect(ChatSocket.open(base, '/ws/chat')).rejects.toThrow(/401/);
    const s = await browser.session();
    await expect(ChatSocket.open(base, `/ws/chat?ticket=${encodeURIComponent(s.body.visitor)}`)).rejects.toThrow(/401/);
    await expect(ChatSocket.open(base, `/ws/chat?vid=${encodeURIComponent(s.body.visitor)}`)).rejects.toThrow(/401/);
    // an upload ticket is for uploads only
    await expect(ChatSocket.open(base, `/ws/chat?ticket=${encodeURIComponent(s.body.uploadTicket)}`)).rejects.toThrow(/401/);
  });

  it('turns an uploaded image into an attachment message kept in the media store', async () => {
    const s = await browser.session();
    const up = await upload(s.body.uploadTicket, PNG);
    expect(up.status).toBe(201);
    const { uploadId, url } = (await up.json()) as { uploadId: string; url: string };
    expect(url).toMatch(new RegExp(`^/media/${uploadId}\\?t=`));
    const c = await connect();
    c.send({ type: 'attachment', clientMessageId: 'img-0000001', uploadId });
    await c.waitFor('ack');
    expect(engine.accepted[0].content).toEqual({ type: 'attachment', kind: 'image', url: `/media/${uploadId}`, mediaId: uploadId, mimeType: 'image/png', sizeBytes: PNG.length });
    // the history shows the image again, through a fresh short-lived URL
    c.close();
    const again = await connect();
    const item = (await again.waitFor('history')).items.find((i) => i.mediaId === uploadId);
    expect(item?.imageUrl).toMatch(new RegExp(`^/media/${uploadId}\\?t=`));
    expect((await fetch(`${base}${item?.imageUrl}`)).status).toBe(200);
  });

  it("refuses to attach another visitor's image", async () => {
    const other = new ChatBrowser(base);
    const up = await upload((await other.session()).body.uploadTicket, PNG);
    const { uploadId } = (await up.json()) as { uploadId: string };
    const c = await connect();
    c.send({ type: 'attachment', clientMessageId: 'img-0000002', uploadId });
    expect((await c.waitFor('error')).code).toBe('upload_not_found');
    expect(engine.accepted).toHaveLength(0);
  });
});

describe('web chat HTTP', () => {
  it('never adopts a visitor id from the link, so nobody can plant their session in another browser', async () => {
    const attacker = new VisitorIdentity(SECRET).newVisitor();
    const r = await fetch(`${base}/chat?vid=${encodeURIComponent(attacker.cookieValue)}`, { headers: { 'x-shopdesk-visitor': attacker.cookieValue } });
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(await r.text()).not.toContain(attacker.visitorId);
  });

  it('serves the chat page with a strict CSP, frame-ancestors and no referrer', async () => {
    const r = await fetch(`${base}/chat`);
    expect(r.status).toBe(200);
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await r.text();
    expect(html).toContain('data-testid="chat-input"');
    expect(html).not.toContain('__SD_');
    expect((await fetch(`${base}/chat/assets/chat.js`)).status).toBe(200);
    expect((await fetch(`${base}/widget.js`)).headers.get('content-type')).toContain('javascript');
  });

  it('issues the visitor credential as an HttpOnly cookie and in the answer, never in a URL', async () => {
    const s = await browser.session();
    expect(s.status).toBe(200);
    expect(s.setCookies.join('\n')).toMatch(/^sd_vid=v_[^;]+; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax/);
    expect(s.body.socketUrl).toMatch(/^\/ws\/chat\?ticket=/);
    expect(s.body.socketUrl).not.toContain(encodeURIComponent(s.body.visitor));
    expect(s.body.socketUrl).not.toContain(s.body.visitor.split('.')[0]);
  });

  it('uses a __Host- cookie when served over HTTPS behind a proxy on this machine', async () => {
    const r = await fetch(`${base}/api/webchat/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: '{}' });
    const [cookie] = r.headers.getSetCookie();
    expect(cookie).toMatch(/^__Host-sd_vid=v_[^;]+; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax/);
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it('keeps the visitor who proves the credential by header, and re-sets their cookie', async () => {
    const first = await browser.session();
    const again = await browser.session({ cookie: 'sd_vid=' + new VisitorIdentity(SECRET).newVisitor().cookieValue });
    expect(again.body.visitor).toBe(first.body.visitor);
    expect(cookiesSet(again.setCookies)).toEqual([`sd_vid=${encodeURIComponent(first.body.visitor)}`]);
  });

  it('refuses an upload over the size limit with 413 and a clear message', async () => {
    const s = await browser.session();
    const r = await upload(s.body.uploadTicket, Buffer.concat([PNG, Buffer.alloc(4096)]));
    expect(r.status).toBe(413);
    expect(await r.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The image is too large (at most 2 KB)' } });
  });

  it('refuses a text file renamed .png with 415 by its bytes', async () => {
    const s = await browser.session();
    const r = await upload(s.body.uploadTicket, Buffer.from('just some notes.txt\n'));
    expect(r.status).toBe(415);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses an upload without an upload ticket, or with a socket ticket', async () => {
    const s = await browser.session();
    expect((await fetch(`${base}/api/webchat/uploads`, { method: 'POST', headers: { 'content-type': 'image/png', 'x-shopdesk-visitor': s.body.visitor }, body: new Uint8Array(PNG) })).status).toBe(401);
    const socketTicket = decodeURIComponent(s.body.socketUrl.split('ticket=')[1]);
    expect((await upload(socketTicket, PNG)).status).toBe(401);
  });

  it('serves an uploaded image with its token only, with nosniff; never to a stranger or without a token', async () => {
    const s = await browser.session();
    const { url, uploadId } = (await (await upload(s.body.uploadTicket, PNG)).json()) as { url: string; uploadId: string };
    const own = await fetch(`${base}${url}`);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('image/png');
    expect(own.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await own.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetch(`${base}/media/${uploadId}`)).status).toBe(404);
    expect((await fetch(`${base}/media/${uploadId}`, { headers: { 'x-shopdesk-visitor': s.body.visitor } })).status).toBe(404);
    // a stranger's valid token for their own image does not open this one
    const stranger = new ChatBrowser(base);
    const theirs = (await (await upload((await stranger.session()).body.uploadTicket, PNG)).json()) as { url: string };
    expect((await fetch(`${base}/media/${uploadId}?${theirs.url.split('?')[1]}`)).status).toBe(404);
    // images stored before the media store keep their old address
    const legacy = await fetch(`${base}/api/webchat/uploads/${uploadId}?${url.split('?')[1]}`, { redirect: 'manual' });
    expect(legacy.status).toBe(308);
    expect(legacy.headers.get('location')).toBe(url);
  });
});
