import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONAS } from '../../src/crm/seed/index.js';
import { choicesOf, createHarness, textOf, type Harness, type HarnessCustomer } from '../factories/engine-harness.js';

/**
 * Issue 8 item 3: the bot keeps the thread of a conversation. A short follow-up is read against
 * the last order, flow or question; two requests in one message are both handled (or the second
 * queued and answered next); a language switch keeps the flow, its verified order and its slots;
 * an order verified in a conversation stays verified there.
 */
const Z = DEMO_PERSONAS.zhangSan;
const A = DEMO_PERSONAS.alice;
let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

const zhang = () => h.customer({ sender: { verified: { phone: Z.phone } } });
const alice = () => h.customer({ sender: { verified: { email: A.email } }, locale: 'en-US' });
const press = (c: HarnessCustomer, payload: string, label = payload) => c.send({ type: 'postback', payload, text: label });
const returnsDone = (orderNumber: string) => h.database.db.ticket.updateMany({ where: { order: { orderNumber }, type: { in: ['return', 'exchange'] } }, data: { status: 'closed' } });
const asksDigits = (text: string) => /后四位|last 4 digits/.test(text);

describe('a short follow-up', () => {
  it('"等多久?" and "还没到" after an order answer are about that order, not a new search (zh)', async () => {
    const c = zhang();
    await c.send(`查一下订单${Z.orders.inTransit}`);
    for (const followUp of ['等多久?', '还没到']) {
      const reply = await c.send(followUp);
      expect(textOf(reply)).toMatch(new RegExp(`${Z.orders.inTransit}.*2–4 天`));
      expect(choicesOf(reply)).toEqual([]);
    }
  });

  it('"这个能退吗" right after an order answer is about that order, not the return policy in general (zh, en)', async () => {
    const c = zhang();
    await c.send(`查一下订单${Z.orders.inTransit}`);
    const zh = textOf(await c.send('这个能退吗'));
    expect(zh).toContain(Z.orders.inTransit);
    expect(zh).not.toMatch(/您是想问/);
    const a = alice();
    await a.send(`where is my order ${A.orders.shipped}`);
    const en = textOf(await a.send('can I return this?'));
    expect(en).toContain(A.orders.shipped);
    expect(en).not.toMatch(/Did you mean/);
  });

  it('"开好了吗" after an invoice question is about the invoice (zh)', async () => {
    const c = zhang();
    await c.send('怎么开发票');
    expect(textOf(await c.send('开好了吗'))).toMatch(/发票.*48 小时/);
  });

  it('"what about the other one?" after an order answer is about the customer\'s other order (en)', async () => {
    const c = alice();
    await c.send(`where is my order ${A.orders.shipped}`);
    const other = textOf(await c.send('what about the other one?'));
    expect(other).toContain(A.orders.deliveredRecently);
    expect(other).toMatch(/delivered/);
    expect(textOf(await c.send('how long?'))).toContain(A.orders.deliveredRecently);
  });

  it('"is it done yet?" after a return is about that return (en)', async () => {
    await returnsDone(A.orders.deliveredRecently);
    const c = alice();
    await c.send(`I want to return order ${A.orders.deliveredRecently}`);
    const created = textOf(await press(c, 'reason:size', "Size doesn't fit"));
    const ticket = /T\d{6}/.exec(created)?.[0];
    expect(ticket).toBeDefined();
    expect(textOf(await c.send('is it done yet?'))).toMatch(new RegExp(`return request \\(ticket ${ticket}\\) is received`));
  });
});

