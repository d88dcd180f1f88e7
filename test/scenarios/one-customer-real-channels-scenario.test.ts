import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailChannel } from '../../src/channels/email/email-channel.js';
import { parseMenuSetting } from '../../src/channels/wechat-oa/oa-decode.js';
import { createWechatOaChannel } from '../../src/channels/wechat-oa/wechat-oa-channel.js';
import { createCrm } from '../../src/crm/index.js';
import { DEMO_PERSONAS } from '../../src/crm/seed/index.js';
import { InProcessLeaseManager } from '../../src/jobs/in-process-lease-manager.js';
import { FileMediaStore } from '../../src/media/file-media-store.js';
import { HttpSmsGateway } from '../../src/otp/http-sms-gateway.js';
import { CombinedOtpSender, SmsOtpSender } from '../../src/otp/sms-otp-sender.js';
import { SmtpOtpSender } from '../../src/otp/smtp-otp-sender.js';
import type { ChannelInstance } from '../../src/shared/channel-lifecycle.js';
import { InProcessRateLimiter } from '../../src/shared/rate-limiter.js';
import { createHarness, textOf, type Harness } from '../factories/engine-harness.js';
import { customerMail, dovecotInstalled, startDovecot, startSmtpToImap, type DovecotServer } from '../factories/mail-servers.js';
import { startSmsGatewayStub } from '../factories/sms-gateway-stub.js';
import type { SmtpTestServer } from '../factories/smtp-test-server.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';
import { newAesKey } from '../factories/wechat-callbacks.js';
import { oaMessageXml, safeOaCallback } from '../factories/wechat-oa-callbacks.js';
import { startWechatStub, type WechatStub } from '../factories/wechat-stub-server.js';

/**
 * One customer across channels (issue 10), through the real channel code: Zhang San writes on the
 * web chat and links it by a code texted (real HTTP SMS gateway stub) to the phone on file; then
 * writes to the WeChat Official Account — signed, encrypted callbacks POSTed to the OA router,
 * answers read from the stub WeChat API's `message/custom/send` — where, before linking, he sees
 * none of his orders, and links by a code e-mailed to him; then writes an e-mail that the real
 * e-mail channel reads from a Dovecot mailbox over IMAP and answers over SMTP into his mailbox,
 * and proves it by code too. He ends as one customer whose profile lists all three channels.
 * (test/scenarios/cross-channel-identity-scenario.test.ts keeps the engine-level edge cases.)
 */
const ROOT = join(import.meta.dirname, '..', '..');
const Z = DEMO_PERSONAS.zhangSan;
const APP_ID = 'wx0123456789abcdef';
const GH = 'gh_0123456789ab';
const OA_TOKEN = 'shopdeskOaToken1';
const SHOP = 'support@shop.example';

let database: TestDatabase;
let h: Harness;
let wx: WechatStub;
let oa: ChannelInstance;
let email: ChannelInstance;
let dovecot: DovecotServer;
let smtp: SmtpTestServer;
let gateway: Awaited<ReturnType<typeof startSmsGatewayStub>>;
let mailer: SmtpOtpSender;
let server: Server;
let base: string;
let mediaDir: string;
const aesKey = newAesKey();

