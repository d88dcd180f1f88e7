import type { Db } from '../../db/database-client.js';
import { isUniqueViolation } from '../audit-log.js';
import { MESSAGE_STATUS } from './message-store.js';

/**
 * The turn of a staff member talking to the managers' assistant on a staff channel (Slack, Teams,
 * WeChat…): the inbound message is marked processed and the answers stored as queued replies,
 * in one transaction, with no customer and no conversation — staff never enter customer records.
 * A second commit of the same message (a retried job) stores nothing and returns the replies.
 */
export interface AssistantReplyDraft { text: string; payload: unknown }

export async function commitAssistantTurn(db: Db, t: { inboundId: number; channel: string; threadId: string; replies: AssistantReplyDraft[]; now?: Date }): Promise<{ outbound: { id: number; payload: string; createdAt: Date }[]; alreadyCommitted: boolean }> {
  const now = t.now ?? new Date();
  const select = { id: true, payload: true, createdAt: true } as const;
  try {
    const [, created] = await db.$transaction([
      db.message.update({ where: { id: t.inboundId, status: MESSAGE_STATUS.received }, data: { status: MESSAGE_STATUS.processed, intent: 'staff_assistant', processedAt: now }, select: { id: true } }),
      db.message.createManyAndReturn({
        data: t.replies.map((r, n) => ({
          direction: 'out', channel: t.channel, threadId: t.threadId, platformMessageId: `reply:${t.inboundId}:${n}`, senderId: 'assistant', text: r.text,
          payload: JSON.stringify(r.payload), status: MESSAGE_STATUS.queued, replyToId: t.inboundId, intent: 'staff_assistant', createdAt: new Date(now.getTime() + n),
        })),
        select,
      }),
    ]);
    return { outbound: created.map((r) => ({ id: r.id, payload: r.payload ?? '{}', createdAt: r.createdAt })).sort((a, b) => a.id - b.id), alreadyCommitted: false };
  } catch (err) {
    if ((err as { code?: string })?.code !== 'P2025' && !isUniqueViolation(err)) throw err;
    const existing = await db.message.findMany({ where: { replyToId: t.inboundId, direction: 'out', status: MESSAGE_STATUS.queued }, orderBy: { id: 'asc' }, select });
    return { outbound: existing.map((r) => ({ id: r.id, payload: r.payload ?? '{}', createdAt: r.createdAt })), alreadyCommitted: true };
  }
}
