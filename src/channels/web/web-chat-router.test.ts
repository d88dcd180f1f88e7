import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { errorMiddleware } from '../../http/error-middleware.js';
import { InProcessMessageBus } from '../../shared/message-bus.js';
import type { InboundMessage, InboundSink, OutboundMessage } from '../../shared/message-types.js';
import { WebChatAdapter } from './web-chat-adapter.js';
import type { HistoryItem, ServerFrame } from './web-chat-encode.js';
import { createWebChatRouter } from './web-chat-router.js';
import { signCustomerToken, VisitorIdentity } from './visitor-identity.js';
import { signedInThreadId } from './web-chat-decode.js';

const SECRET = 'router-test-secret-123456';
const TOKEN_SECRET = 'shop-token-secret-123456';

/** A small engine twin: stores messages idempotently and answers each new one through the web adapter. */
class EchoEngine implements InboundSink {
  readonly accepted: InboundMessage[] = [];
  readonly log: HistoryItem[] = [];
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
    this.log.push({ id: String(id), direction: 'in', message: { type: 'text', text }, at: m.receivedAt.toISOString() });
    setTimeout(() => void this.reply(m.threadId, { type: 'choices', text: `echo: ${text}`, choices: [{ label: 'OK', payload: 'ok' }] }), 20);
    return { messageId: id, duplicate: false };
  }

  private async reply(threadId: string, message: OutboundMessage): Promise<void> {
    const id = this.next++;
    const createdAt = new Date();
    this.log.push({ id: String(id), direction: 'out', message, at: createdAt.toISOString() });
    await this.adapter.send({ channel: 'web', threadId, messageId: String(id), message, createdAt });
  }
}

/** A browser-side socket that records every frame and can wait for one. */
class Client {
  readonly frames: ServerFrame[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => this.frames.push(JSON.parse(String(d)) as ServerFrame));
  }
  static async open(url: string): Promise<Client> {
    const ws = new WebSocket(url);
    const c = new Client(ws);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    return c;
  }
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }
  async waitFor<T extends ServerFrame['type']>(type: T, pred: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true): Promise<Extract<ServerFrame, { type: T }>> {
    let found: Extract<ServerFrame, { type: T }> | undefined;
    await expect.poll(() => (found = this.frames.find((f): f is Extract<ServerFrame, { type: T }> => f.type === type && pred(f as Extract<ServerFrame, { type: T }>))), { timeout: 3000 }).toBeDefined();
    return found as Extract<ServerFrame, { type: T }>;
  }
  close(): void {
    this.ws.close();
  }
}

