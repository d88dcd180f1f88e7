import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONAS } from '../../src/crm/seed/index.js';
import { choicesOf, createHarness, textOf, type Harness } from '../factories/engine-harness.js';

const Z = DEMO_PERSONAS.zhangSan;
const A = DEMO_PERSONAS.alice;
let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

describe('order status', () => {
  it('tells a signed-in customer where their order is, with carrier, tracking and timeline (zh)', async () => {
    const c = h.customer({ sender: { verified: { phone: Z.phone } } });
    const replies = await c.send(`我的订单${Z.orders.inTransit}到哪了`);
    const text = textOf(replies);
    expect(text).toContain(Z.orders.inTransit);
    expect(text).toContain('运输中');
    expect(text).toContain(Z.tracking.inTransit);
    expect(text).toMatch(/物流进度|已发货/);
  });

  it('offers the customer\'s own recent orders as choices when no number is given, and a choice answers (en)', async () => {
    const c = h.customer({ sender: { verified: { email: A.email } }, locale: 'en-US' });
    const replies = await c.send('where is my order?');
    const choices = choicesOf(replies);
    expect(choices.map((x) => x.payload)).toContain(`order:${A.orders.shipped}`);
    const answer = await c.send({ type: 'postback', payload: `order:${A.orders.shipped}`, text: A.orders.shipped });
    expect(textOf(answer)).toContain(A.tracking.shipped);
    expect(textOf(answer)).toMatch(/on the way|shipped/i);
  });

  it('explains an exception on the order in plain words', async () => {
    const c = h.customer({ sender: { verified: { phone: Z.phone } } });
    const text = textOf(await c.send(`${Z.orders.delayed} 怎么还没到`));
    expect(text).toContain('延迟');
  });

  it('refuses another customer\'s order without saying anything about it, exactly as for an unknown number', async () => {
    const stranger = h.customer();
    const foreign = textOf(await stranger.send(`查一下订单 ${Z.orders.inTransit}`));
    expect(foreign).toContain('后四位');
    const refused = textOf(await stranger.send('1234'));
    expect(refused).not.toContain(Z.tracking.inTransit);
    expect(refused).not.toContain('运输中');
    const other = h.customer();
    const unknown = textOf(await other.send('查一下订单 SD9999999999'));
    expect(unknown).toBe(foreign);
    const refusedUnknown = textOf(await other.send('1234'));
    expect(refusedUnknown.replace('SD9999999999', 'X')).toBe(refused.replace(Z.orders.inTransit, 'X'));
  });

  it('answers another question asked while it waits for the last 4 digits, without counting it as a wrong answer (zh, en)', async () => {
    const zh = h.customer();
    expect(textOf(await zh.send(`我的快递到哪了 ${Z.orders.inTransit}`))).toContain('后四位');
    const faq = textOf(await zh.send('运费怎么算，多少钱包邮？'));
    expect(faq).toMatch(/包邮|运费/);
    expect(faq).not.toContain('没有找到');
    expect(textOf(await zh.send('还没到'))).not.toContain('没有找到');
    const proved = textOf(await zh.send(Z.phone.slice(-4)));
    expect(proved).toContain('运输中');
    const en = h.customer({ locale: 'en-US' });
    expect(textOf(await en.send(`where is order ${Z.orders.inTransit}`))).toMatch(/last 4/i);
    const shipping = textOf(await en.send('how much is shipping, is there free shipping?'));
    expect(shipping).toMatch(/free/i);
    expect(shipping).not.toMatch(/could not find|can't find|not find/i);
    expect(textOf(await en.send(Z.phone.slice(-4)))).toMatch(/transit|on the way|shipped/i);
  });

  it('shows the status only of an order to a guest who proves it with the last 4 digits of the phone on it', async () => {
    const c = h.customer();
    await c.send(`order ${Z.orders.inTransit} status please`);
    const text = textOf(await c.send(Z.phone.slice(-4)));
    expect(text).toContain(Z.orders.inTransit);
    expect(text).toMatch(/on the way/);
    // no tracking number, carrier, items or amounts for someone who is not the signed-in owner
    expect(text).not.toContain(Z.tracking.inTransit);
    expect(text).not.toMatch(/SF Express|¥|×/);
  });

  it('keeps an order proved in a conversation open there: the next question needs no digits again', async () => {
    const c = h.customer();
    await c.send(`order ${Z.orders.inTransit} status please`);
    await c.send(Z.phone.slice(-4));
    const again = textOf(await c.send(`and ${Z.orders.inTransit}?`));
    expect(again).toContain(Z.orders.inTransit);
    expect(again).not.toMatch(/last 4 digits/);
  });

  it('accepts the whole phone number when asked for its last 4 digits', async () => {
    const c = h.customer();
    await c.send(`查订单 ${Z.orders.delayed}`);
    expect(textOf(await c.send(`手机号是 ${Z.phone}`))).toContain(Z.orders.delayed);
  });

  it('answers the same inbound message delivered twice exactly once', async () => {
    const c = h.customer({ sender: { verified: { phone: Z.phone } } });
    const first = await c.send(`订单${Z.orders.inTransit}物流`, 'platform-msg-1');
    const second = await c.send(`订单${Z.orders.inTransit}物流`, 'platform-msg-1');
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual([]);
    const stored = await h.database.db.message.count({ where: { threadId: c.threadId, direction: 'in' } });
    expect(stored).toBe(1);
  });
});

describe('faq', () => {
  it('answers a shipping question from the knowledge base in Chinese', async () => {
    const c = h.customer();
    const text = textOf(await c.send('你们运费怎么算？包邮吗'));
    expect(text).toMatch(/99|包邮/);
  });

  it('answers an invoice question in English', async () => {
    const c = h.customer({ locale: 'en-US' });
    const text = textOf(await c.send('how do I get an invoice for my purchase'));
    expect(text.toLowerCase()).toContain('invoice');
  });
});

describe('language', () => {
  it('answers a general refund-time question from the FAQ when nothing is in progress', async () => {
    const c = h.customer({ locale: 'en-US' });
    const text = textOf(await c.send('how long does a refund take?'));
    expect(text).not.toMatch(/don't have any refund/);
    expect(text).toMatch(/working days/);
  });

  it('keeps answering in Chinese when a Chinese conversation gets a short Latin message', async () => {
    const c = h.customer({ locale: 'zh-CN' });
    await c.send('你好');
    const text = textOf(await c.send('asdf'));
    expect(text).toMatch(/[\u4e00-\u9fff]/);
  });
});
