import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONAS } from '../../src/crm/seed/index.js';
import { choicesOf, createHarness, textOf, type Harness } from '../factories/engine-harness.js';

const Z = DEMO_PERSONAS.zhangSan;
const A = DEMO_PERSONAS.alice;
const L = DEMO_PERSONAS.liSi;
let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

const zhang = () => h.customer({ sender: { verified: { phone: Z.phone } } });
/** The demo order's earlier return (from another test on this shared shop) was completed: it can be returned again. */
const returnsDone = (orderNumber: string) => h.database.db.ticket.updateMany({ where: { order: { orderNumber }, type: { in: ['return', 'exchange'] } }, data: { status: 'closed' } });

describe('returns and exchanges', () => {
  it('opens a return ticket for a recently delivered order, with items, reason and photo, and it shows on the profile (zh)', async () => {
    const c = zhang();
    const first = await c.send(`订单${Z.orders.deliveredRecently}我想退货`);
    const items = choicesOf(first);
    expect(items.length).toBeGreaterThan(1);
    const reasonAsk = await c.send({ type: 'postback', payload: items[0].payload, text: items[0].label });
    expect(textOf(reasonAsk)).toContain('原因');
    const photoAsk = await c.send({ type: 'postback', payload: 'reason:quality', text: '质量问题' });
    expect(textOf(photoAsk)).toContain('照片');
    const created = await c.send({ type: 'attachment', kind: 'image', url: '/api/webchat/uploads/abc', mimeType: 'image/png' });
    const text = textOf(created);
    expect(text).toMatch(/工单号 T\d{6}/);
    // no rating question after the answer: it comes once, when the conversation is resolved
    expect(text).not.toContain('1–5');
    const customer = await h.crm.customers.resolve({ kind: 'phone', externalId: Z.phone });
    const profile = await h.crm.customers.profile(customer.customerId);
    const ticket = profile!.tickets.find((t) => t.type === 'return');
    expect(ticket?.status).toBe('open');
    const row = await h.database.db.ticket.findUnique({ where: { id: ticket!.id } });
    expect(JSON.parse(row!.details!)).toMatchObject({ reason: 'quality', photoUrl: '/api/webchat/uploads/abc' });
  });

  it('stores the satisfaction score asked once the customer confirms they are done', async () => {
    const c = h.customer({ sender: { verified: { email: A.email } }, locale: 'en-US' });
    await c.send(`I want to return order ${A.orders.deliveredRecently}`);
    expect(textOf(await c.send({ type: 'postback', payload: 'reason:size', text: "Size doesn't fit" }))).not.toMatch(/Reply 1–5/);
    expect(textOf(await c.send("thanks, that's all"))).toMatch(/Reply 1–5/);
    const thanks = await c.send('5');
    expect(textOf(thanks)).toMatch(/thanks/i);
    const conv = await h.database.db.conversation.findFirst({ where: { threadId: c.threadId } });
    const feedback = await h.database.db.feedback.findMany({ where: { conversationId: conv!.id } });
    expect(feedback.map((f) => f.score)).toEqual([5]);
  });

  it('says why an order delivered 40 days ago cannot be returned and offers a person', async () => {
    const c = zhang();
    const replies = await c.send(`${Z.orders.deliveredLongAgo} 申请退货退款`);
    expect(textOf(replies)).toMatch(/超过了 7 天/);
    expect(choicesOf(replies).map((x) => x.payload)).toContain('handoff');
  });

  it('sends a return request for an unshipped order towards cancelling instead', async () => {
    const c = h.customer({ sender: { verified: { phone: L.phone } } });
    const replies = await c.send(`订单 ${L.orders.processing} 要退货`);
    expect(textOf(replies)).toContain('还没有签收');
    expect(choicesOf(replies).map((x) => x.payload)).toContain(`flow:cancel:${L.orders.processing}`);
  });

  it('asks which size or colour for an exchange (en)', async () => {
    await returnsDone(A.orders.deliveredRecently);
    const c = h.customer({ sender: { verified: { email: A.email } }, locale: 'en-US' });
    await c.send(`can I exchange order ${A.orders.deliveredRecently} for a bigger size`);
    const ask = await c.send({ type: 'postback', payload: 'reason:size', text: "Size doesn't fit" });
    expect(textOf(ask)).toMatch(/size or colour/i);
    const done = await c.send('size L please, same colour');
    expect(textOf(done)).toMatch(/exchange request is in: ticket T\d{6}/);
  });
});

describe('cancel, change and refund status', () => {
  it('cancels an unshipped order after confirmation and never opens two tickets for it', async () => {
    const c = h.customer({ sender: { verified: { phone: L.phone } } });
    const confirm = await c.send(`帮我取消订单${L.orders.processing}`);
    expect(textOf(confirm)).toContain('确认取消');
    const done = await c.send('确认');
    expect(textOf(done)).toMatch(/取消申请，工单号 T\d{6}/);
    const tickets = await h.database.db.ticket.count({ where: { type: 'cancel', order: { orderNumber: L.orders.processing } } });
    expect(tickets).toBe(1);
  });

  it('refuses to cancel a shipped order and offers a return instead', async () => {
    const c = zhang();
    const replies = await c.send(`cancel my order ${Z.orders.inTransit}`);
    expect(textOf(replies)).toMatch(/already shipped|已经发货/);
    expect(choicesOf(replies).some((x) => x.payload.startsWith('flow:return:'))).toBe(true);
  });

  it('takes an address change for an unshipped order in one message', async () => {
    const c = h.customer({ sender: { verified: { phone: L.phone } } });
    const replies = await c.send(`订单${L.orders.processing}地址改成北京市海淀区中关村大街1号2单元301`);
    expect(textOf(replies)).toMatch(/修改申请，工单号 T\d{6}/);
  });

  it('reports the progress of the customer\'s after-sales requests', async () => {
    const c = zhang();
    const text = textOf(await c.send('我的退款到哪一步了'));
    expect(text).toMatch(/T\d{6}/);
  });
});

