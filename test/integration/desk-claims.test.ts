import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffPrincipal } from '../../src/desk/auth/staff-auth.js';
import { createHarness, type Harness } from '../factories/engine-harness.js';
import { createTestDatabase } from '../factories/test-database.js';

/** The first claim wins, atomically, on both providers — also when many agents race for many chats. */
describe.each(['sqlite', 'postgres'] as const)('claiming on %s', (provider) => {
  let h: Harness;
  let agents: StaffPrincipal[];

  beforeAll(async () => {
    h = await createHarness({ seed: false, database: await createTestDatabase(provider) });
    agents = [];
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5']) {
      const s = await h.database.db.staffMember.create({ data: { name, role: 'agent' } });
      agents.push({ staffId: s.id, name, role: 'agent' });
    }
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('gives each waiting conversation to exactly one of five agents claiming it at the same moment', async () => {
    const customers = Array.from({ length: 8 }, () => h.customer());
    for (const c of customers) await c.send('转人工');
    const convs = await h.database.db.conversation.findMany({ where: { threadId: { in: customers.map((c) => c.threadId) } } });
    expect(convs.every((c) => c.mode === 'waiting')).toBe(true);
    const results = await Promise.all(convs.flatMap((c) => agents.map((a) => h.desk.service.claim(a, c.id).then((r) => ({ conv: c.id, agent: a.staffId, r })))));
    await h.queue.drain(20_000);
    for (const c of convs) {
      const mine = results.filter((x) => x.conv === c.id);
      const winners = mine.filter((x) => x.r.ok);
      expect(winners, `conversation ${c.id}`).toHaveLength(1);
      for (const loser of mine.filter((x) => !x.r.ok)) expect(loser.r).toMatchObject({ ok: false, code: expect.stringMatching(/conflict|illegal/) });
      const after = await h.database.db.conversation.findUniqueOrThrow({ where: { id: c.id } });
      expect(after).toMatchObject({ mode: 'human', assigneeId: winners[0].agent });
      expect(await h.database.db.conversationEvent.count({ where: { conversationId: c.id, type: 'claim' } })).toBe(1);
      // the customer is greeted by exactly one agent
      expect(await h.database.db.message.count({ where: { conversationId: c.id, direction: 'out', senderId: { startsWith: 'staff:' } } })).toBe(1);
    }
  });

  it('does not let a customer message processed during a claim undo it', async () => {
    const c = h.customer();
    await c.send('转人工');
    const conv = await h.database.db.conversation.findFirstOrThrow({ where: { threadId: c.threadId } });
    // the customer writes while an agent claims
    const [claim] = await Promise.all([h.desk.service.claim(agents[0], conv.id), c.send('你好，有人吗？')]);
    expect(claim.ok).toBe(true);
    await h.queue.drain(10_000);
    expect(await h.database.db.conversation.findUniqueOrThrow({ where: { id: conv.id } })).toMatchObject({ mode: 'human', assigneeId: agents[0].staffId });
    expect(await h.database.db.message.count({ where: { conversationId: conv.id, direction: 'in', status: 'processed' } })).toBe(2);
  });
});
