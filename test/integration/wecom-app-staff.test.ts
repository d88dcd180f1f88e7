import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopdesk, type RunningShopdesk } from '../../src/main.js';
import { addStaff } from '../factories/desk-client.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';
import { newAesKey, signedCallback, signedEchostr, type CallbackSecrets } from '../factories/wechat-callbacks.js';
import { startWechatStub, type WechatStub } from '../factories/wechat-stub-server.js';
import { ChatBrowser, ChatSocket } from '../factories/web-chat-client.js';

const CORP = 'wwshopdesk0001';
const AGENT = 1000002;
const SECRET = 'app-secret-0123456789abcdef';
const PUBLIC_URL = 'https://help.example.com';

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const cdata = (v: string) => `<![CDATA[${v}]]>`;
let msgSeq = 7_300_000_000_000_000_000n;
/** What WeCom posts (encrypted) when a staff member writes in the app. */
function textXml(user: string, content: string, msgId = String(++msgSeq)): string {
  return `<xml><ToUserName>${cdata(CORP)}</ToUserName><FromUserName>${cdata(user)}</FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(content)}</Content><MsgId>${msgId}</MsgId><AgentID>${AGENT}</AgentID></xml>`;
}
/** …and when they tap a template card's button. */
function buttonXml(user: string, key: string, taskId: string): string {
  return `<xml><ToUserName>${cdata(CORP)}</ToUserName><FromUserName>${cdata(user)}</FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata('template_card_event')}</Event><EventKey>${cdata(key)}</EventKey><TaskId>${cdata(taskId)}</TaskId><CardType>${cdata('button_interaction')}</CardType><ResponseCode>${cdata('rc-1')}</ResponseCode><AgentID>${AGENT}</AgentID></xml>`;
}