describe('interruptions and control', () => {
  it('answers a question asked in the middle of a return and then resumes the return', async () => {
    await returnsDone(Z.orders.deliveredRecently);
    const c = zhang();
    await c.send(`订单${Z.orders.deliveredRecently}我要退货`);
    const mid = await c.send('退货运费谁出？');
    const text = textOf(mid);
    expect(text).toContain('我们继续刚才的事情');
    expect(choicesOf(mid).some((x) => x.payload.startsWith('item:'))).toBe(true);
  });

  it('drops the flow when the customer says cancel', async () => {
    await returnsDone(Z.orders.deliveredRecently);
    const c = zhang();
    await c.send(`订单${Z.orders.deliveredRecently}我要退货`);
    expect(textOf(await c.send('算了'))).toContain('已取消当前操作');
  });

  it('picks a numbered choice on a channel without buttons', async () => {
    const c = h.customer({ channel: 'terminal', sender: { verified: { phone: Z.phone } } });
    const menu = textOf(await c.send('查订单'));
    expect(menu).toMatch(/1\. SD\d{10}/);
    const answer = textOf(await c.send('1'));
    expect(answer).toMatch(/SD\d{10}/);
    expect(answer).toMatch(/状态|Status/);
  });
});

describe('handoff and human mode', () => {
  it('hands over on request with a summary ticket, then stays silent while a person owns the conversation', async () => {
    const c = h.customer();
    await c.send('你好，我想问下优惠券的事');
    const handoff = await c.send('转人工');
    expect(textOf(handoff)).toMatch(/转接人工客服（工单号 T\d{6}）/);
    const conv = await h.database.db.conversation.findFirst({ where: { threadId: c.threadId } });
    const notice = (await h.notifications('handoff')).find((n) => n.conversationId === conv!.id);
    expect(notice?.payload).toMatchObject({ conversation: { handoffReason: 'requested', mode: 'waiting' } });
    const ticketId = (notice!.payload.conversation as { ticket: { id: number } }).ticket.id;
    const ticket = await h.database.db.ticket.findUnique({ where: { id: ticketId } });
    expect(ticket?.description).toContain('优惠券');
    expect(await c.send('还在吗？')).toEqual([]);
    expect((await h.notifications('customer_message')).some((n) => n.conversationId === conv!.id)).toBe(true);
    const staff = await h.database.db.staffMember.findFirstOrThrow({ where: { role: 'agent' } });
    const release = await h.desk.service.release({ staffId: staff.id, name: staff.name, role: 'agent' }, conv!.id);
    expect(release.ok).toBe(true);
    await h.queue.drain(10_000);
    expect((await c.send('你好')).length).toBeGreaterThan(0);
  });

  it('never hands over for questions that are not about the shop', async () => {
    const c = h.customer({ locale: 'en-US' });
    expect(textOf(await c.send('what is the capital of france'))).toMatch(/can't help/i);
    expect(textOf(await c.send('book me a flight to paris'))).toMatch(/can't help/i);
    const conv = await h.database.db.conversation.findFirst({ where: { threadId: c.threadId } });
    expect(conv).toMatchObject({ mode: 'bot', status: 'open' });
  });

  it('hands a complaint to a person with a complaint ticket', async () => {
    const c = h.customer();
    const replies = await c.send('你们的快递员态度太恶劣了，我要投诉！');
    expect(textOf(replies)).toContain('投诉');
    const conv = await h.database.db.conversation.findFirst({ where: { threadId: c.threadId } });
    expect(conv?.handoffReason).toMatch(/complaint|anger/);
  });
});

describe('bad input', () => {
  it('answers empty, emoji-only, huge and binary messages without losing them', async () => {
    const c = h.customer();
    expect(textOf(await c.send('   '))).toContain('空消息');
    expect((await c.send('😂😂😂')).length).toBeGreaterThan(0);
    expect((await c.send('退货'.repeat(50_000))).length).toBeGreaterThan(0);
    expect((await c.send('\u0000\u0001\ufffd\ud800garbage\u0007')).length).toBeGreaterThan(0);
    const stored = await h.database.db.message.findMany({ where: { threadId: c.threadId, direction: 'in' }, orderBy: { id: 'asc' } });
    expect(stored).toHaveLength(4);
    expect(stored.every((m) => m.status === 'processed')).toBe(true);
    expect(stored[2].text.length).toBe(100_000);
  });

  it('treats HTML in a message as plain text', async () => {
    const c = h.customer();
    await c.send('<script>alert(1)</script>');
    const stored = await h.database.db.message.findFirst({ where: { threadId: c.threadId, direction: 'in' } });
    expect(stored?.text).toBe('<script>alert(1)</script>');
  });
});

describe('interruption without clutter', () => {
  it('does not offer to start a return while the interrupted return is about to resume', async () => {
    await returnsDone(A.orders.deliveredRecently);
    const c = h.customer({ locale: 'en-US', sender: { verified: { email: A.email } } });
    await c.send(`I want to return ${A.orders.deliveredRecently}`);
    const mid = await c.send('what is your return policy?');
    expect(choicesOf(mid).some((x) => x.payload === 'intent:return_refund')).toBe(false);
    expect(textOf(mid)).toMatch(/get back to what we were doing/);
  });
});
