import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONAS } from '../../src/crm/seed/index.js';
import type { StaffPrincipal } from '../../src/desk/auth/staff-auth.js';
import { choicesOf, createHarness, textOf, type Harness } from '../factories/engine-harness.js';

const A = DEMO_PERSONAS.alice;
let h: Harness;
let agent: StaffPrincipal;
let manager: StaffPrincipal;

beforeAll(async () => {
  h = await createHarness();
  const a = await h.database.db.staffMember.findFirstOrThrow({ where: { role: 'agent' } });
  const m = await h.database.db.staffMember.findFirstOrThrow({ where: { role: 'manager' } });
  agent = { staffId: a.id, name: a.name, role: 'agent' };
  manager = { staffId: m.id, name: m.name, role: 'manager' };
});
afterAll(async () => {
  await h.close();
});

const conversationOf = (threadId: string) => h.database.db.conversation.findFirstOrThrow({ where: { threadId } });
const events = async (threadId: string) => (await h.database.db.conversationEvent.findMany({ where: { conversation: { threadId } }, orderBy: { id: 'asc' } })).map((e) => e.type);

describe('handing over to a person', () => {
  it('gives one honest notice with the expected wait, then says nothing while the customer waits (zh)', async () => {
    const c = h.customer();
    const notice = await c.send('我的快递一直没到，转人工');
    expect(textOf(notice)).toMatch(/转接人工客服（工单号 T\d{6}）/);
    expect(textOf(notice)).toMatch(/没有客服在线|预计等待|尽快回复/);
    expect(choicesOf(notice).map((x) => x.payload)).toEqual(['leave_queue']);
    expect(await conversationOf(c.threadId)).toMatchObject({ mode: 'waiting', status: 'waiting', handoffReason: 'requested' });
    expect(await c.send('还在吗？')).toEqual([]);
    expect(await c.send('喂')).toEqual([]);
    // the channel is told not to show the bot typing
    const quiet = await h.engine.accept({ channel: 'web', platformMessageId: `q-${c.threadId}`, threadId: c.threadId, sender: { id: `visitor-${c.threadId}` }, receivedAt: new Date(), content: { type: 'text', text: '有人吗' } });
    expect(quiet.quiet).toBe(true);
    await h.queue.drain(10_000);
    expect(await events(c.threadId)).toEqual(['handoff']);
    const conv = await conversationOf(c.threadId);
    expect((await h.notifications('customer_message')).filter((n) => n.conversationId === conv.id)).toHaveLength(3);
  });

  it('hands over when the customer asks for a human in English, and tells them the wait', async () => {
    const c = h.customer({ locale: 'en-US' });
    const notice = textOf(await c.send('I want to talk to a human'));
    expect(notice).toMatch(/passed you to a person \(ticket T\d{6}\)/);
    expect(notice).toMatch(/Nobody from the team is online|expected wait|reply shortly/);
    expect(notice).toMatch(/back to the bot/);
  });

  it('lets the customer leave the queue with 算了, and the bot answers again', async () => {
    const c = h.customer();
    await c.send('转人工');
    const back = textOf(await c.send('算了'));
    expect(back).toContain('已取消人工排队');
    expect(await conversationOf(c.threadId)).toMatchObject({ mode: 'bot', status: 'open' });
    expect(await events(c.threadId)).toEqual(['handoff', 'leave_queue']);
    expect(textOf(await c.send('运费怎么算'))).toMatch(/包邮|运费/);
  });

  it('lets the customer leave the queue with "back to the bot" or the notice button', async () => {
    const c = h.customer({ locale: 'en-US' });
    await c.send('talk to a human please');
    expect(textOf(await c.send('back to the bot'))).toMatch(/left the queue/);
    await c.send('I want to speak to an agent');
    expect(textOf(await c.send({ type: 'postback', payload: 'leave_queue', text: 'Back to the bot' }))).toMatch(/left the queue/);
    expect(await events(c.threadId)).toEqual(['handoff', 'leave_queue', 'handoff', 'leave_queue']);
  });

  it('sends the staff reply to the customer with the agent\'s name, and no bot reply while a person has it', async () => {
    const c = h.customer();
    await c.send('转人工');
    const conv = await conversationOf(c.threadId);
    expect(await h.desk.service.claim(agent, conv.id)).toMatchObject({ ok: true });
    await h.queue.drain(10_000);
    const joined = c.transcript().at(-1)!;
    expect(joined).toMatchObject({ author: { kind: 'staff', name: agent.name } });
    expect(textOf([joined])).toContain(`客服${agent.name}`);
    expect(await h.desk.service.reply(agent, conv.id, { text: '您好，我来帮您查。', clientId: 'reply-one-0001' })).toMatchObject({ ok: true, duplicate: false });
    expect(await h.desk.service.reply(agent, conv.id, { text: '您好，我来帮您查。', clientId: 'reply-one-0001' })).toMatchObject({ ok: true, duplicate: true });
    await h.queue.drain(10_000);
    expect(c.transcript().filter((m) => m.type === 'text' && m.text === '您好，我来帮您查。')).toHaveLength(1);
    expect(await c.send('好的谢谢')).toEqual([]);
    expect(await conversationOf(c.threadId)).toMatchObject({ mode: 'human', assigneeId: agent.staffId, humanInvolved: true });
  });
});

