import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProfile } from '../../src/cli/customer-command.js';
import { ticketNumber } from '../../src/crm/index.js';
import { signCustomerToken } from '../../src/channels/web/customer-token.js';
import { RedisRateLimiter } from '../../src/jobs/redis-rate-limiter.js';
import { pngClaiming, pngOfSize } from '../factories/image-builders.js';
import { deleteRedisPrefix, newRedisTestPrefix, TEST_REDIS_URL } from '../factories/redis-test-prefix.js';
import { ChatBrowser, ChatSocket } from '../factories/web-chat-client.js';
import { SHOP_TOKEN_SECRET, startWebChatApp, type WebChatApp } from '../factories/web-chat-app.js';

/**
 * Rate limits and quotas (issue 6 item 7) and the smaller holes of item 9, against the real web
 * chat on the real engine: a flooding socket, a storm of sockets and uploads, a carrier NAT full
 * of customers, limits shared by two web processes through Redis, a huge-canvas PNG, a 64 MB
 * chunked upload, C1 control characters, and frame-ancestors.
 */
let app: WebChatApp;
const sockets: ChatSocket[] = [];
beforeAll(async () => {
  app = await startWebChatApp({ frameAncestors: ['https://shop.example.com'] });
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await app?.close();
});

async function connect(b: ChatBrowser, opts: { token?: string; locale?: string } = {}): Promise<ChatSocket> {
  const s = await b.connect(opts);
  sockets.push(s);
  await s.waitFor('history');
  return s;
}

const upload = (base: string, ticket: string, body: Buffer) =>
  fetch(`${base}/api/webchat/uploads`, { method: 'POST', headers: { 'content-type': 'image/png', 'x-shopdesk-upload': ticket }, body: new Uint8Array(body) });

describe('rate limits (item 7)', () => {
  it('stops one socket flooding 1,500 messages with a polite note in its language, while another customer is answered', async () => {
    const flooder = await connect(new ChatBrowser(app.base), { locale: 'zh-CN' });
    const other = await connect(new ChatBrowser(app.base), { locale: 'en-US' });
    for (let i = 0; i < 1500; i++) flooder.send({ type: 'message', clientMessageId: `flood-${String(i).padStart(6, '0')}`, text: `刷屏 ${i}` });
    other.send({ type: 'message', clientMessageId: 'other-0000001', text: 'how much is shipping?' });
    await other.waitFor('reply', () => true, 20_000);
    await expect.poll(() => flooder.closeCode, { timeout: 20_000 }).toBe(1008);
    const acked = flooder.frames.filter((f) => f.type === 'ack').length;
    const refused = flooder.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited');
    // the connection's burst (20), give or take what refilled while the flood ran
    expect(acked).toBeLessThanOrEqual(25);
    expect(refused.length).toBeGreaterThan(40);
    expect(refused[0]).toMatchObject({ clientMessageId: expect.stringMatching(/^flood-/), retryAfterMs: expect.any(Number) });
    expect((refused[0] as { message: string }).message).toMatch(/您发送得有点快，请稍等 \d+ 秒/);
    const stored = await app.harness.database.db.message.count({ where: { direction: 'in', text: { startsWith: '刷屏' } } });
    expect(stored).toBe(acked);
  });

  it('lets one visitor hold a handful of sockets, not 300', async () => {
    const b = new ChatBrowser(app.base);
    const tickets = [];
    for (let i = 0; i < 300; i++) tickets.push((await b.session()).body.socketUrl);
    const results = await Promise.allSettled(tickets.map((t) => ChatSocket.open(app.base, t)));
    const opened = results.filter((r): r is PromiseFulfilledResult<ChatSocket> => r.status === 'fulfilled').map((r) => r.value);
    sockets.push(...opened);
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.length).toBeLessThanOrEqual(8);
    expect(results.filter((r) => r.status === 'rejected' && /429/.test(String(r.reason))).length).toBe(300 - opened.length);
  });

  it('caps what one visitor uploads: 40 MB in a burst is refused after the quota, politely', async () => {
    const b = new ChatBrowser(app.base);
    const { body } = await b.session({ locale: 'en-US' });
    const five = pngOfSize(5 * 1024 * 1024 - 64);
    const answers = await Promise.all(Array.from({ length: 8 }, () => upload(app.base, body.uploadTicket, five)));
    const codes = answers.map((r) => r.status);
    expect(codes.filter((c) => c === 201).length).toBeLessThanOrEqual(4);
    const refused = answers.find((r) => r.status === 429);
    expect(refused).toBeDefined();
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused!.json()) as { error: { message: string } }).error.message).toMatch(/a lot of images at once/);
  });

  it('never throttles a carrier NAT full of customers because one of them floods', async () => {
    const customers = await Promise.all(Array.from({ length: 40 }, () => connect(new ChatBrowser(app.base))));
    const flooder = await connect(new ChatBrowser(app.base));
    for (let i = 0; i < 200; i++) flooder.send({ type: 'message', clientMessageId: `natflood-${String(i).padStart(5, '0')}`, text: 'spam' });
    for (let round = 0; round < 3; round++) {
      customers.forEach((c, i) => c.send({ type: 'message', clientMessageId: `nat-${i}-${round}-000`, text: `你好 ${i}` }));
      await Promise.all(customers.map((c, i) => c.waitFor('ack', (f) => f.clientMessageId === `nat-${i}-${round}-000`, 15_000)));
    }
    expect(customers.flatMap((c) => c.frames.filter((f) => f.type === 'error'))).toEqual([]);
    await flooder.waitFor('error', (f) => f.code === 'rate_limited', 20_000);
  }, 60_000);
});