async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dovecot = await startDovecot(['shop', 'customer']);
  // every mail the shop sends (replies and codes) lands in the customer's mailbox
  smtp = await startSmtpToImap(dovecot, 'customer');
  gateway = await startSmsGatewayStub();
  wx = await startWechatStub({ appId: APP_ID, appSecret: 'oaAppSecret0123456789' });
  database = await createTestDatabase();
  mediaDir = mkdtempSync(join(tmpdir(), 'shopdesk-one-customer-media-'));
  const media = new FileMediaStore(mediaDir, { maxBytes: 5 * 1024 * 1024, maxPixels: 64_000_000, maxSidePx: 16_384 }, 'one-customer-secret-0123456789');
  const crm = createCrm(database.db);
  const leases = new InProcessLeaseManager();
  // the channels are made before the engine (their adapters go into its registry)
  const made: { h?: Harness } = {};
  const sink = { accept: (m: Parameters<Harness['engine']['accept']>[0]) => made.h!.engine.accept(m), waitForReplies: (id: number, t: number) => made.h!.engine.waitForReplies(id, t) };
  oa = createWechatOaChannel({
    appId: APP_ID, appSecret: wx.appSecret, token: OA_TOKEN, aesKey, mode: 'safe', verified: true, apiBase: wx.baseUrl, path: '/wechat/oa/callback',
    welcome: '欢迎关注 Demo Shop！', menu: parseMenuSetting(''), passiveWaitMs: 4000, messageQuota: 5, eventQuota: 3,
  }, { sink, state: crm.channelState('wechat_oa'), tryLease: (n, t) => leases.tryAcquire(n, t), media, limiter: new InProcessRateLimiter() });
  email = createEmailChannel({
    address: SHOP, fromName: 'Demo Shop', smtpUrl: smtp.url, autoreplyPerHour: 50,
    imap: { host: '127.0.0.1', port: dovecot.port, secure: false, user: 'shop', pass: 'test-password-1', mailbox: 'INBOX', pollIntervalMs: 300, maxMailBytes: 2 * 1024 * 1024 },
  }, { sink, state: crm.channelState('email'), tryLease: async () => null, media, limiter: new InProcessRateLimiter() });
  mailer = new SmtpOtpSender({ url: smtp.url, from: `Demo Shop <${SHOP}>` });
  const otp = new CombinedOtpSender([mailer, new SmsOtpSender(new HttpSmsGateway({ url: gateway.url, token: 'gateway-token-123' }))]);
  h = await createHarness({ database, otp, adapters: [oa.adapter, email.adapter] });
  made.h = h;
  await oa.start();
  await email.start();
  const app = express();
  app.use(oa.router!);
  server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await until('IMAP up', () => email.health().state === 'up');
}, 120_000);

afterAll(async () => {
  await oa?.stop();
  await email?.stop();
  server?.closeAllConnections();
  if (server) await new Promise((r) => server.close(r));
  mailer?.close();
  await h?.close();
  await wx?.close();
  await smtp?.close();
  await gateway?.close();
  await dovecot?.close();
  if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
});

