import { afterEach, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_ATTEMPTS } from '../../src/conversation/engine/conversation-engine.js';
import { createHarness, textOf, type Harness } from '../factories/engine-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('failures', () => {
  it('sets a message that fails on every try aside as failed, and answers the next one on its thread', async () => {
    // the knowledge base breaks on one message (a stand-in for any bug that message triggers)
    h = await createHarness({
      seed: false,
      kb: (real) => ({ ...real, decide: (q, o) => { if (q.includes('boom')) throw new Error('knowledge base exploded'); return real.decide(q, o); } }),
    });
    const c = h.customer();
    await c.send('boom boom boom 运费');
    const after = await c.send('你好');
    expect(textOf(after)).toContain('您好');
    const rows = await h.database.db.message.findMany({ where: { threadId: c.threadId, direction: 'in' }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.status)).toEqual(['failed', 'processed']);
    expect(rows[0].attempts).toBe(MAX_MESSAGE_ATTEMPTS);
    expect(rows[0].error).toContain('knowledge base exploded');
  });

  it('retries a reply the channel failed to deliver, and delivers it once', async () => {
    h = await createHarness({ seed: false });
    h.web.failNext = 2;
    const c = h.customer();
    const replies = await c.send('你好');
    expect(replies).toHaveLength(1);
    const out = await h.database.db.message.findMany({ where: { threadId: c.threadId, direction: 'out' } });
    expect(out.map((o) => o.status)).toEqual(['sent']);
  });
});
