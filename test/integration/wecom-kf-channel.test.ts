import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWecomKfChannel, type WecomKfSettings } from '../../src/channels/wecom-kf/wecom-kf-channel.js';
import { createCrm } from '../../src/crm/index.js';
import { InProcessLeaseManager } from '../../src/jobs/in-process-lease-manager.js';
import { FileMediaStore } from '../../src/media/file-media-store.js';
import type { ChannelInstance, ChannelStateStore } from '../../src/shared/channel-lifecycle.js';
import type { InboundSink } from '../../src/shared/message-types.js';
import { InProcessRateLimiter } from '../../src/shared/rate-limiter.js';
import { createHarness, type Harness } from '../factories/engine-harness.js';
import { pngImage } from '../factories/image-builders.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';
import { kfEventXml, newAesKey, signedCallback, signedEchostr } from '../factories/wechat-callbacks.js';
import { startWechatStub, type WechatStub } from '../factories/wechat-stub-server.js';

/**
 * The WeCom kf channel end to end: callbacks signed and encrypted with the published algorithm
 * are posted over loopback HTTP to the channel's real express route; it pulls kf/sync_msg from
 * the local stub of the WeCom API, the real engine (seeded shop, NLU, desk) answers, and replies
 * come back through kf/send_msg on the stub, where these tests read them.
 */
const KF = 'wkSHOPDESK01';
const KF_AGENTS = 'wkWECOMAGENTS';
const PATH = '/wecom/kf/callback';

