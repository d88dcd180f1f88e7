import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopdesk, type RunningShopdesk } from '../../src/main.js';
import { addStaff } from '../factories/desk-client.js';
import { buttonPayload, eventEnvelope, postToSlackEvents, slackSignature, startSlackApiStub, STUB_BOT, type SlackApiStub, type SlackCall } from '../factories/slack-api-stub.js';
import { ChatBrowser, ChatSocket } from '../factories/web-chat-client.js';
import { startWebhookStub } from '../factories/webhook-stub.js';

const SECRET = '3f1c0de5a9b84c2e9d7a6b5c4d3e2f10';
const CHANNEL = 'C0SUPPORT';
const PUBLIC_URL = 'https://help.example.com';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const blockText = (c: SlackCall) => JSON.stringify(c.args.blocks ?? '') + String(c.args.text ?? '');
const buttonIds = (c: SlackCall) => ((c.args.blocks as { type: string; elements?: { action_id: string; value?: string }[] }[] | undefined) ?? [])
  .filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []).map((e) => `${e.action_id}${e.value ? `=${e.value}` : ''}`);

describe('Slack as a staff tool (bolt on shopdesk\'s HTTP app, a stub Slack Web API) and the WeCom robot', () => {
  let dir: string;
  let slack: SlackApiStub;
  let wecom: Awaited<ReturnType<typeof startWebhookStub>>;
  let app: RunningShopdesk;
  let base: string;
  let env: Record<string, string>;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopdesk-slack-'));
    slack = await startSlackApiStub();
    wecom = await startWebhookStub(() => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }));
    const wecomBase = new URL(wecom.url).origin;
    env = {
      DATABASE_URL: `file:${dir}/slack.db`, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATA_DIR: dir, SERVICE_HOURS: 'always', DESK_AUTO_ASSIGN: 'false',
      PUBLIC_URL, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_CHANNEL_ID: CHANNEL, SLACK_API_URL: slack.apiUrl,
      WECOM_ROBOT_API_URL: wecomBase, WECOM_ROBOT_WEBHOOK_URL: `${wecomBase}/cgi-bin/webhook/send?key=robot-key-1`,
    };
    app = await startShopdesk({ env, desk: { retry: { baseMs: 50, maxDelayMs: 400 } } });
    base = app.url!;
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await app?.stop();
    await slack?.close();
    await wecom?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A customer in the web chat over the real protocol. */
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
    return { browser, sock, send, replies };
  }

  const latestConversation = () => app.database.db.conversation.findFirstOrThrow({ orderBy: { id: 'desc' } });
  const topLevelPosts = (conversationId: number) => slack.ok('chat.postMessage').filter((c) => !c.args.thread_ts && buttonIds(c).some((b) => b.endsWith(`=${conversationId}`)));
  const handoffTs = async (conversationId: number) => until('the handoff post', () => app.database.db.staffNotification.findFirst({ where: { target: 'slack', kind: 'handoff', conversationId, status: 'sent' } }).then((r) => r?.platformRef ?? undefined));
  const threadEvent = (eventId: string, user: string, threadTs: string, text: string, extra: Record<string, unknown> = {}) => ({
    json: eventEnvelope(eventId, { type: 'message', channel: CHANNEL, channel_type: 'channel', user, text, ts: `${Date.now() / 1000}`, thread_ts: threadTs, ...extra }),
  });

  let conv: { id: number };
  let parentTs: string;
  let chat: Awaited<ReturnType<typeof customer>>;
  let ann: { id: number; name: string };

  it('posts ONE handoff message with the customer summary, masked contact and Claim / Resolve / Release, threads what follows, and alerts the WeCom group with a /desk link', async () => {
    chat = await customer();
    await chat.send('你好');
    conv = await latestConversation();
    const c = await app.database.db.conversation.findUniqueOrThrow({ where: { id: conv.id } });
    await app.database.db.customer.update({ where: { id: c.customerId }, data: { phone: '13812345678', email: 'li.lei@example.com', name: '李雷' } });
    await chat.send('转人工');
    parentTs = await handoffTs(conv.id);

    const posts = topLevelPosts(conv.id);
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.args.channel).toBe(CHANNEL);
    expect(post.auth).toBe('Bearer xoxb-test-token');
    expect(buttonIds(post)).toEqual([`shopdesk_claim=${conv.id}`, `shopdesk_resolve=${conv.id}`, `shopdesk_release=${conv.id}`, 'shopdesk_open']);
    expect(blockText(post)).toContain('138****5678');
    expect(blockText(post)).toContain('li***@example.com');
    expect(blockText(post)).not.toContain('13812345678');
    expect(blockText(post)).toContain(`${PUBLIC_URL}/desk#/c/${conv.id}`);

    // the customer's next words run in the handoff message's thread, contact details masked
    await chat.send('我的电话是13812345678，地址世纪大道88号1201室 <!channel>');
    const line = await until('the thread line', () => slack.ok('chat.postMessage').find((m) => m.args.thread_ts === parentTs && String(m.args.text).includes('世纪大道')));
    expect(line.args.text).toContain('138****5678');
    expect(line.args.text).toContain('世纪大道**号**室');
    expect(line.args.text).not.toMatch(/13812345678|88号|<!channel>/);
    expect(line.args.text).toContain('&lt;!channel&gt;');

    const alert = await until('the WeCom alert', () => wecom.requests.find((r) => JSON.stringify(r.body).includes(`/desk#/c/${conv.id}`)));
    const content = (alert.body as { msgtype: string; markdown: { content: string } });
    expect(content.msgtype).toBe('markdown');
    expect(content.markdown.content).toContain(`[在 /desk 中打开 Open in /desk](${PUBLIC_URL}/desk#/c/${conv.id})`);
    expect(content.markdown.content).toContain('138****5678');
    expect(content.markdown.content).not.toContain('13812345678');
    // only alerts go to the robot: the customer's follow-up did not
    expect(wecom.requests.filter((r) => JSON.stringify(r.body).includes(`/desk#/c/${conv.id}`))).toHaveLength(1);
  });

  it('lets a linked agent claim with the button and answer in the thread: the reply reaches the customer once, even when Slack retries the event', async () => {
    ann = await addStaff(app.crm, 'ann', 'agent');
    await app.crm.staff.link(ann.id, 'slack', 'U0ANN', 'test');
    const click = await postToSlackEvents(base, SECRET, { payload: buttonPayload({ user: 'U0ANN', channel: CHANNEL, messageTs: parentTs, actionId: 'shopdesk_claim', value: String(conv.id) }) });
    expect(click.status).toBe(200);
    await until('the claim', async () => (await app.crm.conversations.get(conv.id))?.mode === 'human');
    // the handoff message now says who has it, without the Claim button; the thread says so too
    const update = await until('chat.update', () => slack.ok('chat.update').find((u) => u.args.ts === parentTs));
    expect(buttonIds(update)).toEqual([`shopdesk_resolve=${conv.id}`, `shopdesk_release=${conv.id}`, 'shopdesk_open']);
    expect(blockText(update)).toContain('*ann* has this conversation');
    await until('the claim line', () => slack.ok('chat.postMessage').find((m) => m.args.thread_ts === parentTs && String(m.args.text).includes('claimed')));

    const reply = threadEvent('Ev0REPLY1', 'U0ANN', parentTs, '您好，我是 Ann &amp; 我来帮您查 <https://shop.example.com/track|物流>');
    const first = await postToSlackEvents(base, SECRET, reply);
    expect(first.status).toBe(200);
    await until('the reply at the customer', () => chat.replies().find((m) => m.text?.startsWith('您好，我是 Ann')));
    // Slack did not get our 200 in time and sends the same event again
    expect((await postToSlackEvents(base, SECRET, reply, { retryNum: 1 })).status).toBe(200);
    await app.queue.drain(10_000);
    await new Promise((r) => setTimeout(r, 300));
    const got = chat.replies().filter((m) => m.text?.startsWith('您好，我是 Ann'));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ text: '您好，我是 Ann & 我来帮您查 物流 (https://shop.example.com/track)', author: { kind: 'staff', name: 'ann' } });
    // Slack already shows what Ann wrote: no echo of it in the thread
    expect(slack.ok('chat.postMessage').filter((m) => String(m.args.text).includes('我来帮您查'))).toHaveLength(0);
  });

  it('keeps `note:` replies and replies addressed to a colleague internal', async () => {
    const before = chat.replies().length;
    await postToSlackEvents(base, SECRET, threadEvent('Ev0NOTE1', 'U0ANN', parentTs, 'note: 老顾客，优先处理'));
    await postToSlackEvents(base, SECRET, threadEvent('Ev0NOTE2', 'U0ANN', parentTs, '<@U0BOB> 你看下这个单号'));
    const notes = await until('two notes', async () => {
      const n = await app.database.db.conversationNote.findMany({ where: { conversationId: conv.id }, orderBy: { id: 'asc' } });
      return n.length === 2 ? n : undefined;
    });
    expect(notes.map((n) => n.text)).toEqual(['老顾客，优先处理', '@U0BOB 你看下这个单号']);
    await app.queue.drain(10_000);
    expect(chat.replies().slice(before).some((m) => /老顾客|单号/.test(m.text ?? ''))).toBe(false);
  });

  it('ignores its own messages and other bots in the thread', async () => {
    const before = chat.replies().length;
    const own = threadEvent('Ev0OWN1', STUB_BOT.userId, parentTs, ':speech_balloon: *李雷*: hello', { bot_id: STUB_BOT.botId, app_id: 'A0SHOPDESK' });
    const otherBot = threadEvent('Ev0BOT2', 'U0OTHERBOT', parentTs, 'deploy finished', { subtype: 'bot_message', bot_id: 'B0OTHER' });
    expect((await postToSlackEvents(base, SECRET, own)).status).toBe(200);
    expect((await postToSlackEvents(base, SECRET, otherBot)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    await app.queue.drain(10_000);
    expect(chat.replies().length).toBe(before);
    expect(slack.ok('chat.postEphemeral')).toHaveLength(0);
  });

  it('refuses an unknown Slack user politely with the link command, and a colleague who does not own the chat, acknowledging within 3 s while Slack is slow', async () => {
    const before = chat.replies().length;
    slack.failNext('chat.postEphemeral', { delayMs: 4_000 });
    const r = await postToSlackEvents(base, SECRET, threadEvent('Ev0STRANGER', 'U0STRANGER', parentTs, 'hello customer'));
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(3_000);
    const refusal = await until('the refusal', () => slack.calls.find((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0STRANGER'));
    expect(refusal.args).toMatchObject({ channel: CHANNEL, thread_ts: parentTs });
    expect(String(refusal.args.text)).toContain('npx shopdesk staff link NAME slack U0STRANGER');

    const bob = await addStaff(app.crm, 'bob', 'agent');
    await app.crm.staff.link(bob.id, 'slack', 'U0BOB', 'test');
    await postToSlackEvents(base, SECRET, threadEvent('Ev0BOB1', 'U0BOB', parentTs, 'I can take it'));
    const notOwner = await until('the not-owner line', () => slack.calls.find((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U0BOB'));
    expect(String(notOwner.args.text)).toContain('ann has this conversation');
    await app.queue.drain(10_000);
    expect(chat.replies().length).toBe(before);
  });

  it('refuses forged, stale and future-dated requests with 401 and acts on none of them', async () => {
    const before = chat.replies().length;
    const calls = slack.calls.length;
    const body = threadEvent('Ev0FORGED', 'U0ANN', parentTs, 'forged reply');
    expect((await postToSlackEvents(base, SECRET, body, { signature: slackSignature('0000000000000000ffffffffffffffff', Math.floor(Date.now() / 1000), JSON.stringify(body.json)) })).status).toBe(401);
    expect((await postToSlackEvents(base, SECRET, body, { signature: 'v0=deadbeef' })).status).toBe(401);
    expect((await postToSlackEvents(base, SECRET, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    expect((await postToSlackEvents(base, SECRET, body, { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    await app.queue.drain(10_000);
    expect(chat.replies().length).toBe(before);
    expect(slack.calls.length).toBe(calls);
    // a correctly signed URL check still passes (Slack does this when the Request URL is saved)
    const check = await postToSlackEvents(base, SECRET, { json: { type: 'url_verification', challenge: 'ch-123', token: 't' } });
    expect(check).toMatchObject({ status: 200 });
    expect(JSON.parse(check.text)).toEqual({ challenge: 'ch-123' });
  });

  it('treats a direct message or an @mention outside a handoff thread as a question for the assistant, never as a customer reply', async () => {
    const before = chat.replies().length;
    await postToSlackEvents(base, SECRET, { json: eventEnvelope('Ev0DM1', { type: 'message', channel: 'D0ANN', channel_type: 'im', user: 'U0ANN', text: '本周销售额多少', ts: '1700000100.000100' }) });
    const dm = await until('the DM answer', () => slack.ok('chat.postMessage').find((m) => m.args.channel === 'D0ANN'));
    expect(String(dm.args.text)).toContain('not enabled');
    expect(dm.args.thread_ts).toBeUndefined();
    await postToSlackEvents(base, SECRET, { json: eventEnvelope('Ev0MENTION1', { type: 'app_mention', channel: CHANNEL, user: 'U0ANN', text: `<@${STUB_BOT.userId}> how many open tickets?`, ts: '1700000200.000100' }) });
    const answer = await until('the mention answer', () => slack.ok('chat.postMessage').find((m) => m.args.thread_ts === '1700000200.000100'));
    expect(String(answer.args.text)).toContain('not enabled');
    // the same @mention inside the handoff thread comes as a message event: it is a reply, and the mention event is dropped
    await postToSlackEvents(base, SECRET, { json: eventEnvelope('Ev0MENTION2', { type: 'app_mention', channel: CHANNEL, user: 'U0ANN', text: `<@${STUB_BOT.userId}> anything`, ts: '1700000300.000100', thread_ts: parentTs }) });
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.ok('chat.postMessage').filter((m) => m.args.thread_ts === '1700000300.000100' || (m.args.thread_ts === parentTs && String(m.args.text).includes('not enabled')))).toHaveLength(0);
    await app.queue.drain(10_000);
    expect(chat.replies().length).toBe(before);
  });

  it('resolves with the button: the handoff message loses its buttons and the thread says who resolved it', async () => {
    await postToSlackEvents(base, SECRET, { payload: buttonPayload({ user: 'U0ANN', channel: CHANNEL, messageTs: parentTs, actionId: 'shopdesk_resolve', value: String(conv.id) }) });
    await until('resolved', async () => (await app.crm.conversations.get(conv.id))?.status === 'resolved');
    const update = await until('the final update', () => slack.ok('chat.update').filter((u) => u.args.ts === parentTs).find((u) => blockText(u).includes('Resolved')));
    expect(buttonIds(update)).toEqual(['shopdesk_open']);
    await until('the resolve line', () => slack.ok('chat.postMessage').find((m) => m.args.thread_ts === parentTs && String(m.args.text).includes('ann resolved it')));
  });

  it('keeps every notification through a Slack outage (500, then 429 with Retry-After) and posts the handoff once, then its thread in order', async () => {
    slack.failNext('chat.postMessage', { status: 500 }, { status: 429, retryAfterS: 1 });
    const c2 = await customer();
    await c2.send('你好');
    const started = Date.now();
    await c2.send('转人工');
    const conv2 = await latestConversation();
    await c2.send('还在吗？');
    const ts = await handoffTs(conv2.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(topLevelPosts(conv2.id)).toHaveLength(1);
    const row = await app.database.db.staffNotification.findFirstOrThrow({ where: { target: 'slack', kind: 'handoff', conversationId: conv2.id } });
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    const follow = await until('the follow-up in the thread', () => slack.ok('chat.postMessage').find((m) => m.args.thread_ts === ts && String(m.args.text).includes('还在吗')));
    expect(follow).toBeDefined();
    expect(await app.database.db.staffNotification.count({ where: { target: 'slack', conversationId: conv2.id, status: { not: 'sent' } } })).toBe(0);
  });

  it('uploads a customer\'s image into the handoff thread with files.uploadV2', async () => {
    const c3 = await customer();
    await c3.send('转人工');
    const conv3 = await latestConversation();
    const ts = await handoffTs(conv3.id);
    const session = await c3.browser.session();
    const up = await fetch(`${base}/api/webchat/uploads`, { method: 'POST', headers: { 'Content-Type': 'image/png', 'X-Shopdesk-Upload': session.body.uploadTicket }, body: new Uint8Array(PNG) });
    const { uploadId } = (await up.json()) as { uploadId: string };
    c3.sock.send({ type: 'attachment', clientMessageId: 'img-000001', uploadId });
    await c3.sock.waitFor('ack', (f) => f.clientMessageId === 'img-000001', 10_000);
    await app.queue.drain(15_000);
    const done = await until('files.completeUploadExternal', () => slack.ok('files.completeUploadExternal').find((c) => c.args.thread_ts === ts));
    expect(done.args.channel_id).toBe(CHANNEL);
    const fileId = (done.args.files as { id: string }[])[0]!.id;
    expect(slack.ok('files.getUploadURLExternal').some((c) => Number(c.args.length) === PNG.length)).toBe(true);
    expect(slack.uploads.find((u) => u.fileId === fileId)?.bytes).toBeGreaterThanOrEqual(PNG.length);
    const row = await app.database.db.staffNotification.findFirstOrThrow({ where: { target: 'slack', kind: 'customer_message', conversationId: conv3.id } });
    expect(row).toMatchObject({ status: 'sent', platformRef: `file:${fileId}` });
  });

  it('still sends a retried reply only once after a restart (the event id is kept in the database)', async () => {
    const cara = await addStaff(app.crm, 'cara', 'agent');
    await app.crm.staff.link(cara.id, 'slack', 'U0CARA', 'test');
    const c4 = await customer();
    await c4.send('转人工');
    const conv4 = await latestConversation();
    const ts = await handoffTs(conv4.id);
    await postToSlackEvents(base, SECRET, { payload: buttonPayload({ user: 'U0CARA', channel: CHANNEL, messageTs: ts, actionId: 'shopdesk_claim', value: String(conv4.id) }) });
    await until('the claim', async () => (await app.crm.conversations.get(conv4.id))?.mode === 'human');
    const reply = threadEvent('Ev0RESTART1', 'U0CARA', ts, '稍等，我看一下');
    await postToSlackEvents(base, SECRET, reply);
    await until('the reply at the customer', () => c4.replies().find((m) => m.text === '稍等，我看一下'));
    // open chat sockets would hold the server's close
    for (const sock of sockets.splice(0)) sock.close();
    await app.stop();
    app = await startShopdesk({ env, desk: { retry: { baseMs: 50, maxDelayMs: 400 } } });
    base = app.url!;
    expect((await postToSlackEvents(base, SECRET, reply, { retryNum: 2 })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    await app.queue.drain(10_000);
    expect(await app.database.db.message.count({ where: { conversationId: conv4.id, direction: 'out', text: '稍等，我看一下' } })).toBe(1);
  }, 120_000);
});
