import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMenuSetting } from '../../src/channels/wechat-oa/oa-decode.js';
import { createWechatOaChannel, type WechatOaSettings } from '../../src/channels/wechat-oa/wechat-oa-channel.js';
import { createCrm } from '../../src/crm/index.js';
import { InProcessGroupLock, type GroupLock } from '../../src/jobs/group-lock.js';
import { InProcessLeaseManager } from '../../src/jobs/in-process-lease-manager.js';
import type { Lease } from '../../src/jobs/lease-types.js';
import { FileMediaStore } from '../../src/media/file-media-store.js';
import type { ChannelInstance } from '../../src/shared/channel-lifecycle.js';
import { InProcessRateLimiter } from '../../src/shared/rate-limiter.js';
import { createHarness, type Harness } from '../factories/engine-harness.js';
import { pngImage } from '../factories/image-builders.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';
import { newAesKey } from '../factories/wechat-callbacks.js';
import { oaMessageXml, passiveContent, plainOaCallback, safeOaCallback, type OaMessage } from '../factories/wechat-oa-callbacks.js';
import { startWechatStub, type WechatStub } from '../factories/wechat-stub-server.js';

/**
 * The Official Account channel end to end: callbacks signed (and in safe mode encrypted) with the
 * published algorithm are POSTed over real HTTP on loopback to the channel's router, the real
 * engine answers (seeded demo shop, NLU, FAQ), and customer-service messages go to a local stub
 * of WeChat's API (test/factories/wechat-stub-server.ts).
 */
const APP_ID = 'wx0123456789abcdef';
const GH = 'gh_0123456789ab';
const TOKEN = 'shopdeskOaToken1';
const CUSTOM_SEND = '/cgi-bin/message/custom/send';