describe('one limiter shared by two web processes through Redis', () => {
  const prefix = newRedisTestPrefix();
  let shared: WebChatApp;
  let limiter: RedisRateLimiter;
  beforeAll(async () => {
    limiter = new RedisRateLimiter(TEST_REDIS_URL, prefix);
    await limiter.ready();
    shared = await startWebChatApp({ limiter, limits: { messagesPerVisitor: { points: 6, perMs: 60_000 }, messagesPerConnection: { points: 100, perMs: 1000 } } });
  }, 60_000);
  afterAll(async () => {
    await shared?.close();
    await limiter?.close();
    await deleteRedisPrefix(prefix);
  });

  it("counts one visitor's messages together whichever process their sockets reach", async () => {
    const second = await shared.addWebProcess();
    const b = new ChatBrowser(shared.base);
    const one = await connect(b);
    const other = await ChatSocket.open(second, (await b.session()).body.socketUrl);
    sockets.push(other);
    for (let i = 0; i < 10; i++) (i % 2 ? one : other).send({ type: 'message', clientMessageId: `split-${String(i).padStart(5, '0')}`, text: `hi ${i}` });
    const settled = () => [...one.frames, ...other.frames].filter((f) => f.type === 'ack' || (f.type === 'error' && f.code === 'rate_limited')).length;
    await expect.poll(settled, { timeout: 15_000 }).toBe(10);
    expect([...one.frames, ...other.frames].filter((f) => f.type === 'ack')).toHaveLength(6);
  });
});

describe('smaller holes (item 9)', () => {
  it('refuses a PNG that claims 60000×60000 pixels, however small the file', async () => {
    const { body } = await new ChatBrowser(app.base).session();
    const r = await upload(app.base, body.uploadTicket, pngClaiming(60000, 60000));
    expect(r.status).toBe(413);
    expect(((await r.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'IMAGE_TOO_LARGE', message: expect.stringContaining('60000×60000') });
  });

  it('cuts a 64 MB chunked upload off at the limit instead of reading it whole', async () => {
    const { body } = await new ChatBrowser(app.base).session();
    const url = new URL(`${app.base}/api/webchat/uploads`);
    const chunk = Buffer.alloc(64 * 1024, 1);
    const result = await new Promise<{ status?: number; written: number }>((resolve) => {
      let written = 0;
      let status: number | undefined;
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'image/png', 'transfer-encoding': 'chunked', 'x-shopdesk-upload': body.uploadTicket } });
      req.on('response', (res) => {
        status = res.statusCode;
        res.resume();
      });
      const finish = () => resolve({ status, written });
      req.on('error', finish);
      req.on('close', finish);
      const pump = (): void => {
        while (written < 64 * 1024 * 1024) {
          if (status !== undefined || req.destroyed) return;
          written += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    expect(result.status).toBe(413);
    // the server stopped at the 5 MB limit; what else got out is the sockets' buffers
    expect(result.written).toBeLessThan(16 * 1024 * 1024);
  });

  it('removes C1 control characters (U+009B) before anything is stored or shown to staff', async () => {
    const token = signCustomerToken({ sub: 'C1-TEST', name: 'Mallory\u009b2J\u009b31m', exp: Math.floor(Date.now() / 1000) + 600 }, SHOP_TOKEN_SECRET);
    const s = await connect(new ChatBrowser(app.base), { token });
    s.send({ type: 'message', clientMessageId: 'c1-00000001', text: 'hello\u009b2J\u0085world' });
    await s.waitFor('ack');
    await s.waitFor('reply', () => true, 15_000);
    const row = await app.harness.database.db.message.findFirstOrThrow({ where: { direction: 'in', text: { startsWith: 'hello' } } });
    expect(row.text).toBe('hello2Jworld');
    const customer = await app.harness.database.db.identity.findUniqueOrThrow({ where: { channel_externalId: { channel: 'shop', externalId: 'C1-TEST' } } });
    const profile = await app.harness.crm.customers.profile(customer.customerId);
    expect(profile?.name).toBe('Mallory2J31m');
    // and whatever a CSV import put in the database, the staff terminal never gets it
    await app.harness.database.db.customer.update({ where: { id: customer.customerId }, data: { name: 'Eve\u009b2J' } });
    const shown = formatProfile((await app.harness.crm.customers.profile(customer.customerId))!, ticketNumber);
    expect(shown).toContain('Eve2J');
    expect(shown).not.toMatch(/[\u0080-\u009f]/);
  });

  it('sends frame-ancestors with the sites the shop allows to embed the chat, and no referrer', async () => {
    const r = await fetch(`${app.base}/chat`);
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://shop.example.com");
    expect(r.headers.get('x-frame-options')).toBeNull();
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