describe('two requests in one message', () => {
  it('answers both: the order and the invoice question (zh)', async () => {
    const c = zhang();
    const text = textOf(await c.send(`查一下订单${Z.orders.inTransit}，另外怎么开发票`));
    expect(text).toContain(Z.tracking.inTransit);
    expect(text).toMatch(/关于您问的“怎么开发票”[\s\S]*发票/);
  });

  it('queues the second while the first needs answers, and answers it when the first is done (en)', async () => {
    await returnsDone(A.orders.deliveredRecently);
    const c = alice();
    const first = textOf(await c.send('I want to return my order, also how do I get an invoice?'));
    expect(first).toMatch(/Which order/);
    expect(first).toMatch(/I will come to "how do I get an invoice\?"/);
    await press(c, `order:${A.orders.deliveredRecently}`, A.orders.deliveredRecently);
    const done = textOf(await press(c, 'reason:size', "Size doesn't fit"));
    expect(done).toMatch(/return request is in: ticket T\d{6}/);
    expect(done).toMatch(/About "how do I get an invoice\?"[\s\S]*invoice/i);
  });
});

describe('a language switch', () => {
  it('keeps the guest\'s verified order and the return in progress, and asks its question again in Chinese (en → zh)', async () => {
    await returnsDone(Z.orders.deliveredRecently);
    const c = h.customer({ locale: 'en-US' });
    expect(asksDigits(textOf(await c.send(`I want to return ${Z.orders.deliveredRecently}`)))).toBe(true);
    expect(textOf(await c.send(Z.phone.slice(-4)))).toMatch(/we need to know you own the order/);
    const switched = await c.send('我想用中文');
    expect(textOf(switched)).toMatch(/接下来用中文[\s\S]*本人确认/);
    expect(choicesOf(switched).map((x) => x.label)).toContain('直接提交，等客服核实');
    const reason = textOf(await press(c, 'owner:continue', '直接提交，等客服核实'));
    expect(reason).toContain('原因');
    expect(asksDigits(reason)).toBe(false);
    const done = textOf(await press(c, 'reason:size', '尺码/颜色不合适'));
    const ticket = await h.database.db.ticket.findUniqueOrThrow({ where: { id: Number(/T(\d{6})/.exec(done)?.[1]) }, include: { order: true } });
    expect(ticket.order?.orderNumber).toBe(Z.orders.deliveredRecently);
  });

  it('keeps the return\'s chosen order and items when the customer carries on in English (zh → en)', async () => {
    await returnsDone(Z.orders.deliveredRecently);
    const c = zhang();
    await c.send(`订单${Z.orders.deliveredRecently}我要退货`);
    const items = choicesOf(c.transcript()).filter((x) => x.payload.startsWith('item:'));
    const switched = await c.send('English please');
    expect(textOf(switched)).toMatch(/continue in English[\s\S]*Which item do you want to return/);
    expect(choicesOf(switched).map((x) => x.payload)).toEqual(items.map((x) => x.payload));
    const reason = textOf(await press(c, items[0].payload, items[0].label));
    expect(reason).toMatch(/What is the reason for the return/);
    const done = textOf(await press(c, 'reason:size', "Size doesn't fit"));
    expect(done).toMatch(/request is in: ticket T\d{6}/);
  });
});

describe('an order verified in a conversation', () => {
  it('is not asked for its phone digits again, whatever comes next (zh)', async () => {
    const c = h.customer({ locale: 'zh-CN' });
    expect(asksDigits(textOf(await c.send(`查一下订单${Z.orders.inTransit}`)))).toBe(true);
    expect(textOf(await c.send(Z.phone.slice(-4)))).toContain('运输中');
    const eta = textOf(await c.send('还没到'));
    expect(eta).toContain(Z.orders.inTransit);
    expect(asksDigits(eta)).toBe(false);
    const cancel = textOf(await c.send('我要取消这个订单'));
    expect(cancel).toMatch(/已经发货，无法取消/);
    expect(asksDigits(cancel)).toBe(false);
  });

  it('takes the digits given with the order number, and does not ask for them again in the other language (en → zh)', async () => {
    const c = h.customer({ locale: 'en-US' });
    const first = textOf(await c.send(`where is ${Z.orders.inTransit}? last 4 digits ${Z.phone.slice(-4)}`));
    expect(first).toMatch(/on the way/);
    expect(asksDigits(first)).toBe(false);
    const again = textOf(await c.send(`${Z.orders.inTransit}到哪了`));
    expect(again).toContain('运输中');
    expect(asksDigits(again)).toBe(false);
  });
});
