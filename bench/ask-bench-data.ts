/**
 * Data for `npm run bench:ask` beyond the demo seed: conversations (with their resolve/reopen
 * events) and satisfaction scores, which the seed does not make, so the service figures (CSAT,
 * automation, conversations) run on realistic volumes. Deterministic; written once per database
 * and marked in Setting `bench.ask.extras`.
 */
import type { Db } from '../src/db/database-client.js';
import { insertRows, type SqlValue } from '../src/crm/seed/bulk-insert.js';
import { createRng } from '../src/crm/seed/seeded-random.js';

const MARK = 'bench.ask.extras';
const DAY = 86_400_000;

export async function hasExtras(db: Db): Promise<boolean> {
  return (await db.setting.findUnique({ where: { key: MARK } })) !== null;
}

/** Roughly one conversation per three orders over the orders' months; a quarter of the resolved ones rated. */
export async function addConversationExtras(db: Db, opts: { orders: number; now: Date; provider: 'sqlite' | 'postgres'; months?: number; say?: (m: string) => void }): Promise<{ conversations: number; events: number; feedback: number }> {
  const rng = createRng(20251201);
  const span = (opts.months ?? 18) * 30 * DAY;
  const customers = await db.customer.aggregate({ _min: { id: true }, _max: { id: true } });
  const minId = customers._min.id ?? 1;
  const maxId = customers._max.id ?? 1;
  const total = Math.max(100, Math.round(opts.orders / 3));
  const start = (await db.conversation.aggregate({ _max: { id: true } }))._max.id ?? 0;
  let events = 0;
  let feedback = 0;
  const chunk = 5000;
  for (let from = 0; from < total; from += chunk) {
    const convRows: SqlValue[][] = [];
    const eventRows: SqlValue[][] = [];
    const feedbackRows: SqlValue[][] = [];
    for (let i = from; i < Math.min(total, from + chunk); i++) {
      const id = start + i + 1;
      const created = new Date(opts.now.getTime() - Math.floor(rng.next() * span));
      const customerId = rng.int(minId, maxId);
      const channel = rng.weighted(['web', 'wechat', 'email', 'rest'], [70, 20, 8, 2]);
      const roll = rng.next();
      const status = roll < 0.85 ? 'resolved' : roll < 0.95 ? 'open' : 'waiting';
      const by = status === 'resolved' ? rng.weighted(['bot', 'staff', 'customer'], [60, 25, 15]) : null;
      const human = by === 'staff' || (status === 'waiting' && rng.chance(0.3));
      const resolvedAt = status === 'resolved' ? new Date(created.getTime() + rng.int(1, 120) * 60_000) : null;
      const last = resolvedAt ?? created;
      convRows.push([id, customerId, channel, `bench-ask-${id}`, human ? 'human' : status === 'waiting' ? 'waiting' : 'bot', status, by, resolvedAt, human, last, created, last]);
      if (resolvedAt && resolvedAt.getTime() <= opts.now.getTime()) {
        eventRows.push([id, 'resolve', status === 'resolved' ? 'bot' : null, 'bot', 'open', 'resolved', by === 'bot' ? 'bot' : 'staff:1', resolvedAt]);
        if (by === 'bot' && rng.chance(0.03)) {
          const reopen = new Date(resolvedAt.getTime() + rng.int(1, 10 * 24) * 3_600_000);
          eventRows.push([id, 'reopen', 'bot', 'bot', 'resolved', 'open', `customer:${customerId}`, reopen], [id, 'resolve', 'bot', 'bot', 'open', 'resolved', 'bot', new Date(reopen.getTime() + 600_000)]);
        }
        if (rng.chance(0.25)) feedbackRows.push([customerId, id, rng.weighted([5, 4, 3, 2, 1], [55, 25, 10, 5, 5]), new Date(resolvedAt.getTime() + 60_000)]);
      }
    }
    await db.$transaction(async (tx) => {
      await insertRows(tx, 'Conversation', ['id', 'customerId', 'channel', 'threadId', 'mode', 'status', 'resolvedBy', 'resolvedAt', 'humanInvolved', 'lastActivityAt', 'createdAt', 'updatedAt'], convRows);
      await insertRows(tx, 'ConversationEvent', ['conversationId', 'type', 'fromMode', 'toMode', 'fromStatus', 'toStatus', 'actor', 'at'], eventRows);
      await insertRows(tx, 'Feedback', ['customerId', 'conversationId', 'score', 'createdAt'], feedbackRows);
    }, { timeout: 600_000 });
    events += eventRows.length;
    feedback += feedbackRows.length;
    opts.say?.(`  conversations ${Math.min(total, from + chunk)}/${total}`);
  }
  // ids were given explicitly (events refer to them): move PostgreSQL's sequence past them
  if (opts.provider === 'postgres') await db.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"Conversation"', 'id'), (SELECT MAX("id") FROM "Conversation"))`);
  await db.setting.upsert({ where: { key: MARK }, create: { key: MARK, value: String(total) }, update: { value: String(total) } });
  return { conversations: total, events, feedback };
}