async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('WeCom customer service (微信客服) channel', () => {
  let stub: WechatStub;
  let database: TestDatabase;
  let harness: Harness;
  let channel: ChannelInstance;
  let settings: WecomKfSettings;
  let server: Server;
  let base: string;
  let mediaDir: string;
  let media: FileMediaStore;
  const leases = new InProcessLeaseManager();
  const limiter = new InProcessRateLimiter();
  let userN = 0;

  function build(o: { state?: ChannelStateStore; sink?: InboundSink } = {}): ChannelInstance {
    const crm = createCrm(database.db);
    return createWecomKfChannel(settings, {
      // the engine is made after the channel (its adapter goes into the engine's registry)
      sink: o.sink ?? { accept: (m) => harness.engine.accept(m), noteForStaff: (n) => harness.engine.noteForStaff(n) },
      state: o.state ?? crm.channelState('wecom_kf'), tryLease: (n, t) => leases.tryAcquire(n, t), media, limiter,
    });
  }

  /** Mounts a channel's routes on a fresh loopback server (a web process). */
  async function serve(c: ChannelInstance): Promise<{ url: string; close: () => Promise<void> }> {
    const app = express();
    app.use(c.router!);
    const s = app.listen(0, '127.0.0.1');
    await new Promise((r) => s.once('listening', r));
    return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, close: () => new Promise((r) => { s.closeAllConnections(); s.close(() => r(undefined)); }) };
  }

  const secrets = () => ({ token: settings.token, aesKey: settings.aesKey, receiverId: settings.corpId });

  async function post(url: string, cb: { search: string; body: string }): Promise<{ status: number; text: string }> {
    const r = await fetch(`${url}${PATH}?${cb.search}`, { method: 'POST', body: cb.body, headers: { 'content-type': 'text/xml' } });
    return { status: r.status, text: await r.text() };
  }

  /** A customer writes on the platform; WeCom posts the signed callback to us. */
  async function customerWrites(user: string, text: string, o: { kf?: string; url?: string } = {}) {
    const w = stub.customerWrites(o.kf ?? KF, user, { text });
    const cb = signedCallback(secrets(), kfEventXml(settings.corpId, w.token, o.kf ?? KF));
    const r = await post(o.url ?? base, cb);
    expect(r).toEqual({ status: 200, text: 'success' });
    return { ...w, cb };
  }

  async function processed(msgid: string) {
    await until(`message ${msgid} processed`, async () => {
      const row = await database.db.message.findFirst({ where: { channel: 'wecom_kf', direction: 'in', platformMessageId: msgid } });
      return row?.status === 'processed';
    });
    await harness.queue.drain(20_000);
  }

  const sentTo = (user: string) => stub.sent.filter((s) => s.touser === user);
  const contentOf = (s: { msgtype: string; body: Record<string, unknown> }) => (s.msgtype === 'text' ? (s.body.text as { content: string }).content : s.msgtype === 'msgmenu' ? (s.body.msgmenu as { head_content: string }).head_content : s.msgtype);
  const newUser = () => `wmUSER${Date.now().toString(36)}${++userN}`;

  beforeAll(async () => {
    stub = await startWechatStub();
    database = await createTestDatabase();
    mediaDir = mkdtempSync(join(tmpdir(), 'kf-media-'));
    media = new FileMediaStore(mediaDir, { maxBytes: 5 * 1024 * 1024, maxPixels: 40_000_000, maxSidePx: 10_000 }, 'media-secret-for-tests');
    settings = {
      corpId: stub.corpId, secret: stub.secret, token: 'kfTOKEN123', aesKey: newAesKey(), apiBase: stub.baseUrl, callbackPath: PATH,
      handoff: { defaultMode: 'shopdesk', byAccount: { [KF_AGENTS]: 'wecom' } }, maxSkewMs: 300_000,
    };
    channel = build();
    harness = await createHarness({ database, adapters: [channel.adapter] });
    await channel.start();
    const s = await serve(channel);
    base = s.url;
    server = { close: s.close } as unknown as Server;
  }, 120_000);

  afterAll(async () => {
    await channel?.stop();
    await (server as unknown as { close: () => Promise<void> })?.close();
    await harness?.close();
    await stub?.close();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  it('answers WeCom\'s URL check with the decrypted echostr', async () => {
    const e = signedEchostr(secrets());
    const r = await fetch(`${base}${PATH}?${e.search}`);
    expect(await r.text()).toBe(e.plain);
    const forged = await fetch(`${base}${PATH}?${e.search.replace(/msg_signature=[^&]+/, 'msg_signature=0000')}`);
    expect(forged.status).toBe(401);
  });

  it('pulls a customer message with sync_msg, answers it once with send_msg (our id as msgid), as an asserted identity', async () => {
    const user = newUser();
    const w = await customerWrites(user, '你们几点发货？');
    await processed(w.msgid);
    const replies = await until('a reply', () => sentTo(user).length > 0 && sentTo(user));
    expect(replies).toHaveLength(1);
    const out = await database.db.message.findFirstOrThrow({ where: { channel: 'wecom_kf', direction: 'out', threadId: `${KF}:${user}` } });
    expect(replies[0].msgid).toBe(`sd${out.id}`);
    expect(out.status).toBe('sent');
    const identity = await database.db.identity.findFirstOrThrow({ where: { externalId: user } });
    expect(identity.channel).toBe(`wecom_kf:${stub.corpId}`);
    expect(identity.verified).toBe(false);
    expect(stub.callsTo('/cgi-bin/kf/sync_msg').some((c) => (c.body as { token?: string }).token === w.token)).toBe(true);
  });

  it('refuses forged, stale and corrupted callbacks, and answers a callback retried three times once', async () => {
    const user = newUser();
    const w = stub.customerWrites(KF, user, { text: '我想查一下订单' });
    const inner = kfEventXml(settings.corpId, w.token, KF);
    const forged = signedCallback({ ...secrets(), token: 'someoneElse' }, inner);
    expect((await post(base, forged)).status).toBe(401);
    const stale = signedCallback(secrets(), inner, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect((await post(base, stale)).status).toBe(401);
    const wrongKey = signedCallback({ ...secrets(), aesKey: newAesKey() }, inner);
    expect((await post(base, wrongKey)).status).toBe(400);
    expect((await post(base, { search: signedCallback(secrets(), inner).search, body: '<xml><nothing/></xml>' })).status).toBe(400);
    expect(sentTo(user)).toHaveLength(0);
    const cb = signedCallback(secrets(), inner);
    // WeChat re-posts a callback it thinks we missed: the same request four times in all
    const answers = await Promise.all([post(base, cb), post(base, cb), post(base, cb), post(base, cb)]);
    expect(answers.every((a) => a.status === 200 && a.text === 'success')).toBe(true);
    await processed(w.msgid);
    await new Promise((r) => setTimeout(r, 200));
    await harness.queue.drain(20_000);
    expect(sentTo(user)).toHaveLength(1);
    expect(await database.db.message.count({ where: { channel: 'wecom_kf', direction: 'in', platformMessageId: w.msgid } })).toBe(1);
    expect(channel.health().counters).toMatchObject({ rejectedForged: expect.any(Number), rejectedStale: expect.any(Number), replayed: expect.any(Number) });
    expect(channel.health().counters!.replayed).toBeGreaterThanOrEqual(3);
    expect(channel.health().counters!.rejectedCorrupted).toBeGreaterThanOrEqual(2);
  });

  it('loses and repeats nothing when the process dies between sync_msg and storing or between storing and the cursor', async () => {
    const realState = createCrm(database.db).channelState('wecom_kf');
    const users = [newUser(), newUser(), newUser()];
    // three customers write while the first process is about to die
    const writes = users.map((u, i) => stub.customerWrites(KF, u, { text: ['怎么退货？', '运费多少？', '你好'][i] }));
    // process A: stores two messages, then dies before the third (after sync_msg returned them all)
    let accepted = 0;
    const dying = build({ sink: { accept: async (m) => { if (++accepted > 2) throw new Error('kill -9'); return harness.engine.accept(m); } } });
    const a = await serve(dying);
    const cb = signedCallback(secrets(), kfEventXml(settings.corpId, writes[2].token, KF));
    expect(await post(a.url, cb)).toEqual({ status: 200, text: 'success' });
    await until('process A to die', () => accepted > 2);
    await a.close();
    await dying.stop();
    const cursorAfterA = await realState.get(`cursor:${KF}`);
    // process B: stores everything, then dies before its cursor write
    const b = build({ state: { get: (k) => realState.get(k), set: (k, v) => realState.set(k, v), compareAndSet: async (k, e, n) => { if (k.startsWith('cursor:')) throw new Error('kill -9'); return realState.compareAndSet(k, e, n); } } });
    await b.start();
    await until('process B to store all three', async () => (await database.db.message.count({ where: { channel: 'wecom_kf', direction: 'in', platformMessageId: { in: writes.map((w) => w.msgid) } } })) === 3);
    await b.stop();
    expect(await realState.get(`cursor:${KF}`)).toBe(cursorAfterA);
    // process C starts after the crashes: it catches up from the stored signal and cursor
    const c = build();
    await c.start();
    await until('the cursor to move', async () => (await realState.get(`cursor:${KF}`)) !== cursorAfterA);
    for (const w of writes) await processed(w.msgid);
    await c.stop();
    for (const u of users) expect(sentTo(u), u).toHaveLength(1);
    expect(await database.db.message.count({ where: { channel: 'wecom_kf', direction: 'in', platformMessageId: { in: writes.map((w) => w.msgid) } } })).toBe(3);
  });

  it('refreshes an expired access token once and carries on', async () => {
    stub.expireTokens();
    const before = stub.callsTo('/cgi-bin/gettoken').length;
    const user = newUser();
    const w = await customerWrites(user, '发货了吗');
    await processed(w.msgid);
    await until('a reply', () => sentTo(user).length > 0);
    expect(stub.callsTo('/cgi-bin/gettoken').length - before).toBe(1);
    expect(stub.callsTo('/cgi-bin/kf/sync_msg').some((c) => c.answer?.errcode === 42001)).toBe(true);
  });

  it('sends a reply after an API outage (HTTP 500, errcode -1) through the queue\'s retries', async () => {
    const user = newUser();
    stub.inject('/cgi-bin/kf/send_msg', { status: 500 });
    stub.inject('/cgi-bin/kf/send_msg', { errcode: -1 });
    const w = await customerWrites(user, '你好');
    await processed(w.msgid);
    await until('a reply after the outage', () => sentTo(user).length > 0, 30_000);
    expect(sentTo(user)).toHaveLength(1);
  });

  it('holds a reply when the customer\'s window is closed, tells staff, and sends it when they write again', async () => {
    const user = newUser();
    const first = await customerWrites(user, '你好');
    await processed(first.msgid);
    await until('the greeting reply', () => sentTo(user).length > 0);
    const sentBefore = sentTo(user).length;
    stub.closeWindow(user);
    const heldBefore = channel.health().counters!.held;
    const reply = { channel: 'wecom_kf' as const, threadId: `${KF}:${user}`, messageId: '990001', message: { type: 'text' as const, text: '您的退款已处理', author: { kind: 'staff' as const, name: 'Ann' } }, createdAt: new Date() };
    const inboundBefore = await database.db.message.count({ where: { channel: 'wecom_kf', direction: 'in', threadId: reply.threadId } });
    await channel.adapter.send(reply);
    expect(sentTo(user)).toHaveLength(sentBefore);
    expect(channel.health()).toMatchObject({ state: 'degraded', counters: { held: heldBefore + 1 } });
    // staff are told by an internal note on the conversation (a retried delivery adds none), not a customer message
    await channel.adapter.send(reply);
    const conversation = await harness.crm.conversations.byThread('wecom_kf', reply.threadId);
    const notes = await database.db.conversationNote.findMany({ where: { conversationId: conversation!.id } });
    expect(notes).toEqual([expect.objectContaining({ staffId: null, author: 'system:wecom_kf', dedupeKey: 'wecom_kf:held:990001', text: expect.stringMatching(/window is closed/) })]);
    expect(await database.db.message.count({ where: { channel: 'wecom_kf', direction: 'in', threadId: reply.threadId } })).toBe(inboundBefore);
    expect(sentTo(user)).toHaveLength(sentBefore);
    stub.openWindow(user);
    const again = await customerWrites(user, '在吗');
    await processed(again.msgid);
    await until('the held reply', () => sentTo(user).some((s) => contentOf(s).includes('您的退款已处理')));
    expect(sentTo(user).filter((s) => contentOf(s).includes('您的退款已处理'))).toHaveLength(1);
  });

  it('takes in a customer\'s image through the one media store', async () => {
    const user = newUser();
    const w = stub.customerWrites(KF, user, { imageBytes: pngImage(40, 30) });
    expect(await post(base, signedCallback(secrets(), kfEventXml(settings.corpId, w.token, KF)))).toEqual({ status: 200, text: 'success' });
    await processed(w.msgid);
    const row = await database.db.message.findFirstOrThrow({ where: { channel: 'wecom_kf', platformMessageId: w.msgid } });
    const stored = JSON.parse(row.payload!) as { content: { type: string; mediaId?: string } };
    expect(stored.content).toMatchObject({ type: 'attachment', mediaId: expect.any(String) });
    expect(await media.get(stored.content.mediaId!)).toMatchObject({ owner: { channel: 'wecom_kf', threadId: `${KF}:${user}` } });
  });

  it('shopdesk handoff mode: the session stays with the bot on WeCom and staff answer through send_msg', async () => {
    const user = newUser();
    const w = await customerWrites(user, '转人工');
    await processed(w.msgid);
    const notice = await until('the handoff notice', () => sentTo(user).length > 0 && sentTo(user));
    // one send: the notice and its "leave the queue" button as a msgmenu
    expect(notice).toHaveLength(1);
    expect(notice[0].msgtype).toBe('msgmenu');
    expect(stub.sessionState(KF, user)).toBe(0);
    const conv = await database.db.conversation.findFirstOrThrow({ where: { channel: 'wecom_kf', threadId: `${KF}:${user}` } });
    expect(conv.mode).toBe('waiting');
    const ann = await database.db.staffMember.create({ data: { name: 'Ann', role: 'agent' } });
    const staff = { staffId: ann.id, name: 'Ann', role: 'agent' as const };
    expect(await harness.desk.service.claim(staff, conv.id)).toMatchObject({ ok: true });
    expect(await harness.desk.service.reply(staff, conv.id, { text: '您好，我是客服Ann' })).toMatchObject({ ok: true });
    await harness.queue.drain(20_000);
    await until('the staff reply', () => sentTo(user).some((s) => contentOf(s).includes('我是客服Ann')));
  });

  it('wecom handoff mode: the notice goes out, the session moves to WeCom agents, and from then on shopdesk only records', async () => {
    const user = newUser();
    const w = await customerWrites(user, '转人工', { kf: KF_AGENTS });
    await processed(w.msgid);
    await until('the session to move', () => stub.sessionState(KF_AGENTS, user) === 2);
    const sends = sentTo(user);
    expect(sends).toHaveLength(1);
    expect(sends[0].msgtype).toBe('text');
    expect(stub.callsTo('/cgi-bin/kf/service_state/trans').at(-1)?.body).toMatchObject({ open_kfid: KF_AGENTS, external_userid: user, service_state: 2 });
    const next = await customerWrites(user, '人呢？快点', { kf: KF_AGENTS });
    await processed(next.msgid);
    const conv = await database.db.conversation.findFirstOrThrow({ where: { channel: 'wecom_kf', threadId: `${KF_AGENTS}:${user}` } });
    expect(await database.db.message.count({ where: { conversationId: conv.id, direction: 'in' } })).toBe(2);
    // a staff reply from /desk is recorded with the conversation but not sent: WeCom's agents have it
    const bob = await database.db.staffMember.create({ data: { name: 'Bob', role: 'agent' } });
    const staff = { staffId: bob.id, name: 'Bob', role: 'agent' as const };
    await harness.desk.service.claim(staff, conv.id);
    await harness.desk.service.reply(staff, conv.id, { text: '我来处理' });
    await harness.queue.drain(20_000);
    expect(sentTo(user)).toHaveLength(1);
    expect(channel.health().counters!.handedToWecom).toBeGreaterThanOrEqual(1);
    expect(channel.health().counters!.recordedOnly).toBeGreaterThanOrEqual(1);
  });
});