let server: Server;
let base: string;
let engine: EchoEngine;
let web: ReturnType<typeof createWebChatRouter>;
let dir: string;
let visitor: { visitorId: string; cookieValue: string };
const clients: Client[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'webchat-'));
  const bus = new InProcessMessageBus();
  engine = new EchoEngine(new WebChatAdapter(bus));
  web = createWebChatRouter({
    sink: engine, bus, secret: SECRET, customerTokenSecret: TOKEN_SECRET, uploadDir: dir, uploadMaxBytes: 2048,
    history: async (threadId) => engine.log.filter(() => engine.accepted.some((m) => m.threadId === threadId)),
  });
  const app = express();
  app.use(web.router);
  app.use(errorMiddleware);
  server = createServer(app);
  web.attach(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  visitor = new VisitorIdentity(SECRET).newVisitor();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await web.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function connect(extra = ''): Promise<Client> {
  const c = await Client.open(`ws://${base}/ws/chat?vid=${encodeURIComponent(visitor.cookieValue)}&locale=zh-CN${extra}`);
  clients.push(c);
  return c;
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);

describe('web chat WebSocket', () => {
  it('stores a message, acks it, shows typing, then pushes the reply', async () => {
    const c = await connect();
    await c.waitFor('history');
    c.send({ type: 'message', clientMessageId: 'msg-00000001', text: '运费怎么算' });
    const ack = await c.waitFor('ack');
    expect(ack).toEqual({ type: 'ack', clientMessageId: 'msg-00000001', messageId: 1 });
    expect(engine.accepted[0]).toMatchObject({ channel: 'web', threadId: visitor.visitorId, locale: 'zh-CN', content: { type: 'text', text: '运费怎么算' } });
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

  it('passes the verified facts of a valid customer token to the sender', async () => {
    const token = signCustomerToken({ sub: 'C-42', phone: '13800138000', name: '张三', exp: Math.floor(Date.now() / 1000) + 600 }, TOKEN_SECRET);
    const c = await connect(`&token=${encodeURIComponent(token)}`);
    c.send({ type: 'message', clientMessageId: 'tok-0000001', text: '我的订单' });
    await c.waitFor('ack');
    const threadId = signedInThreadId(visitor.visitorId, 'C-42');
    expect(engine.accepted[0].sender).toEqual({ id: threadId, displayName: '张三', verified: { customerRef: 'C-42', phone: '13800138000' } });
    expect(engine.accepted[0].threadId).toBe(threadId);
    await c.waitFor('reply');
  });

  it('chats as a guest with a notice when the customer token is forged', async () => {
    const token = signCustomerToken({ sub: 'C-42', exp: Math.floor(Date.now() / 1000) + 600 }, 'not-the-shop-secret-0000');
    const c = await connect(`&token=${encodeURIComponent(token)}`);
    await c.waitFor('error', (f) => f.code === 'customer_token_rejected');
    c.send({ type: 'message', clientMessageId: 'tok-0000002', text: '我的订单' });
    await c.waitFor('ack');
    expect(engine.accepted[0].sender).toEqual({ id: visitor.visitorId });
  });

  it('refuses a socket without a valid visitor id', async () => {
    await expect(Client.open(`ws://${base}/ws/chat`)).rejects.toThrow(/401/);
    await expect(Client.open(`ws://${base}/ws/chat?vid=${encodeURIComponent(visitor.cookieValue.replace(/.$/, 'x'))}`)).rejects.toThrow(/401/);
  });

  it('turns an uploaded image into an attachment message', async () => {
    const up = await fetch(`http://${base}/api/webchat/uploads`, { method: 'POST', headers: { 'content-type': 'image/png', 'x-shopdesk-visitor': visitor.cookieValue }, body: PNG });
    expect(up.status).toBe(201);
    const { uploadId, url } = (await up.json()) as { uploadId: string; url: string };
    const c = await connect();
    c.send({ type: 'attachment', clientMessageId: 'img-0000001', uploadId });
    await c.waitFor('ack');
    expect(engine.accepted[0].content).toEqual({ type: 'attachment', kind: 'image', url, mimeType: 'image/png', sizeBytes: PNG.length });
  });
});

describe('web chat HTTP', () => {
  it('never adopts a visitor id from the link, so nobody can plant their session in another browser', async () => {
    const attacker = new VisitorIdentity(SECRET).newVisitor();
    const r = await fetch(`http://${base}/chat?vid=${encodeURIComponent(attacker.cookieValue)}`, { headers: { 'x-shopdesk-visitor': attacker.cookieValue } });
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^sd_vid=v_/);
    expect(cookie).not.toContain(attacker.cookieValue);
  });

  it('serves the chat page with a signed visitor cookie and a strict CSP', async () => {
    const r = await fetch(`http://${base}/chat`);
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toMatch(/^sd_vid=v_[^;]+; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax/);
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await r.text();
    expect(html).toContain('data-testid="chat-input"');
    expect(html).not.toContain('__SD_');
    expect((await fetch(`http://${base}/chat/assets/chat.js`)).status).toBe(200);
    expect((await fetch(`http://${base}/widget.js`)).headers.get('content-type')).toContain('javascript');
  });

  it('refuses an upload over the size limit with 413 and a clear message', async () => {
    const r = await fetch(`http://${base}/api/webchat/uploads`, { method: 'POST', headers: { 'content-type': 'image/png', 'x-shopdesk-visitor': visitor.cookieValue }, body: Buffer.concat([PNG, Buffer.alloc(4096)]) });
    expect(r.status).toBe(413);
    expect(await r.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The image is too large (at most 2 KB)' } });
  });

  it('refuses a text file renamed .png with 415 by its bytes', async () => {
    const r = await fetch(`http://${base}/api/webchat/uploads`, { method: 'POST', headers: { 'content-type': 'image/png', 'x-shopdesk-visitor': visitor.cookieValue }, body: Buffer.from('just some notes.txt\n') });
    expect(r.status).toBe(415);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('serves an uploaded image to its visitor only, with nosniff', async () => {
    const up = await fetch(`http://${base}/api/webchat/uploads`, { method: 'POST', headers: { 'content-type': 'image/png', cookie: `sd_vid=${visitor.cookieValue}` }, body: PNG });
    const { url } = (await up.json()) as { url: string };
    const own = await fetch(`http://${base}${url}`, { headers: { cookie: `sd_vid=${visitor.cookieValue}` } });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('image/png');
    expect(own.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await own.arrayBuffer()).equals(PNG)).toBe(true);
    const stranger = new VisitorIdentity(SECRET).newVisitor().cookieValue;
    expect((await fetch(`http://${base}${url}`, { headers: { cookie: `sd_vid=${stranger}` } })).status).toBe(404);
    expect((await fetch(`http://${base}${url}`)).status).toBe(404);
  });
});
