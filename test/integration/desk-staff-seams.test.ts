import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffNotificationRow, StaffNotifier } from '../../src/shared/staff-notifier.js';
import { startShopdesk } from '../../src/main.js';
import { addStaff, DeskClient } from '../factories/desk-client.js';
import { ChatBrowser, ChatSocket } from '../factories/web-chat-client.js';
import { createHarness, textOf, type Harness } from '../factories/engine-harness.js';

/** A staff tool as the next round's Slack/Teams adapters will be: it posts handoffs and hands back what staff do there. */
class RecordingTool implements StaffNotifier {
  readonly target = 'slack';
  readonly kinds = ['handoff', 'customer_message', 'staff_message', 'claim', 'release', 'resolve'];
  readonly posted: StaffNotificationRow[] = [];
  async deliver(row: StaffNotificationRow) {
    // a thread reply needs its parent: until the handoff post is out, try again later
    if (row.kind !== 'handoff' && !row.threadRef) throw Object.assign(new Error('parent not posted yet'), { retryable: true });
    this.posted.push(row);
    return { platformRef: row.kind === 'handoff' ? `ts-${row.conversationId}` : `${row.threadRef}.${row.id}` };
  }
}

describe('the seam for external staff tools (StaffNotifier + StaffActionSink)', () => {
  let h: Harness;
  const tool = new RecordingTool();
  beforeAll(async () => {
    h = await createHarness({ seed: false, notifiers: [tool] });
  });
  afterAll(async () => {
    await h.close();
  });

  it('posts the handoff, threads what follows under it, and runs a linked staff member\'s claim and reply from the tool', async () => {
    const ann = await h.database.db.staffMember.create({ data: { name: 'Ann', role: 'agent' } });
    await h.crm.staff.link(ann.id, 'slack', 'U0ANN', 'test');
    const c = h.customer();
    await c.send('转人工');
    await c.send('我的订单有问题');
    const conv = await h.database.db.conversation.findFirstOrThrow({ where: { threadId: c.threadId } });
    await h.queue.drain(10_000);
    const mine = tool.posted.filter((r) => r.conversationId === conv.id);
    expect(mine.map((r) => r.kind)).toEqual(['handoff', 'customer_message']);
    expect(mine[1].threadRef).toBe(`ts-${conv.id}`);
    expect(mine[1].payload.message?.text).toBe('我的订单有问题');

    const act = (platformMessageId: string, command: Parameters<typeof h.desk.actions.perform>[0]['command'], externalStaffId = 'U0ANN') =>
      h.desk.actions.perform({ source: 'slack', externalStaffId, platformMessageId, conversation: { platformRef: `ts-${conv.id}` }, command });
    expect(await act('Ev1', { type: 'claim' })).toEqual({ ok: true, conversationId: conv.id, duplicate: false });
    expect(await act('Ev2', { type: 'reply', text: 'Hi, Ann here' })).toEqual({ ok: true, conversationId: conv.id, duplicate: false });
    // Slack retries an event: nothing is sent twice
    expect(await act('Ev2', { type: 'reply', text: 'Hi, Ann here' })).toEqual({ ok: true, conversationId: conv.id, duplicate: true });
    await h.queue.drain(10_000);
    expect(c.transcript().filter((m) => textOf([m]) === 'Hi, Ann here')).toHaveLength(1);
    expect(c.transcript().at(-1)).toMatchObject({ author: { kind: 'staff', name: 'Ann' } });
    expect(await act('Ev3', { type: 'note', text: 'internal only' })).toEqual({ ok: true, conversationId: conv.id, duplicate: false });
    // a retried note is stored once too, and its notification says which tool it came from
    expect(await act('Ev3', { type: 'note', text: 'internal only' })).toEqual({ ok: true, conversationId: conv.id, duplicate: true });
    expect(await h.database.db.conversationNote.count({ where: { conversationId: conv.id } })).toBe(1);
    // two deliveries of one event at the same moment (two processes): one note
    const both = await Promise.all([act('Ev4', { type: 'note', text: 'at once' }), act('Ev4', { type: 'note', text: 'at once' })]);
    expect(both.map((r) => r.ok && r.duplicate).sort()).toEqual([false, true]);
    expect(await h.database.db.conversationNote.count({ where: { conversationId: conv.id } })).toBe(2);
    await h.queue.drain(10_000);
    expect(tool.posted.filter((r) => r.conversationId === conv.id && r.kind === 'staff_message').map((r) => r.payload.actor)).toEqual([{ kind: 'staff', staffId: ann.id, name: 'Ann', via: 'slack' }]);
    expect(c.transcript().some((m) => textOf([m]).includes('internal only'))).toBe(false);
  });

  it('refuses unknown tool users politely and says how to link them', async () => {
    const c = h.customer();
    await c.send('转人工');
    const conv = await h.database.db.conversation.findFirstOrThrow({ where: { threadId: c.threadId } });
    const r = await h.desk.actions.perform({ source: 'slack', externalStaffId: 'U0STRANGER', platformMessageId: 'Ev9', conversation: { conversationId: conv.id }, command: { type: 'claim' } });
    expect(r).toMatchObject({ ok: false, reason: 'unknown_staff' });
    expect(!r.ok && r.message).toContain('npx shopdesk staff link NAME slack U0STRANGER');
    const other = await h.database.db.staffMember.create({ data: { name: 'Otto', role: 'agent' } });
    await h.crm.staff.link(other.id, 'slack', 'U0OTTO', 'test');
    const unknownThread = await h.desk.actions.perform({ source: 'slack', externalStaffId: 'U0OTTO', platformMessageId: 'Ev10', conversation: { platformRef: 'ts-nope' }, command: { type: 'claim' } });
    expect(unknownThread).toMatchObject({ ok: false, reason: 'unknown_conversation' });
  });
});

