import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileBox } from 'file-box';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { types } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createWechatyChannel, type WechatySettings } from '../../src/channels/wechaty/wechaty-channel.js';
import { createCrm } from '../../src/crm/index.js';
import { FileMediaStore } from '../../src/media/file-media-store.js';
import type { ChannelInstance } from '../../src/shared/channel-lifecycle.js';
import { logger } from '../../src/shared/logger.js';
import { InProcessRateLimiter } from '../../src/shared/rate-limiter.js';
import { fanOutAlerts, type StaffAlert } from '../../src/shared/staff-alerts.js';
import { createHarness, type Harness } from '../factories/engine-harness.js';
import { pngImage } from '../factories/image-builders.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';

/**
 * The wechaty channel end to end: the REAL Wechaty object on wechaty-puppet-mock (its mocker makes
 * contacts and rooms and has them speak), the channel's intake into the real engine (NLU, flows,
 * seeded demo shop, SQLite), replies through the channel's durable outbox and the shared rate
 * limiter back out through Wechaty to the mock, where these tests read what the bot said.
 */
type ContactMock = ReturnType<mock.Mocker['createContact']>;
type RoomMock = ReturnType<mock.Mocker['createRoom']>;

async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const PER_MINUTE = 3;

describe('wechaty channel on the real Wechaty with wechaty-puppet-mock', () => {
  let database: TestDatabase;
  let harness: Harness;
  let channel: ChannelInstance;
  let mocker: mock.Mocker;
  let puppet: PuppetMock;
  let botUser: ContactMock;
  let mediaDir: string;
  let media: FileMediaStore;
  let clockMs = Date.now();
  const limiter = new InProcessRateLimiter(() => clockMs);
  const alerts: StaffAlert[] = [];
  const printed: string[] = [];

  /** What the bot said to a contact or in a room, oldest first. */
  function botSaid(to: { id: string }): string[] {
    return [...mocker.cacheMessagePayload.values()]
      .filter((p) => p.talkerId === botUser.id && ('listenerId' in p && p.listenerId === to.id || 'roomId' in p && p.roomId === to.id))
      .sort((a, b) => a.timestamp - b.timestamp)
      .map((p) => p.text ?? `[${types.Message[p.type]}]`);
  }

  /** Has `from` say something to `to`, waits for the bot's next reply there, and returns it. */
  async function exchange(from: ContactMock, something: string | FileBox, to: ContactMock | RoomMock = botUser, mention = false): Promise<string> {
    // in a room the bot answers in the room; 1:1 it answers the contact
    const where = to === botUser ? from : to;
    const before = botSaid(where).length;
    from.say(something, mention ? [botUser] : []).to(to);
    return until(`the bot's answer to ${from.payload.name}`, () => botSaid(where)[before]);
  }

  async function inbound(threadPart: string) {
    return database.db.message.findMany({ where: { channel: 'wechaty', direction: 'in', threadId: { contains: threadPart } }, orderBy: { id: 'asc' } });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    mediaDir = mkdtempSync(join(tmpdir(), 'shopdesk-wechaty-'));
    media = new FileMediaStore(join(mediaDir, 'media'), { maxBytes: 5 * 1024 * 1024, maxPixels: 64_000_000, maxSidePx: 16_384 }, 'wechaty-test-secret-0123456789');
    mocker = new mock.Mocker();
    puppet = new PuppetMock({ mocker });
    const settings: WechatySettings = {
      puppet: 'wechaty-puppet-mock', sessionName: join(mediaDir, 'session', 'shop'), rooms: ['VIP 客户群'], paused: false,
      limits: { perMinute: PER_MINUTE, perHour: 100 }, warmup: { hours: 0, perMinute: 1, perHour: 10 }, delay: { minMs: 0, jitterMs: 20 },
    };
    const crm = createCrm(database.db);
    channel = createWechatyChannel(settings, {
      // the engine is made after the channel (its adapter goes into the engine's registry)
      sink: { accept: (m) => harness.engine.accept(m) },
      state: crm.channelState('wechaty'), tryLease: async () => null, media, limiter,
      alerts: fanOutAlerts([{ target: 'recorder', postAlert: async (a) => { alerts.push(a); } }], logger('test-alerts')),
    }, { puppet, print: (l) => printed.push(l), pollMs: 25 });
    harness = await createHarness({ database, adapters: [channel.adapter] });
    await channel.start();
    mocker.scan('https://login.weixin.qq.com/l/test-qr-value', types.ScanStatus.Waiting);
    await until('the QR alert', () => alerts.find((a) => a.key === 'wechaty:scan'));
    botUser = mocker.createContact({ name: 'Demo Shop 客服', handle: 'demo_shop_cs' });
    mocker.login(botUser);
    await until('logged in', () => channel.health().state === 'up');
  }, 120_000);

  beforeEach(() => {
    // a minute passes between tests on the limiter's clock: each starts with full buckets
    clockMs += 61_000;
  });

  afterAll(async () => {
    await channel?.stop();
    await harness?.close();
    if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
  });

  it('prints the login QR code for the operator and sends admins a staff-only link to it', async () => {
    expect(printed.join('\n')).toContain('https://login.weixin.qq.com/l/test-qr-value');
    const qr = alerts.find((a) => a.key === 'wechaty:scan')!;
    expect(qr.linkPath).toMatch(/^\/media\/[a-f0-9]{32}\?t=/);
    const id = /\/media\/([a-f0-9]{32})/.exec(qr.linkPath!)![1];
    expect((await media.get(id))?.mimeType).toBe('image/png');
  });

  it('answers a contact\'s 1:1 message through the engine, as a customer of its own account kind', async () => {
    const alice = mocker.createContact({ name: 'Alice 王', handle: 'alice_wx' });
    const reply = await exchange(alice, '你们的退货政策是什么？');
    expect(reply).toMatch(/退/);
    const [row] = await inbound('wx:alice_wx');
    expect(row.status).toBe('processed');
    expect(row.threadId).toBe('wx:demo_shop_cs|wx:alice_wx');
    const identity = await database.db.identity.findFirst({ where: { externalId: 'wx:alice_wx' } });
    expect(identity).toMatchObject({ channel: 'wechaty:wx:demo_shop_cs', verified: false });
  });

  it('ignores room chatter, answers a room message that @mentions the bot, and every message of an allow-listed room', async () => {
    const carol = mocker.createContact({ name: 'Carol', handle: 'carol_wx' });
    const room = mocker.createRoom({ topic: '闲聊群', memberIdList: [botUser.id, carol.id] });
    carol.say('大家好，今天天气不错').to(room);
    const answer = await exchange(carol, '@Demo Shop 客服 你们的退货政策是什么？', room, true);
    expect(answer).toMatch(/退/);
    const rows = await inbound(`room:${room.id}`);
    expect(rows.map((r) => r.text)).toEqual(['你们的退货政策是什么？']);
    expect(botSaid(room)).toHaveLength(1);

    const vip = mocker.createRoom({ topic: 'VIP 客户群', memberIdList: [botUser.id, carol.id] });
    expect(await exchange(carol, '怎么开发票？', vip)).toMatch(/发票/);
  });

  it('keeps a customer\'s image in the media store and answers it', async () => {
    const dan = mocker.createContact({ name: 'Dan', handle: 'dan_wx' });
    const reply = await exchange(dan, FileBox.fromBase64(pngImage(40, 30).toString('base64'), 'photo.png'));
    expect(reply.length).toBeGreaterThan(5);
    const [row] = await inbound('wx:dan_wx');
    const content = JSON.parse(row.payload!).content as { type: string; kind: string; mediaId: string; url: string };
    expect(content).toMatchObject({ type: 'attachment', kind: 'image', url: `/media/${content.mediaId}` });
    expect(await media.get(content.mediaId)).toMatchObject({ mimeType: 'image/png', width: 40, height: 30, owner: { channel: 'wechaty', uploadedBy: 'customer' } });

    // an image the puppet cannot download (its file is gone): stored as such for staff, answered politely, not lost
    clockMs += 61_000;
    mocker.MessageMock.create({ id: 'img-gone', talkerId: dan.id, listenerId: botUser.id, timestamp: Date.now(), type: types.Message.Image });
    puppet.emit('message', { messageId: 'img-gone' });
    await until('the lost image answered', () => botSaid(dan).length >= 2);
    const rows = await inbound('wx:dan_wx');
    expect(rows.at(-1)?.text).toBe('[image 图片 not kept: the puppet could not download it]');
  });

  it('hands a voice message to a person instead of refusing it', async () => {
    const erin = mocker.createContact({ name: 'Erin', handle: 'erin_wx' });
    const reply = await exchange(erin, FileBox.fromBase64(Buffer.from('#!SILK_V3 voice').toString('base64'), 'voice.sil'));
    expect(reply).toMatch(/语音/);
    expect(reply).toMatch(/人工/);
    const conversation = await database.db.conversation.findFirst({ where: { channel: 'wechaty', threadId: { contains: 'wx:erin_wx' } } });
    expect(conversation).toMatchObject({ mode: 'waiting', handoffReason: 'voice' });
  });
  it('renders choices as numbered text and takes "1" or "第三个" as that choice', async () => {
    const gina = mocker.createContact({ name: 'Gina', handle: 'gina_wx' });
    const menu = await exchange(gina, '你好');
    expect(menu).toMatch(/\n1\. 查订单\n2\. 退换货\n3\. 转人工$/);
    expect(await exchange(gina, '1')).toMatch(/订单号/);
    clockMs += 61_000;

    const hank = mocker.createContact({ name: 'Hank', handle: 'hank_wx' });
    await exchange(hank, '你好');
    expect(await exchange(hank, '第三个')).toMatch(/人工/);
    const conversation = await database.db.conversation.findFirst({ where: { channel: 'wechaty', threadId: { contains: 'wx:hank_wx' } } });
    expect(conversation).toMatchObject({ mode: 'waiting', handoffReason: 'requested' });
  });

  it('reads shared links and mini-program cards as text, and stores a message the puppet delivers twice once', async () => {
    const ivy = mocker.createContact({ name: 'Ivy', handle: 'ivy_wx' });
    const say = (id: string, type: number) => {
      if (!mocker.cacheMessagePayload.has(id)) mocker.MessageMock.create({ id, talkerId: ivy.id, listenerId: botUser.id, timestamp: Date.now(), type });
      puppet.emit('message', { messageId: id });
    };
    say('url-1', types.Message.Url);
    await until('the link answered', () => botSaid(ivy).length >= 1);
    clockMs += 61_000;
    say('mini-1', types.Message.MiniProgram);
    await until('the card answered', () => botSaid(ivy).length >= 2);
    say('mini-1', types.Message.MiniProgram);
    await until('the repeat stored', async () => (channel.health().counters?.duplicates ?? 0) >= 1);
    const rows = await inbound('wx:ivy_wx');
    expect(rows.map((r) => r.text)).toEqual(['[链接] mock title for url-1\nhttps://mock.url', '[小程序] mock title for mini-1']);
    await harness.queue.drain(10_000);
    expect(botSaid(ivy)).toHaveLength(2);
  });

  it('holds replies over the per-minute limit and sends every one of them once the minute has passed', async () => {
    const crowd = ['p1', 'p2', 'p3', 'p4', 'p5'].map((h) => mocker.createContact({ name: h, handle: `${h}_wx` }));
    for (const c of crowd) c.say('你好').to(botUser);
    const total = () => crowd.reduce((n, c) => n + botSaid(c).length, 0);
    await until('the first replies', () => total() === PER_MINUTE);
    await until('two replies held', async () => (await database.db.message.count({ where: { channel: 'wechaty', direction: 'out', threadId: { contains: '|wx:p' } } })) === 5);
    await new Promise((r) => setTimeout(r, 300));
    expect(total()).toBe(PER_MINUTE);
    const held = channel.health();
    expect(held.state).toBe('degraded');
    expect(held.detail).toMatch(/throttled \(per-minute limit\): 2 replies waiting/);
    clockMs += 61_000;
    await until('every reply sent', () => total() === 5);
    for (const c of crowd) expect(botSaid(c)).toHaveLength(1);
    await until('healthy again', () => channel.health().state === 'up');
  });

  it('reports the account down and alerts admins when it logs out, and up again after a new login', async () => {
    await puppet.logout('kicked out by WeChat');
    await until('down', () => channel.health().state === 'down');
    expect(channel.health().detail).toMatch(/logged out/);
    const alert = await until('the logout alert', () => alerts.find((a) => a.key === 'wechaty:logout'));
    expect(alert.severity).toBe('critical');
    mocker.login(botUser);
    await until('up again', () => channel.health().state === 'up');
    await until('the login alert', () => alerts.find((a) => a.key === 'wechaty:login'));
  });
});
