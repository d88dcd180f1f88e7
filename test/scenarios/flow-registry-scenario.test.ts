import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEMO_PERSONAS } from '../../src/crm/seed/index.js';
import { defineFlow, END } from '../../src/conversation/flows/flow-definition.js';
import { ask, done, looksLikeNewRequest } from '../../src/conversation/flows/flow-helpers.js';
import { registerFlow } from '../../src/conversation/flows/flow-registry.js';
import { INTENTS } from '../../src/conversation/intent-names.js';
import { choicesOf, createHarness, textOf, type Harness, type HarnessCustomer } from '../factories/engine-harness.js';

/**
 * Issue 8 item 4: a new flow is one file plus one registry line. The flow below lives only in
 * this test; registered, it runs through the real engine (classifier, router, stored state)
 * without any other file knowing it. And a frame stored by an older version that no longer fits
 * its flow is dropped cleanly: the customer is asked again, nothing crashes.
 */
const InvoiceSlots = z.object({ title: z.string().optional() });

const invoiceTitleFlow = defineFlow<z.infer<typeof InvoiceSlots>>({
  name: 'invoice_title',
  about: 'the title an invoice is made out to',
  intents: [INTENTS.invoice],
  slots: InvoiceSlots,
  start: 'start',
  states: {
    start: { about: 'the request', to: ['title'], run: (ctx, frame) => ask(ctx, frame, 'title', ctx.u.lang === 'zh' ? '发票抬头写什么？' : 'Who should the invoice be made out to?') },
    title: {
      about: 'the title (free text)',
      to: [END],
      run: (ctx, frame) => {
        if (!ctx.u.text || looksLikeNewRequest(ctx.u, [INTENTS.invoice])) return { replies: [], frame, notAnAnswer: true };
        const title = ctx.u.text.slice(0, 100);
        return done([{ type: 'text', text: `${ctx.u.lang === 'zh' ? '已记下发票抬头' : 'Noted the invoice title'}: ${title}` }], { resolved: {} });
      },
    },
  },
});

const Z = DEMO_PERSONAS.zhangSan;
let h: Harness;
let unregister: () => void;

beforeAll(async () => {
  h = await createHarness();
  unregister = registerFlow(invoiceTitleFlow);
});
afterAll(async () => {
  unregister();
  await h.close();
});

const zhang = () => h.customer({ sender: { verified: { phone: Z.phone } } });

async function storedState(c: HarnessCustomer): Promise<Record<string, unknown>> {
  const row = await h.database.db.conversation.findFirstOrThrow({ where: { threadId: c.threadId } });
  return JSON.parse(row.flowState ?? '{}') as Record<string, unknown>;
}

/** Overwrites the thread's stored flow frame, as an older version of shopdesk might have left it. */
async function storeFrame(c: HarnessCustomer, frame: Record<string, unknown>): Promise<void> {
  const row = await h.database.db.conversation.findFirstOrThrow({ where: { threadId: c.threadId } });
  const state = JSON.parse(row.flowState ?? '{"misses":0,"anger":0}') as Record<string, unknown>;
  const at = new Date().toISOString();
  await h.database.db.conversation.update({ where: { id: row.id }, data: { flowState: JSON.stringify({ ...state, flow: { startedAt: at, updatedAt: at, startedBy: 1, retries: 0, ...frame } }) } });
}

describe('a flow defined in one file and registered', () => {
  it('is started by its intent, asks its question, keeps its frame between turns and finishes (zh)', async () => {
    const c = zhang();
    expect(textOf(await c.send('帮我开一下公司抬头的发票'))).toBe('发票抬头写什么？');
    expect(await storedState(c)).toMatchObject({ flow: { flow: 'invoice_title', step: 'title', prompt: { text: '发票抬头写什么？' } } });
    expect(textOf(await c.send('上海某某科技有限公司'))).toBe('已记下发票抬头: 上海某某科技有限公司');
    expect((await storedState(c)).flow).toBeUndefined();
  });

  it('waits while another question is answered, then comes back to its question (the engine\'s resume applies to it too)', async () => {
    const c = zhang();
    await c.send('帮我开一下公司抬头的发票');
    const interrupted = textOf(await c.send('运费怎么算？'));
    expect(interrupted).toMatch(/运费|包邮/);
    expect(interrupted).not.toMatch(/已记下/);
    expect(interrupted).toMatch(/我们继续刚才的事情[\s\S]*发票抬头写什么？/);
    expect(textOf(await c.send('某某公司'))).toBe('已记下发票抬头: 某某公司');
  });
});

describe('a stored frame from an older version', () => {
  it('with slots that no longer parse is dropped and the flow starts over: the customer is asked which order again', async () => {
    const c = zhang();
    await c.send('你好');
    await storeFrame(c, { flow: 'cancel', step: 'confirm', slots: { orderNumber: Z.orders.pendingPayment, orderId: 'not-a-number' }, prompt: { text: '确认取消吗？' } });
    const replies = await c.send('确认');
    expect(textOf(replies)).toMatch(/请选择要办理的订单/);
    expect(choicesOf(replies).map((x) => x.payload)).toContain(`order:${Z.orders.pendingPayment}`);
    expect(await storedState(c)).toMatchObject({ flow: { flow: 'cancel', step: 'pick_order' } });
    // nothing was cancelled on the strength of the stale frame
    expect(await h.database.db.order.findUniqueOrThrow({ where: { orderNumber: Z.orders.pendingPayment } })).toMatchObject({ status: 'pending_payment' });
  });

  it('in a state the flow no longer has is dropped the same way', async () => {
    const c = zhang();
    await c.send('你好');
    await storeFrame(c, { flow: 'return', step: 'pick_colour', slots: {} });
    expect(textOf(await c.send('红色'))).toMatch(/请选择要办理的订单|订单号/);
  });

  it('of a flow that no longer exists is dropped and the message answered as a new one, the rest of the state kept', async () => {
    const c = zhang();
    await c.send(`订单${Z.orders.inTransit}到哪了`);
    await storeFrame(c, { flow: 'gift_wrap', step: 'paper', slots: { colour: 'red' } });
    const text = textOf(await c.send('还没到'));
    expect(text).toContain(Z.orders.inTransit);
    const state = await storedState(c);
    expect(state.flow).toBeUndefined();
    expect(state.memory).toMatchObject({ order: Z.orders.inTransit });
  });

  it('is cancelled like an open one when the customer says cancel', async () => {
    const c = zhang();
    await c.send('你好');
    await storeFrame(c, { flow: 'change_order', step: 'detail', slots: { orderId: [] } });
    expect(textOf(await c.send('取消'))).toBe('好的，已取消当前操作。还有什么可以帮您？');
    expect((await storedState(c)).flow).toBeUndefined();
  });
});