describe('outside service hours', () => {
  let night: Harness;
  beforeAll(async () => {
    // 03:00 in Shanghai, the desk works 09:00-21:00
    night = await createHarness({ seed: false, desk: { serviceHours: '09:00-21:00' }, now: () => new Date('2026-12-02T03:00:00+08:00') });
  });
  afterAll(async () => {
    await night.close();
  });

  it('turns a handoff into a left message: the hours, a ticket, and the next message added to it', async () => {
    const c = night.customer();
    const notice = textOf(await c.send('转人工'));
    expect(notice).toMatch(/非工作时间（客服工作时间：每天 9:00–21:00）/);
    expect(notice).toMatch(/留言（工单号 T\d{6}）/);
    expect(notice).toContain('今天 9:00');
    const conv = await night.database.db.conversation.findFirstOrThrow({ where: { threadId: c.threadId } });
    expect(conv).toMatchObject({ mode: 'bot', status: 'open' });
    const ticket = await night.database.db.ticket.findFirstOrThrow({ where: { conversationId: conv.id } });
    expect(JSON.parse(ticket.details!)).toMatchObject({ leaveMessage: true });
    expect(textOf(await c.send('订单 SD2412010001 一直没发货，请尽快处理'))).toMatch(/已补充到留言/);
    const added = await night.database.db.ticketEvent.findFirstOrThrow({ where: { ticketId: ticket.id, type: 'customer_message' } });
    expect(added.note).toContain('一直没发货');
    expect((await night.notifications('left_message')).map((n) => n.conversationId)).toEqual([conv.id]);
    expect((await night.crm.desk.list({ view: 'left', staffId: 1 })).map((x) => x.id)).toContain(conv.id);
    // and the bot still answers what it can
    expect(textOf(await c.send('运费怎么算'))).toMatch(/包邮|运费/);
  });
});

describe('nobody claims a waiting conversation', () => {
  it('reminds the team after the configured time, then escalates to managers, once each', async () => {
    const c = h.customer();
    await c.send('转人工');
    const conv = await conversationOf(c.threadId);
    const at = (min: number) => new Date(conv.waitingSince!.getTime() + min * 60_000);
    expect(await h.desk.sweeper.tick(at(1))).toMatchObject({ reminded: 0, escalated: 0 });
    const mine = <T extends { conversationId: number | null }>(rows: T[]) => rows.filter((r) => r.conversationId === conv.id);
    await h.desk.sweeper.tick(at(4));
    expect(mine(await h.notifications('reminder'))).toHaveLength(1);
    expect(mine(await h.notifications('escalation'))).toHaveLength(0);
    await h.desk.sweeper.tick(at(5));
    await h.desk.sweeper.tick(at(11));
    await h.desk.sweeper.tick(at(12));
    expect(mine(await h.notifications('reminder'))).toHaveLength(1);
    const escalations = mine(await h.notifications('escalation'));
    expect(escalations).toHaveLength(1);
    expect(escalations[0].payload).toMatchObject({ audience: 'managers', detail: { waitedMinutes: 11 } });
    await h.queue.drain(10_000);
    expect(h.deskEvents.filter((e) => e.conversationId === conv.id).map((e) => e.kind)).toEqual(expect.arrayContaining(['handoff', 'reminder', 'escalation']));
  });

  it('assigns waiting conversations to online agents with room, up to their cap', async () => {
    const auto = await createHarness({ seed: false, desk: { autoAssign: true, maxChatsPerAgent: 1 } });
    try {
      const a = await auto.database.db.staffMember.create({ data: { name: 'Ann', role: 'agent', presence: 'online', lastSeenAt: new Date() } });
      const first = auto.customer();
      const second = auto.customer();
      await first.send('转人工');
      await second.send('转人工');
      expect(await auto.desk.sweeper.tick(new Date())).toMatchObject({ assigned: 1 });
      await auto.queue.drain(10_000);
      const convs = await auto.database.db.conversation.findMany({ where: { threadId: { in: [first.threadId, second.threadId] } }, orderBy: { id: 'asc' } });
      expect(convs.map((x) => [x.mode, x.assigneeId])).toEqual([['human', a.id], ['waiting', null]]);
      expect(textOf(first.transcript())).toContain('客服Ann');
      const claim = await auto.database.db.conversationEvent.findFirstOrThrow({ where: { conversationId: convs[0].id, type: 'claim' } });
      expect(claim.actor).toBe('system');
    } finally {
      await auto.close();
    }
  });
});