describe('images between staff and customers', () => {
  let dir: string;
  let app: Awaited<ReturnType<typeof startShopdesk>>;
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopdesk-images-'));
    app = await startShopdesk({ env: { DATABASE_URL: `file:${dir}/img.db`, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATA_DIR: dir, SERVICE_HOURS: 'always', DESK_AUTO_ASSIGN: 'false' } });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a customer\'s return photo to signed-in staff only, and delivers a staff image to that customer only', async () => {
    const base = app.url!;
    // a customer in the web chat, over the real protocol: session, socket, upload ticket
    const browser = new ChatBrowser(base);
    const session = await browser.session();
    const sock = await ChatSocket.open(base, session.body.socketUrl);
    const up = await fetch(`${base}/api/webchat/uploads`, { method: 'POST', headers: { 'Content-Type': 'image/png', 'X-Shopdesk-Upload': session.body.uploadTicket }, body: new Uint8Array(PNG) });
    const { uploadId } = (await up.json()) as { uploadId: string };
    const url = `/media/${uploadId}`;
    sock.send({ type: 'message', clientMessageId: 'a1-000000', text: '转人工' });
    await sock.waitFor('ack', (f) => f.clientMessageId === 'a1-000000', 10_000);
    sock.send({ type: 'attachment', clientMessageId: 'a2-000000', uploadId });
    await sock.waitFor('ack', (f) => f.clientMessageId === 'a2-000000', 10_000);
    await app.queue.drain(15_000);
    const threadId = (await app.media.get(uploadId))!.owner.threadId;
    const conv = (await app.crm.conversations.byThread('web', threadId))!;

    expect((await fetch(`${base}/desk/api/media?url=${encodeURIComponent(url)}`)).status).toBe(401);
    const ann = await addStaff(app.crm, 'ann', 'agent');
    const desk = new DeskClient(base);
    await desk.login(ann.name, ann.password);
    const seen = await fetch(`${base}/desk/api/media?url=${encodeURIComponent(url)}`, { headers: { Cookie: desk.cookie } });
    expect(seen.status).toBe(200);
    expect(seen.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await seen.arrayBuffer()).equals(PNG)).toBe(true);
    const detail = await desk.get<{ messages: { content: { type?: string; url?: string } }[] }>(`/desk/api/conversations/${conv.id}`);
    expect(detail.body.messages.some((m) => m.content?.type === 'attachment' && m.content.url === url)).toBe(true);

    await desk.post(`/desk/api/conversations/${conv.id}/claim`);
    const send = (body: Buffer, type: string) => fetch(`${base}/desk/api/conversations/${conv.id}/images?caption=${encodeURIComponent('这是退货地址')}`, { method: 'POST', headers: { Cookie: desk.cookie, 'X-CSRF-Token': desk.csrf, 'Content-Type': type, Origin: base }, body: new Uint8Array(body) });
    const bad = await send(Buffer.from('not really a png at all'), 'image/png');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/The file is not one of: JPEG, PNG, GIF, WEBP/);
    expect((await send(PNG, 'image/png')).status).toBe(200);
    await app.queue.drain(10_000);
    const sent = await app.database.db.message.findFirstOrThrow({ where: { conversationId: conv.id, direction: 'out', senderId: `staff:${ann.id}`, text: { startsWith: '[image]' } } });
    const payload = JSON.parse(sent.payload!) as { type: string; url: string; caption: string; author: { name: string } };
    expect(payload).toMatchObject({ type: 'image', caption: '这是退货地址', author: { name: 'ann' } });
    expect(sent.status).toBe('sent');
    // the customer's socket shows it under a short-lived URL made for this thread; without that token nobody may load it
    const reply = await sock.waitFor('reply', (f) => f.message.type === 'image', 10_000);
    const shown = (reply.message as { url: string }).url;
    expect(shown).toMatch(new RegExp(`^${payload.url}\\?`));
    expect((await fetch(`${base}${shown}`)).status).toBe(200);
    expect((await fetch(`${base}${payload.url}`)).status).toBe(404);
    const other = await new ChatBrowser(base).session();
    expect((await fetch(`${base}${payload.url}`, { headers: { 'X-Shopdesk-Visitor': other.body.visitor } })).status).toBe(404);
    sock.close();
  });
});
