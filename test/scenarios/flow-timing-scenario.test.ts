import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, textOf, type Harness } from '../factories/engine-harness.js';

let h: Harness;
let now = Date.parse('2026-03-01T10:00:00Z');
beforeAll(async () => {
  h = await createHarness({ now: () => new Date(now) });
});
afterAll(async () => {
  await h.close();
});

describe('flow timing and wrong input', () => {
  it('drops a flow left idle for over 30 minutes and says so', async () => {
    const c = h.customer();
    expect(textOf(await c.send('我要查订单'))).toContain('订单号');
    now += 31 * 60_000;
    const text = textOf(await c.send('你好'));
    expect(text).toContain('之前的操作已超时结束');
    const conv = await h.database.db.conversation.findFirst({ where: { threadId: c.threadId } });
    // The open flow is gone; the conversation's memory of its last topic (for follow-ups) may stay.
    const state = JSON.parse(conv?.flowState ?? '{}') as { flow?: unknown };
    expect(state.flow).toBeUndefined();
  });

  it('explains the order number format when the customer types a wrong one, and keeps asking', async () => {
    const c = h.customer({ locale: 'en-US' });
    await c.send('where is my package');
    const text = textOf(await c.send('my order number is 12345678'));
    expect(text).toMatch(/doesn't look like an order number/);
    expect(text).toMatch(/send me your order number/);
  });
});
