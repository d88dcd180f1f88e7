import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { errorMiddleware } from '../../http/error-middleware.js';
import type { InboundMessage, OutboundMessage } from '../../shared/message-types.js';
import { InProcessRateLimiter } from '../../shared/rate-limiter.js';
import { createRestChannelRouter } from './rest-channel-router.js';

/** An engine twin for a request/response channel: dedupes by platform id and answers each message. */
class AnsweringEngine {
  readonly accepted: InboundMessage[] = [];
  private readonly ids = new Map<string, number>();

  async accept(m: InboundMessage): Promise<{ messageId: number; duplicate: boolean }> {
    const known = this.ids.get(m.platformMessageId);
    if (known) return { messageId: known, duplicate: true };
    this.accepted.push(m);
    this.ids.set(m.platformMessageId, this.accepted.length);
    return { messageId: this.accepted.length, duplicate: false };
  }

  async waitForReplies(id: number): Promise<{ id: number; message: OutboundMessage }[]> {
    const m = this.accepted[id - 1];
    return [{ id: 1000 + id, message: { type: 'text', text: `re: ${m.content.type === 'text' ? m.content.text : ''}` } }];
  }
}

let server: Server | undefined;
afterEach(async () => {
  if (server) await new Promise((r) => server?.close(r));
  server = undefined;
});

async function start(apiToken?: string, host = '127.0.0.1', limits?: { messagesPerMinute: number }): Promise<{ url: string; engine: AnsweringEngine }> {
  const engine = new AnsweringEngine();
  const app = express();
  app.use(createRestChannelRouter({ sink: engine, apiToken, ...(limits ? { limiter: new InProcessRateLimiter(), ...limits } : {}) }));
  app.use(errorMiddleware);
  server = createServer(app);
  await new Promise<void>((r) => server?.listen(0, host, r));
  return { url: `http://${host}:${(server.address() as AddressInfo).port}/api/channels/rest/messages`, engine };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('REST channel', () => {
  it('returns the bot replies to a message in the response', async () => {
    const { url, engine } = await start();
    const r = await post(url, { sender: 'script-1', text: '运费怎么算', locale: 'zh-CN', messageId: 'k1' });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ messageId: 1, duplicate: false, replies: [{ type: 'text', text: 're: 运费怎么算' }] });
    expect(engine.accepted[0]).toMatchObject({ channel: 'rest', platformMessageId: '["script-1","k1"]', threadId: 'script-1', sender: { id: 'script-1' }, locale: 'zh-CN' });
  });

  it('reports a retried idempotency key as a duplicate', async () => {
    const { url, engine } = await start();
    await post(url, { sender: 's', text: 'hi', messageId: 'same' });
    const again = (await (await post(url, { sender: 's', text: 'hi', messageId: 'same' })).json()) as { duplicate: boolean; messageId: number };
    expect(again).toMatchObject({ duplicate: true, messageId: 1 });
    expect(engine.accepted).toHaveLength(1);
  });

  it('scopes a client message id to its sender, so another sender is never taken for a duplicate', async () => {
    const { url } = await start();
    const alice = (await (await post(url, { sender: 'alice', text: '你好', messageId: '1' })).json()) as { duplicate: boolean; messageId: number };
    const bob = (await (await post(url, { sender: 'bob', text: '运费怎么算', messageId: '1' })).json()) as { duplicate: boolean; messageId: number };
    expect(bob.duplicate).toBe(false);
    expect(bob.messageId).not.toBe(alice.messageId);
  });

  it('keys idempotency on the (sender, id) pair: "victim:x"+"1" is not "victim"+"x:1", and no reply leaks', async () => {
    const { url, engine } = await start();
    const victim = (await (await post(url, { sender: 'victim', text: 'my address is 1 Secret Lane', messageId: 'x:1' })).json()) as { duplicate: boolean; replies: { text: string }[] };
    const attacker = (await (await post(url, { sender: 'victim:x', text: 'hi', messageId: '1' })).json()) as { duplicate: boolean; replies: { text: string }[] };
    expect(attacker.duplicate).toBe(false);
    expect(JSON.stringify(attacker.replies)).not.toContain('Secret Lane');
    expect(engine.accepted).toHaveLength(2);
    expect(victim.duplicate).toBe(false);
  });

  it('limits messages per sender, not per address: one busy sender is refused politely, the others go on', async () => {
    const { url } = await start(undefined, '127.0.0.1', { messagesPerMinute: 3 });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await post(url, { sender: 'busy', text: `m${i}`, locale: 'zh-CN' })).status);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const refused = await post(url, { sender: 'busy', text: 'again', locale: 'zh-CN' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/太快/);
    // the same backend (same address) speaking for other customers is not held back
    for (let i = 0; i < 3; i++) expect((await post(url, { sender: `customer-${i}`, text: 'hi' })).status).toBe(200);
  });

  it('refuses a request relayed with X-Real-IP alone when no token is configured', async () => {
    const { url, engine } = await start();
    const r = await post(url, { sender: 'x', text: 'hi' }, { 'x-real-ip': '203.0.113.9' });
    expect(r.status).toBe(403);
    expect(engine.accepted).toHaveLength(0);
  });

  it('refuses a forwarded request (a reverse proxy on this machine) when no token is configured', async () => {
    const { url } = await start();
    const r = await post(url, { sender: 'x', text: 'hi' }, { 'x-forwarded-for': '203.0.113.9' });
    expect(r.status).toBe(403);
  });

  it('answers 401 to a wrong or missing bearer token when a token is configured', async () => {
    const { url, engine } = await start('rest-token-0123456789');
    expect((await post(url, { sender: 's', text: 'hi' }, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(url, { sender: 's', text: 'hi' })).status).toBe(401);
    expect((await post(url, { sender: 's', text: 'hi' }, { authorization: 'Bearer rest-token-0123456789' })).status).toBe(200);
    expect(engine.accepted).toHaveLength(1);
  });

  it('answers 400 naming the field of a bad body', async () => {
    const { url } = await start();
    const r = await post(url, { sender: '', text: 'x'.repeat(20_001) });
    expect(r.status).toBe(400);
    const { error } = (await r.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(/sender:/);
    expect(error.message).toMatch(/text:/);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const { url } = await start();
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(r.status).toBe(400);
  });
});

const lanAddress = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe.skipIf(!lanAddress)('REST channel without a token', () => {
  it('refuses a caller that is not on this machine with 403', async () => {
    const { url } = await start(undefined, lanAddress);
    const r = await post(url, { sender: 's', text: 'hi' });
    expect(r.status).toBe(403);
  });
});