/** A WeChat user of the Official Account: each `send` is a signed, encrypted callback; the answers are what the API was asked to send him. */
function wechatUser(openid: string) {
  const sent = () => wx.oaSent.filter((s) => s.touser === openid).map((s) => (s.text as { content: string }).content);
  return {
    openid,
    async send(text: string): Promise<string> {
      const before = sent().length;
      const cb = safeOaCallback({ token: OA_TOKEN, aesKey, receiverId: APP_ID }, oaMessageXml(GH, { openid, msgType: 'text', fields: { Content: text } }));
      const res = await fetch(`${base}/wechat/oa/callback?${cb.search}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: cb.body });
      expect([res.status, await res.text()]).toEqual([200, 'success']);
      await until(`an answer to ${openid}`, () => sent().length > before);
      await h.queue.drain(20_000);
      return sent().slice(before).join('\n');
    },
  };
}

/** A mailbox user writing to the shop: each `send` is a mail put into the shop's IMAP INBOX; the answers are the replies to it in his own mailbox. */
function mailUser(from: string, subject: string) {
  let last: ParsedMail | undefined;
  let first: string | undefined;
  return {
    async send(body: string): Promise<string> {
      const { raw, id } = last
        ? customerMail({ from, to: `Demo Shop <${SHOP}>`, subject: last.subject, body, inReplyTo: last.messageId, references: [first!, last.messageId!] })
        : customerMail({ from, to: `Demo Shop <${SHOP}>`, subject, body });
      first ??= id;
      await dovecot.append('shop', raw);
      await until(`mail ${id} processed`, async () => {
        const rows = await database.db.message.findMany({ where: { channel: 'email', direction: 'in', platformMessageId: id } });
        return rows.length > 0 && rows.every((r) => r.status === 'processed');
      });
      await h.queue.drain(20_000);
      const replies = await until(`a reply to ${id}`, async () => {
        const r = (await dovecot.messages('customer')).map((m) => m.mail).filter((m) => m.inReplyTo === id);
        return r.length ? r : undefined;
      });
      last = replies.at(-1);
      return replies.map((m) => m.text ?? '').join('\n');
    },
  };
}

const codeMailsTo = (address: string) => smtp.received.filter((m) => !m.inReplyTo && (m.to as { value: { address: string }[] } | undefined)?.value.some((v) => v.address === address));
const mailedCode = (address: string, n: number) => until(`code mail #${n} to ${address}`, () => /\b(\d{6})\b/.exec(codeMailsTo(address)[n - 1]?.text ?? '')?.[1]);
const textedCode = (phone: string, n: number) => until(`code text #${n} to ${phone}`, () => /(\d{6})/.exec(gateway.textsTo(phone)[n - 1] ?? '')?.[1]);
const ownOrders = (text: string) => Object.values(Z.orders).filter((o) => text.includes(o));
const show = (who: string) => promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'src/cli/shopdesk-cli.ts'), 'customers', 'show', who], { env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' } });

describe.skipIf(!dovecotInstalled())('one customer across the real web chat, WeChat Official Account and e-mail channels', () => {
  it('links each channel by a one-time code and ends as one profile listing the conversations of all three', { timeout: 180_000 }, async () => {
    // 1. web chat, as a guest: "绑定手机" → a code texted to the phone on file
    const web = h.customer({ sender: { id: `browser-${randomUUID()}` } });
    expect(textOf(await web.send('绑定手机'))).toContain('手机号或邮箱');
    expect(textOf(await web.send(`我的手机是 ${Z.phone}`))).toMatch(/138\*\*\*\*8000.*6 位验证码.*10 分钟内有效/s);
    const smsCode = await textedCode(Z.phone, 1);
    expect(gateway.textsTo(Z.phone)[0]).toMatch(/【Demo Shop】您的验证码是 \d{6}，用于把客服对话关联到您的账户/);
    expect(textOf(await web.send(smsCode))).toContain('验证成功');
    expect(ownOrders(textOf(await web.send('我的订单到哪了'))).length).toBeGreaterThan(0);

    // 2. WeChat OA: a new openid sees none of his orders, then links by a code e-mailed to the address on file
    const wechat = wechatUser(`o${randomUUID().replace(/-/g, '').slice(0, 27)}`);
    const stranger = await wechat.send('我的订单到哪了');
    expect(ownOrders(stranger)).toEqual([]);
    // a text-only channel: the offer to verify is a numbered choice
    expect(stranger).toMatch(/订单号[\s\S]*1\. 验证身份（手机\/邮箱）/);
    expect(await wechat.send(`验证邮箱 ${Z.email}`)).toMatch(/zh\*\*\*@example\.com/);
    expect(await wechat.send(await mailedCode(Z.email, 1))).toContain('验证成功');
    expect(ownOrders(await wechat.send('我的订单到哪了')).length).toBeGreaterThan(0);

    // 3. e-mail: the From: alone shows no orders; the offered code proves it
    const mail = mailUser(`Zhang San <${Z.email}>`, 'Where is my order?');
    const before = await mail.send('Where is my order?');
    expect(ownOrders(before)).toEqual([]);
    expect(before).toMatch(/verify it is you first[\s\S]*1\. Verify it's me \(phone or e-mail\)/);
    expect(await mail.send('1')).toMatch(/phone number or e-mail address/);
    expect(await mail.send(Z.email)).toMatch(/If zh\*\*\*@example\.com is on file with us, a 6-digit code is on its way/);
    expect(await mail.send(await mailedCode(Z.email, 2))).toMatch(/Verified! This chat is now linked/);
    expect(ownOrders(await mail.send('Where is my order?')).length).toBeGreaterThan(0);

    // one customer: every conversation on Zhang San, all three channels in the profile and in the CLI
    const zhang = await h.crm.customers.findByContact(Z.phone);
    const profile = await h.crm.customers.profile(zhang!);
    expect(new Set(profile!.conversationList.map((c) => c.channel))).toEqual(new Set(['web', 'wechat_oa', 'email']));
    expect(profile!.identities.map((i) => i.channel)).toEqual(expect.arrayContaining(['web', `wechat_oa:${APP_ID}`, 'email_from', 'phone', 'email']));
    for (const [channel, threadId] of [['web', web.threadId], ['wechat_oa', `${APP_ID}:${wechat.openid}`]]) {
      expect((await h.crm.conversations.byThread(channel, threadId))?.customerId).toBe(zhang);
    }
    const { stdout } = await show(Z.phone);
    expect(stdout).toContain('张三');
    for (const channel of ['web', 'wechat_oa', 'email']) expect(stdout).toMatch(new RegExp(`#\\d+\\s+${channel}\\s`));
  });
});