describe('giving the conversation back', () => {
  it('releases with a marker: the bot starts fresh instead of resuming the return flow from before', async () => {
    const c = h.customer({ locale: 'en-US', sender: { verified: { email: A.email } } });
    const asked = await c.send(`I want to return order ${A.orders.deliveredRecently}`);
    expect(choicesOf(asked).length).toBeGreaterThan(0);
    const conv = await conversationOf(c.threadId);
    // staff take over mid-flow, then hand back
    expect(await h.desk.service.claim(agent, conv.id)).toMatchObject({ ok: true });
    expect(await h.desk.service.release(agent, conv.id)).toMatchObject({ ok: true });
    await h.queue.drain(10_000);
    expect(textOf(c.transcript().slice(-1))).toMatch(/handed you back to the assistant/);
    const after = await conversationOf(c.threadId);
    expect(after).toMatchObject({ mode: 'bot', status: 'open', assigneeId: null });
    expect(JSON.parse(after.flowState!)).toMatchObject({ releasedAt: expect.any(String) });
    expect(JSON.parse(after.flowState!).flow).toBeUndefined();
    const next = textOf(await c.send('how much is shipping?'));
    expect(next).not.toMatch(/get back to what we were doing/);
    expect(await events(c.threadId)).toEqual(['claim', 'release']);
  });

  it('resolves by staff: status resolved, the ticket resolved, the satisfaction question answered once', async () => {
    const c = h.customer();
    await c.send('转人工');
    const conv = await conversationOf(c.threadId);
    await h.desk.service.claim(agent, conv.id);
    // only the owner (or a manager) may resolve
    const other = await h.database.db.staffMember.create({ data: { name: 'Otto', role: 'agent' } });
    expect(await h.desk.service.resolve({ staffId: other.id, name: 'Otto', role: 'agent' }, conv.id)).toMatchObject({ ok: false, code: 'not_owner' });
    expect(await h.desk.service.resolve(agent, conv.id)).toMatchObject({ ok: true });
    await h.queue.drain(10_000);
    expect(textOf(c.transcript().slice(-2))).toMatch(/本次服务已结束[\s\S]*满意/);
    expect(await conversationOf(c.threadId)).toMatchObject({ mode: 'bot', status: 'resolved', resolvedBy: 'staff', humanInvolved: true });
    const ticket = await h.database.db.ticket.findFirstOrThrow({ where: { conversationId: conv.id, type: 'handoff' } });
    expect(ticket).toMatchObject({ status: 'resolved', assigneeId: agent.staffId });
    expect(textOf(await c.send('5'))).toContain('感谢');
    expect(await h.database.db.feedback.count({ where: { conversationId: conv.id, score: 5 } })).toBe(1);
    expect(await conversationOf(c.threadId)).toMatchObject({ status: 'resolved' });
    expect(await events(c.threadId)).toEqual(['handoff', 'claim', 'resolve']);
  });

  it('lets a manager resolve someone else\'s conversation, and a new question reopens it', async () => {
    const c = h.customer();
    await c.send('转人工');
    const conv = await conversationOf(c.threadId);
    await h.desk.service.claim(agent, conv.id);
    expect(await h.desk.service.resolve(manager, conv.id)).toMatchObject({ ok: true });
    await h.queue.drain(10_000);
    await c.send('运费怎么算');
    expect(await conversationOf(c.threadId)).toMatchObject({ status: 'open', humanInvolved: false, resolvedBy: null });
    expect(await events(c.threadId)).toEqual(['handoff', 'claim', 'resolve', 'reopen']);
  });
});

describe('the bot resolving on its own', () => {
  it('keeps a finished return open until the customer confirms, then marks it resolved by the bot', async () => {
    const c = h.customer({ locale: 'en-US', sender: { verified: { email: A.email } } });
    await c.send(`I want to return order ${A.orders.deliveredRecently}`);
    await c.send({ type: 'postback', payload: 'reason:size', text: "Size doesn't fit" });
    expect(await conversationOf(c.threadId)).toMatchObject({ status: 'open', resolvedBy: null });
    await c.send('thanks, bye');
    expect(await conversationOf(c.threadId)).toMatchObject({ status: 'resolved', resolvedBy: 'bot', humanInvolved: false });
    await c.send('5');
    expect(await conversationOf(c.threadId)).toMatchObject({ status: 'resolved', resolvedBy: 'bot' });
    expect(await events(c.threadId)).toEqual(['resolve']);
  });

  it('counts a goodbye after an answered question as resolved by the bot', async () => {
    const c = h.customer();
    await c.send('运费怎么算');
    await c.send('好的谢谢，再见');
    expect(await conversationOf(c.threadId)).toMatchObject({ status: 'resolved', resolvedBy: 'bot' });
  });
});

describe('a complaint that asks for a person', () => {
  it('is handed over as a complaint, with an apology', async () => {
    const c = h.customer();
    const notice = textOf(await c.send('我要投诉，快递员态度太差，转人工'));
    expect(notice).toMatch(/非常抱歉/);
    expect(await conversationOf(c.threadId)).toMatchObject({ mode: 'waiting', handoffReason: 'complaint' });
  });
});