describe('the WeCom self-built app for staff (signed, encrypted callbacks; a stub WeCom API on loopback)', () => {
  let dir: string;
  let db: TestDatabase;
  let stub: WechatStub;
  let app: RunningShopdesk;
  let base: string;
  let secrets: CallbackSecrets;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopdesk-wecom-app-'));
    db = await createTestDatabase();
    stub = await startWechatStub({ corpId: CORP, secret: SECRET });
    secrets = { token: 'shopdeskToken1', aesKey: newAesKey(), receiverId: CORP };
    app = await startShopdesk({
      env: {
        DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATA_DIR: dir, SERVICE_HOURS: 'always', DESK_AUTO_ASSIGN: 'false', PUBLIC_URL,
        HANDOFF_REMIND_AFTER_MINUTES: '0.1', HANDOFF_ESCALATE_AFTER_MINUTES: '0.2',
        WECOM_APP_CORP_ID: CORP, WECOM_APP_AGENT_ID: String(AGENT), WECOM_APP_SECRET: SECRET, WECOM_APP_TOKEN: secrets.token, WECOM_APP_AES_KEY: secrets.aesKey, WECOM_API_BASE: stub.baseUrl,
      },
      desk: { retry: { baseMs: 50, maxDelayMs: 400 }, sweepIntervalMs: 500 },
    });
    base = app.url!;
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await app?.stop();
    await stub?.close();
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  async function customer() {
    const browser = new ChatBrowser(base);
    const sock = await browser.connect();
    sockets.push(sock);
    let n = 0;
    const send = async (text: string) => {
      const id = `m${++n}-${Date.now()}`;
      sock.send({ type: 'message', clientMessageId: id, text });
      await sock.waitFor('ack', (f) => f.clientMessageId === id, 10_000);
      await app.queue.drain(15_000);
    };
    const replies = () => sock.frames.flatMap((f) => (f.type === 'reply' ? [f.message as { type: string; text?: string; author?: { kind: string; name: string } }] : []));
    return { sock, send, replies };
  }

  const post = (xml: string, o: Parameters<typeof signedCallback>[2] = {}) => {
    const cb = signedCallback(secrets, xml, o);
    return { cb, send: () => fetch(`${base}/wecom/app/callback?${cb.search}`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: cb.body }) };
  };
  const say = async (xml: string) => {
    const r = await post(xml).send();
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('');
  };
  const textsTo = (user: string) => stub.appSent.filter((m) => m.touser.includes(user) && m.msgtype === 'text').map((m) => String((m.body.text as { content: string }).content));

  let conv: { id: number };
  let chat: Awaited<ReturnType<typeof customer>>;
  let cardTask: string;
  let conv2Id: number;
  let chat2: Awaited<ReturnType<typeof customer>>;

  it('answers WeCom\'s URL check with the decrypted echostr, and refuses a forged one', async () => {
    const check = signedEchostr(secrets);
    const ok = await fetch(`${base}/wecom/app/callback?${check.search}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe(check.plain);
    const forged = signedEchostr({ ...secrets, token: 'someoneElse' });
    expect((await fetch(`${base}/wecom/app/callback?${forged.search}`)).status).toBe(401);
  });

  it('sends a handoff as a button card to the bound agents and managers only, with the /desk link and masked contact', async () => {
    const ann = await addStaff(app.crm, 'ann', 'agent');
    const mia = await addStaff(app.crm, 'mia', 'manager');
    await addStaff(app.crm, 'ned', 'agent'); // not bound: gets nothing
    await app.crm.staff.link(ann.id, 'wecom', 'ann.wx', 'test');
    await app.crm.staff.link(mia.id, 'wecom', 'mia.wx', 'test');

    chat = await customer();
    await chat.send('你好');
    conv = await app.database.db.conversation.findFirstOrThrow({ orderBy: { id: 'desc' } });
    const c = await app.database.db.conversation.findUniqueOrThrow({ where: { id: conv.id } });
    await app.database.db.customer.update({ where: { id: c.customerId }, data: { phone: '13812345678', name: '李雷' } });
    await chat.send('转人工');
    const card = await until('the handoff card', () => stub.appSent.find((m) => m.msgtype === 'template_card'));
    expect(card.touser.sort()).toEqual(['ann.wx', 'mia.wx']);
    expect(card.body.agentid).toBe(AGENT);
    const tc = card.body.template_card as { task_id: string; card_action: { url: string }; button_list: { key: string }[] };
    expect(tc.card_action.url).toBe(`${PUBLIC_URL}/desk#/c/${conv.id}`);
    expect(tc.button_list.map((b) => b.key)).toEqual([`claim:${conv.id}`, `resolve:${conv.id}`]);
    expect(JSON.stringify(tc)).toContain('138****5678');
    expect(JSON.stringify(tc)).not.toContain('13812345678');
    cardTask = tc.task_id;
    const row = await until('the row sent', () => app.database.db.staffNotification.findFirst({ where: { target: 'wecom-app', kind: 'handoff', conversationId: conv.id, status: 'sent' } }).then((r) => r ?? undefined));
    expect(row.platformRef).toBe(card.msgid);
    expect(row.attempts).toBe(0);
  });

  it('lets the agent claim with the card button; the conversation becomes hers and selected', async () => {
    await say(buttonXml('ann.wx', `claim:${conv.id}`, cardTask));
    await until('the claim', async () => (await app.crm.conversations.get(conv.id))?.mode === 'human');
    const told = await until('the confirmation', () => textsTo('ann.wx').find((t) => t.includes(`已接手会话 #${conv.id}`)));
    expect(told).toContain('直接发消息即回复客户');
    // everyone's copy of the card now says it is taken
    expect(await until('the card update', () => stub.cardUpdates[0])).toMatchObject({ response_code: 'rc-1', atall: 1, agentid: AGENT, button: { replace_name: '已接单' } });
  });

  it('sends a plain message to the customer of the selected conversation once, even when WeCom retries the callback', async () => {
    const xml = textXml('ann.wx', '您好，我是 Ann，我来帮您查');
    const first = post(xml);
    expect((await first.send()).status).toBe(200);
    await until('the reply at the customer', () => chat.replies().find((m) => m.text === '您好，我是 Ann，我来帮您查'));
    // the same request again (same nonce: acknowledged, dropped) and a re-delivery with a fresh signature (same MsgId)
    expect((await first.send()).status).toBe(200);
    expect((await post(xml).send()).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    await app.queue.drain(10_000);
    expect(chat.replies().filter((m) => m.text === '您好，我是 Ann，我来帮您查')).toEqual([expect.objectContaining({ author: { kind: 'staff', name: 'ann' } })]);
    expect(await app.database.db.message.count({ where: { conversationId: conv.id, direction: 'out', text: '您好，我是 Ann，我来帮您查' } })).toBe(1);
  });

  it('forwards the customer\'s next words to the agent who holds the conversation, masked', async () => {
    await chat.send('我的电话是13812345678');
    const line = await until('the customer line', () => textsTo('ann.wx').find((t) => t.includes('我的电话是')));
    expect(line).toBe(`💬 李雷（#${conv.id}）：我的电话是138****5678`);
    expect(textsTo('mia.wx').some((t) => t.includes('我的电话是'))).toBe(false);
  });

  it('keeps a 备注 note internal', async () => {
    const before = chat.replies().length;
    await say(textXml('ann.wx', '备注：老顾客，优先处理'));
    const note = await until('the note', () => app.database.db.conversationNote.findFirst({ where: { conversationId: conv.id } }).then((n) => n ?? undefined));
    expect(note.text).toBe('老顾客，优先处理');
    await until('the note confirmation', () => textsTo('ann.wx').find((t) => t.includes('内部备注')));
    await app.queue.drain(10_000);
    expect(chat.replies().slice(before).some((m) => /老顾客/.test(m.text ?? ''))).toBe(false);
  });

  it('refuses an unknown WeCom user politely and shows them nothing else, acknowledging at once while WeCom is slow', async () => {
    const before = stub.appSent.length;
    // WeCom's API is slow just now: the callback is still acknowledged at once (WeCom retries after 5 s)
    stub.inject('/cgi-bin/message/send', { delayMs: 4_000 });
    const started = Date.now();
    await say(textXml('stranger.wx', '今天销售额多少'));
    expect(Date.now() - started).toBeLessThan(2_000);
    await say(textXml('stranger.wx', `接 ${conv.id}`));
    const refusals = await until('two refusals', () => { const t = textsTo('stranger.wx'); return t.length === 2 ? t : undefined; }, 15_000);
    for (const t of refusals) expect(t).toContain('npx shopdesk staff link 姓名 wecom stranger.wx');
    expect(stub.appSent.slice(before).every((m) => m.touser.join() !== 'stranger.wx' || m.msgtype === 'text')).toBe(true);
    const ann = await app.crm.staff.byIdentity('wecom', 'ann.wx');
    expect((await app.crm.conversations.get(conv.id))?.assigneeId).toBe(ann?.id);
  });

  it('rejects a forged signature, a payload for another corp and a stale timestamp, acting on none', async () => {
    const before = chat.replies().length;
    const sent = stub.appSent.length;
    const forged = signedCallback({ ...secrets, token: 'notOurToken' }, textXml('ann.wx', 'forged reply'));
    expect((await fetch(`${base}/wecom/app/callback?${forged.search}`, { method: 'POST', body: forged.body })).status).toBe(401);
    const otherCorp = signedCallback(secrets, textXml('ann.wx', 'other corp'), { receiverId: 'wwsomeoneelse01' });
    expect((await fetch(`${base}/wecom/app/callback?${otherCorp.search}`, { method: 'POST', body: otherCorp.body })).status).toBe(400);
    expect((await post(textXml('ann.wx', 'stale'), { timestamp: Math.floor(Date.now() / 1000) - 3600 }).send()).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    await app.queue.drain(10_000);
    expect(chat.replies().length).toBe(before);
    expect(stub.appSent.length).toBe(sent);
  });

  it('answers a manager\'s question with figures and gives an agent what the assistant allows agents', async () => {
    await say(textXml('mia.wx', '今天销售额多少'));
    const forMia = await until('the manager\'s answer', () => textsTo('mia.wx').find((t) => /销售额|sales/i.test(t)));
    expect(forMia).not.toContain('客服账号不能查看');
    // ann holds a conversation: an explicit 问: keeps the question away from the customer
    const before = chat.replies().length;
    await say(textXml('ann.wx', '问：今天销售额多少'));
    const forAnn = await until('the agent\'s answer', () => textsTo('ann.wx').find((t) => t.includes('客服账号不能查看')));
    expect(forAnn).toBeDefined();
    await app.queue.drain(10_000);
    expect(chat.replies().length).toBe(before);
  });

  it('resolves with 结束 and then sends plain messages to the assistant again', async () => {
    await say(textXml('ann.wx', '结束'));
    await until('resolved', async () => (await app.crm.conversations.get(conv.id))?.status === 'resolved');
    await until('the resolve confirmation', () => textsTo('ann.wx').find((t) => t.includes(`会话 #${conv.id} 已结束`)));
    const before = chat.replies().length;
    await say(textXml('ann.wx', 'how many open tickets?'));
    await until('the assistant\'s answer', () => textsTo('ann.wx').find((t) => /^Open tickets, now: \d+ tickets/.test(t)));
    await app.queue.drain(10_000);
    expect(chat.replies().length).toBe(before);
  });

  it('reminds the team with a text card and escalates to managers only when nobody claims', async () => {
    const c2 = await customer();
    await c2.send('转人工');
    const conv2 = await app.database.db.conversation.findFirstOrThrow({ orderBy: { id: 'desc' } });
    const link = `${PUBLIC_URL}/desk#/c/${conv2.id}`;
    const reminder = await until('the reminder', () => stub.appSent.find((m) => m.msgtype === 'textcard' && (m.body.textcard as { url: string }).url === link), 20_000);
    expect(reminder.touser.sort()).toEqual(['ann.wx', 'mia.wx']);
    expect(String((reminder.body.textcard as { description: string }).description)).toContain(`接 ${conv2.id}`);
    const escalation = await until('the escalation', () => stub.appSent.find((m) => m.msgtype === 'template_card' && (m.body.template_card as { card_action: { url: string }; main_title: { title: string } }).main_title.title.includes('升级') && (m.body.template_card as { card_action: { url: string } }).card_action.url === link), 30_000);
    expect(escalation.touser).toEqual(['mia.wx']);
    conv2Id = conv2.id;
    chat2 = c2;
  }, 60_000);

  it('claims by typing 接 <number>, and refuses a colleague\'s reply to a conversation she does not hold without reaching the customer', async () => {
    await say(textXml('mia.wx', `接 ${conv2Id}`));
    await until('mia\'s claim', () => textsTo('mia.wx').find((t) => t.includes(`已接手会话 #${conv2Id}`)));
    expect((await app.crm.conversations.get(conv2Id))?.mode).toBe('human');
    const before = chat2.replies().length;
    await say(textXml('ann.wx', `切换 ${conv2Id}`));
    await until('the selection', () => textsTo('ann.wx').find((t) => t.includes(`当前会话：#${conv2Id}`)));
    await say(textXml('ann.wx', '我来回复这位客户'));
    const refused = await until('the refusal', () => textsTo('ann.wx').find((t) => t.includes(`未发给 #${conv2Id} 的客户`)));
    expect(refused).toContain('已取消当前会话');
    await say(textXml('ann.wx', '帮助'));
    await until('the help', () => textsTo('ann.wx').find((t) => t.startsWith('shopdesk 客服助手')));
    await app.queue.drain(10_000);
    expect(chat2.replies().slice(before).some((m) => m.text === '我来回复这位客户')).toBe(false);
  });
});