/** A real lock that can be made slow, standing in for an engine busy with a slow model. */
class SlowLock implements GroupLock {
  delayMs = 0;
  constructor(private readonly inner: GroupLock) {}
  withLock<T>(key: string, ttlMs: number, fn: (lease: Lease) => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    return this.inner.withLock(key, ttlMs, async (lease) => {
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      return fn(lease);
    });
  }
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Rig {
  stub: WechatStub;
  database: TestDatabase;
  harness: Harness;
  channel: ChannelInstance;
  settings: WechatOaSettings;
  lock: SlowLock;
  base: string;
  server: Server;
  mediaDir: string;
  media: FileMediaStore;
  clockOffsetMs: { value: number };
}

async function startRig(o: { verified: boolean; aesKey?: string }): Promise<Rig> {
  const stub = await startWechatStub({ appId: APP_ID, appSecret: 'oaAppSecret0123456789' });
  const database = await createTestDatabase();
  const mediaDir = mkdtempSync(join(tmpdir(), 'shopdesk-oa-media-'));
  const media = new FileMediaStore(mediaDir, { maxBytes: 5 * 1024 * 1024, maxPixels: 64_000_000, maxSidePx: 16_384 }, 'oa-test-secret-0123456789');
  const settings: WechatOaSettings = {
    appId: APP_ID, appSecret: stub.appSecret, token: TOKEN, aesKey: o.aesKey, mode: o.aesKey ? 'safe' : 'plain', verified: o.verified,
    apiBase: stub.baseUrl, path: '/wechat/oa/callback', welcome: '欢迎关注 Demo Shop！', menu: parseMenuSetting('RETURNS=你们的退货政策是什么,HUMAN=postback:handoff'),
    passiveWaitMs: 4000, messageQuota: 5, eventQuota: 3,
  };
  const leases = new InProcessLeaseManager();
  const clockOffsetMs = { value: 0 };
  const made: { harness?: Harness } = {};
  const channel = createWechatOaChannel(settings, {
    // the engine is made after the channel (its adapter goes into the engine's registry)
    sink: { accept: (m) => made.harness!.engine.accept(m), waitForReplies: (id, t) => made.harness!.engine.waitForReplies(id, t), noteForStaff: (n) => made.harness!.engine.noteForStaff(n) },
    state: createCrm(database.db).channelState('wechat_oa'), tryLease: (n, t) => leases.tryAcquire(n, t), media, limiter: new InProcessRateLimiter(),
    clock: () => new Date(Date.now() + clockOffsetMs.value),
  });
  const lock = new SlowLock(new InProcessGroupLock());
  const harness = await createHarness({ database, adapters: [channel.adapter], lock });
  made.harness = harness;
  await channel.start();
  const app = express();
  app.use(channel.router!);
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { stub, database, harness, channel, settings, lock, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, mediaDir, media, clockOffsetMs };
}

async function stopRig(r: Rig | undefined): Promise<void> {
  if (!r) return;
  await r.channel.stop();
  r.server.closeAllConnections();
  await new Promise((res) => r.server.close(res));
  await r.harness.close();
  await r.stub.close();
  rmSync(r.mediaDir, { recursive: true, force: true });
}

async function post(r: Rig, cb: { search: string; body: string }): Promise<{ status: number; body: string; ms: number }> {
  const t0 = Date.now();
  const res = await fetch(`${r.base}/wechat/oa/callback?${cb.search}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: cb.body });
  return { status: res.status, body: await res.text(), ms: Date.now() - t0 };
}

/** The internal notes on a thread's conversation (what /desk shows as notes), and its inbound messages. */
async function notesOn(r: Rig, openid: string) {
  const c = await r.harness.crm.conversations.byThread('wechat_oa', `${APP_ID}:${openid}`);
  return c ? r.database.db.conversationNote.findMany({ where: { conversationId: c.id }, orderBy: { id: 'asc' } }) : [];
}
const inboundOn = (r: Rig, openid: string) => r.database.db.message.findMany({ where: { channel: 'wechat_oa', direction: 'in', threadId: `${APP_ID}:${openid}` } });

const sentTo = (r: Rig, openid: string) => r.stub.oaSent.filter((s) => s.touser === openid).map((s) => (s.text as { content: string }).content);

describe('WeChat Official Account, verified, safe mode', () => {
  let r: Rig;
  const aesKey = newAesKey();
  const secrets = { token: TOKEN, aesKey, receiverId: APP_ID };
  const callback = (m: OaMessage, o: { timestamp?: number; nonce?: string; receiverId?: string } = {}) => safeOaCallback(secrets, oaMessageXml(GH, m), o);

  beforeAll(async () => { r = await startRig({ verified: true, aesKey }); }, 120_000);
  afterAll(async () => { await stopRig(r); });

  it('answers the platform\'s URL check, and refuses one with a wrong signature', async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const { oaSignature } = await import('../factories/wechat-oa-callbacks.js');
    const ok = await fetch(`${r.base}/wechat/oa/callback?signature=${oaSignature(TOKEN, ts, 'n1')}&timestamp=${ts}&nonce=n1&echostr=hello123`);
    expect([ok.status, await ok.text()]).toEqual([200, 'hello123']);
    const bad = await fetch(`${r.base}/wechat/oa/callback?signature=${oaSignature('other', ts, 'n1')}&timestamp=${ts}&nonce=n1&echostr=hello123`);
    expect(bad.status).toBe(401);
  });

  it('acks at once with "success" and sends the answer through message/custom/send; the openid is its own identity under the account', async () => {
    const openid = 'oCustomerA';
    const res = await post(r, callback({ openid, msgType: 'text', fields: { Content: '你们的退货政策是什么' } }));
    expect(res).toMatchObject({ status: 200, body: 'success' });
    // stored before the answer, well inside WeChat's 5 s even on a loaded machine
    expect(res.ms).toBeLessThan(2500);
    const [text] = await until('the answer sent', () => (sentTo(r, openid).length ? sentTo(r, openid) : undefined));
    expect(text).toMatch(/退|7/);
    const identity = await r.database.db.identity.findFirst({ where: { externalId: openid } });
    expect(identity?.channel).toBe(`wechat_oa:${APP_ID}`);
    expect(r.stub.callsTo('/cgi-bin/token')).toHaveLength(1);
  });

  it('answers a message WeChat retries three times once', async () => {
    const openid = 'oCustomerRetry';
    const xml = oaMessageXml(GH, { openid, msgType: 'text', fields: { Content: '你好' }, msgId: '6700000000000000001' });
    // the platform's retries carry the same message (and a fresh signature)
    const answers = await Promise.all([0, 1, 2, 3].map(() => post(r, safeOaCallback(secrets, xml))));
    expect(answers.map((a) => a.body)).toEqual(['success', 'success', 'success', 'success']);
    await until('the answer sent', () => sentTo(r, openid).length);
    await r.harness.queue.drain(10_000);
    await new Promise((res) => setTimeout(res, 300));
    expect(sentTo(r, openid)).toHaveLength(1);
    expect(await r.database.db.message.count({ where: { channel: 'wechat_oa', direction: 'in', platformMessageId: 'msg:6700000000000000001' } })).toBe(1);
  });

  it('rejects forged, stale, corrupted, misaddressed and unencrypted callbacks, and a replay stores nothing new', async () => {
    const openid = 'oAttacker';
    const before = await r.database.db.message.count({ where: { channel: 'wechat_oa', direction: 'in' } });
    const good = callback({ openid, msgType: 'text', fields: { Content: '查订单' } });
    const forged = safeOaCallback({ ...secrets, token: 'notTheToken' }, oaMessageXml(GH, { openid, msgType: 'text', fields: { Content: 'x' } }));
    const stale = callback({ openid, msgType: 'text', fields: { Content: 'x' } }, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    const otherApp = callback({ openid, msgType: 'text', fields: { Content: 'x' } }, { receiverId: 'wxffffffffffffffff' });
    const corrupted = { ...good, body: good.body.replace(good.encrypted, `${good.encrypted.slice(0, 40)}${good.encrypted.slice(40, 80).split('').reverse().join('')}${good.encrypted.slice(80)}`) };
    const plain = plainOaCallback(TOKEN, oaMessageXml(GH, { openid, msgType: 'text', fields: { Content: 'x' } }));
    expect((await post(r, forged)).status).toBe(401);
    expect((await post(r, stale)).status).toBe(401);
    expect((await post(r, otherApp)).status).toBeGreaterThanOrEqual(400);
    expect((await post(r, corrupted)).status).toBeGreaterThanOrEqual(400);
    expect((await post(r, plain)).status).toBe(401);
    expect(await r.database.db.message.count({ where: { channel: 'wechat_oa', direction: 'in' } })).toBe(before);
    expect((await post(r, good)).body).toBe('success');
    await until('answered', () => sentTo(r, openid).length);
    const replay = await post(r, good);
    expect(replay.body).toBe('success');
    await r.harness.queue.drain(10_000);
    expect(await r.database.db.message.count({ where: { channel: 'wechat_oa', direction: 'in' } })).toBe(before + 1);
    expect(sentTo(r, openid)).toHaveLength(1);
    const counters = r.channel.health().counters!;
    expect(counters.rejected_CALLBACK_FORGED).toBeGreaterThanOrEqual(2);
    expect(counters.rejected_CALLBACK_STALE).toBe(1);
  });

  it('welcomes a new follower once, and turns a menu click into the configured request', async () => {
    const openid = 'oFollower';
    const at = Math.floor(Date.now() / 1000);
    const subscribe = oaMessageXml(GH, { openid, msgType: 'event', fields: { Event: 'subscribe', EventKey: '' }, msgId: null, createTime: at });
    expect((await post(r, safeOaCallback(secrets, subscribe))).body).toBe('success');
    expect((await post(r, safeOaCallback(secrets, subscribe))).body).toBe('success');
    await until('welcome sent', () => sentTo(r, openid).length);
    const click = oaMessageXml(GH, { openid, msgType: 'event', fields: { Event: 'CLICK', EventKey: 'RETURNS' }, msgId: null, createTime: at + 1 });
    expect((await post(r, safeOaCallback(secrets, click))).body).toBe('success');
    await until('menu answered', () => sentTo(r, openid).length >= 2);
    await new Promise((res) => setTimeout(res, 300));
    expect(sentTo(r, openid)[0]).toBe('欢迎关注 Demo Shop！');
    expect(sentTo(r, openid)).toHaveLength(2);
    const inbound = await r.database.db.message.findFirst({ where: { channel: 'wechat_oa', direction: 'in', platformMessageId: `evt:${openid}:${at + 1}` } });
    expect(inbound?.text).toBe('你们的退货政策是什么');
  });

  it('puts a customer\'s image into the media store, owned by the conversation', async () => {
    const openid = 'oPhoto';
    const token = (await (await fetch(`${r.stub.baseUrl}/cgi-bin/token?grant_type=client_credential&appid=${APP_ID}&secret=${r.stub.appSecret}`)).json()) as { access_token: string };
    const form = new FormData();
    form.append('media', new Blob([new Uint8Array(pngImage(40, 30))], { type: 'image/png' }), 'photo.png');
    const uploaded = (await (await fetch(`${r.stub.baseUrl}/cgi-bin/media/upload?access_token=${token.access_token}&type=image`, { method: 'POST', body: form })).json()) as { media_id: string };
    const res = await post(r, callback({ openid, msgType: 'image', fields: { PicUrl: `${r.stub.baseUrl}/pic/1.jpg`, MediaId: uploaded.media_id } }));
    expect(res.body).toBe('success');
    const row = await r.database.db.message.findFirst({ where: { channel: 'wechat_oa', direction: 'in', threadId: `${APP_ID}:${openid}` } });
    const content = (JSON.parse(row!.payload!) as { content: { type: string; mediaId?: string; url: string } }).content;
    expect(content).toMatchObject({ type: 'attachment', mediaId: expect.stringMatching(/^[a-f0-9]{32}$/), url: `/media/${content.mediaId}` });
    expect((await r.media.get(content.mediaId!))?.owner).toEqual({ channel: 'wechat_oa', threadId: `${APP_ID}:${openid}`, uploadedBy: 'customer' });
  });

  it('refreshes an expired access token once and retries the send', async () => {
    const openid = 'oTokenCustomer';
    const tokenCalls = r.stub.callsTo('/cgi-bin/token').length;
    r.stub.expireTokens();
    await post(r, callback({ openid, msgType: 'text', fields: { Content: '你好' } }));
    await until('sent after the refresh', () => sentTo(r, openid).length);
    expect(r.stub.callsTo('/cgi-bin/token')).toHaveLength(tokenCalls + 1);
    expect(r.stub.callsTo(CUSTOM_SEND).some((c) => c.answer?.errcode === 42001)).toBe(true);
  });

  it('keeps a reply through an API outage and sends it when the API is back', async () => {
    const openid = 'oOutage';
    r.stub.inject(CUSTOM_SEND, { status: 503 }, 2);
    await post(r, callback({ openid, msgType: 'text', fields: { Content: '你好' } }));
    const [text] = await until('sent after the outage', () => (sentTo(r, openid).length ? sentTo(r, openid) : undefined));
    expect(text.length).toBeGreaterThan(0);
    expect(r.stub.callsTo(CUSTOM_SEND).filter((c) => c.answer?.status === 503)).toHaveLength(2);
  });

  it('holds a reply when the 48-hour window is closed, tells staff, and sends it at the next contact', async () => {
    const openid = 'oWindow';
    r.stub.closeWindow(openid);
    await post(r, callback({ openid, msgType: 'text', fields: { Content: '你们的退货政策是什么' } }));
    const [note] = await until('staff told', async () => ((await notesOn(r, openid)).length ? notesOn(r, openid) : undefined));
    // an internal note by the channel, not a message on the customer's side of the transcript
    expect(note).toMatchObject({ staffId: null, author: 'system:wechat_oa', text: expect.stringMatching(/48 hours/) });
    expect((await inboundOn(r, openid)).map((m) => m.text)).toEqual(['你们的退货政策是什么']);
    expect(sentTo(r, openid)).toEqual([]);
    // our own book-keeping: two days later nothing is even tried
    r.stub.openWindow(openid);
    r.clockOffsetMs.value = 49 * 3_600_000;
    const tries = r.stub.callsTo(CUSTOM_SEND).length;
    const staffReply = { channel: 'wechat_oa' as const, threadId: `${APP_ID}:${openid}`, messageId: 'staff-late-1', message: { type: 'text' as const, text: '您好，我们已为您登记退货。', author: { kind: 'staff' as const, name: '小王' } }, createdAt: new Date() };
    await r.channel.adapter.send(staffReply);
    // a retried delivery of the same reply: still one note for it
    await r.channel.adapter.send(staffReply);
    expect(r.stub.callsTo(CUSTOM_SEND).length).toBe(tries);
    expect((await notesOn(r, openid)).map((n) => n.dedupeKey)).toEqual([note.dedupeKey, 'wechat_oa:held:staff-late-1']);
    expect(r.channel.health().counters?.held).toBeGreaterThanOrEqual(2);
    // two days on for WeChat too: the callback is signed at that time
    const later = Math.floor((Date.now() + r.clockOffsetMs.value) / 1000);
    expect((await post(r, callback({ openid, msgType: 'text', fields: { Content: '在吗' }, createTime: later }, { timestamp: later }))).body).toBe('success');
    const texts = await until('held replies sent', () => (sentTo(r, openid).join('\n').includes('登记退货') ? sentTo(r, openid) : undefined));
    // the held answer and the staff message went out merged in one send, before the new answer
    expect(texts[0]).toMatch(/7 天[\s\S]*登记退货/);
    expect(texts.length).toBeLessThanOrEqual(2);
    r.clockOffsetMs.value = 0;
  });
});

describe('WeChat Official Account, unverified, plain mode (passive replies)', () => {
  let r: Rig;
  const callback = (m: OaMessage) => plainOaCallback(TOKEN, oaMessageXml(GH, m));

  beforeAll(async () => { r = await startRig({ verified: false }); }, 120_000);
  afterAll(async () => { await stopRig(r); });

  it('answers in the callback when the reply is ready within the wait, and never calls the customer-service API', async () => {
    const res = await post(r, callback({ openid: 'oPassive', msgType: 'text', fields: { Content: '你们的退货政策是什么' } }));
    expect(res.status).toBe(200);
    expect(res.body).toContain('<ToUserName><![CDATA[oPassive]]></ToUserName>');
    expect(res.body).toContain(`<FromUserName><![CDATA[${GH}]]></FromUserName>`);
    expect(passiveContent(res.body)).toMatch(/退/);
    expect(res.ms).toBeLessThan(4500);
    await r.harness.queue.drain(10_000);
    expect(r.stub.callsTo(CUSTOM_SEND)).toHaveLength(0);
    expect(r.channel.health().counters?.passiveInTime).toBe(1);
  });

  it('welcomes a follower in the callback answer', async () => {
    const res = await post(r, callback({ openid: 'oNewFan', msgType: 'event', fields: { Event: 'subscribe' }, msgId: null }));
    expect(passiveContent(res.body)).toBe('欢迎关注 Demo Shop！');
  });

  it('keeps a staff reply for the customer\'s next message (the account cannot push), with a note for staff', async () => {
    const openid = 'oStaffLater';
    await post(r, callback({ openid, msgType: 'text', fields: { Content: '你好' } }));
    await r.channel.adapter.send({ channel: 'wechat_oa', threadId: `${APP_ID}:${openid}`, messageId: 'staff-1', message: { type: 'text', text: '您好，我是客服小王，订单已为您加急。', author: { kind: 'staff', name: '小王' } }, createdAt: new Date() });
    const [note] = await until('staff told', async () => ((await notesOn(r, openid)).length ? notesOn(r, openid) : undefined));
    expect(note).toMatchObject({ author: 'system:wechat_oa', dedupeKey: 'wechat_oa:held:staff-1', text: expect.stringMatching(/cannot send on its own/) });
    expect((await inboundOn(r, openid)).map((m) => m.text)).toEqual(['你好']);
    const next = await post(r, callback({ openid, msgType: 'text', fields: { Content: '好的' } }));
    expect(passiveContent(next.body)).toMatch(/^您好，我是客服小王，订单已为您加急。/);
  });

  it('answers "success" when the reply is too late, hands off, and gives the late answer at the next message', async () => {
    const openid = 'oSlow';
    r.settings.passiveWaitMs = 400;
    r.lock.delayMs = 1200;
    const res = await post(r, callback({ openid, msgType: 'text', fields: { Content: '你们的退货政策是什么' } }));
    expect(res.body).toBe('success');
    expect(res.ms).toBeLessThan(1500);
    await r.harness.queue.drain(15_000);
    const conversation = await until('handed off', async () => {
      const c = await r.database.db.conversation.findFirst({ where: { channel: 'wechat_oa', threadId: `${APP_ID}:${openid}` } });
      return c && c.mode !== 'bot' ? c : undefined;
    });
    expect(['waiting', 'human']).toContain(conversation.mode);
    r.lock.delayMs = 0;
    r.settings.passiveWaitMs = 4000;
    const next = await post(r, callback({ openid, msgType: 'text', fields: { Content: '在吗' } }));
    const text = passiveContent(next.body);
    expect(text).toMatch(/晚了|late/);
    expect(text).toMatch(/退/);
    expect(r.stub.callsTo(CUSTOM_SEND)).toHaveLength(0);
  });
});
