import type { Db } from '../../db/database-client.js';
import { AppError } from '../../shared/app-error.js';
import { isUniqueViolation, recordAudit } from '../audit-log.js';
import { reviewItemData, type NluReviewDraft } from '../nlu-review/nlu-review-store.js';
import type { ConversationMode } from '../crm-constants.js';
import type { NotificationDraft } from '../staff-outbox/notification-payload.js';
import { outboxRowData, type TargetsFor } from '../staff-outbox/staff-outbox-store.js';
import type { PlannedTransition } from './handoff-state-machine.js';
import { MESSAGE_STATUS } from './message-store.js';

export type ConversationRecord = NonNullable<Awaited<ReturnType<Db['conversation']['findUnique']>>>;

export async function getOrCreateConversation(db: Db, args: { channel: string; threadId: string; customerId: number }): Promise<ConversationRecord> {
  const where = { channel_threadId: { channel: args.channel, threadId: args.threadId } };
  const found = await db.conversation.findUnique({ where });
  if (found) {
    if (found.customerId !== args.customerId) return db.conversation.update({ where: { id: found.id }, data: { customerId: args.customerId } });
    return found;
  }
  try {
    return await db.conversation.create({ data: { channel: args.channel, threadId: args.threadId, customerId: args.customerId } });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const again = await db.conversation.findUnique({ where });
    if (!again) throw err;
    return again;
  }
}

export async function getConversationByThread(db: Db, channel: string, threadId: string) {
  return db.conversation.findFirst({ where: { channel, threadId } });
}

export async function getConversation(db: Db, id: number) {
  return db.conversation.findUnique({ where: { id } });
}

export interface OutboundDraft {
  text: string;
  payload: unknown;
}

export interface StoredReply { id: number; payload: string; createdAt: Date }
const REPLY_FIELDS = { id: true, payload: true, createdAt: true } as const;
const toStoredReply = (r: { id: number; payload: string | null; createdAt: Date }): StoredReply => ({ id: r.id, payload: r.payload ?? '{}', createdAt: r.createdAt });

export interface CommitTurnInput {
  inboundId: number;
  channel: string;
  threadId: string;
  conversationId: number;
  customerId: number;
  intent?: string;
  confidence?: number;
  /** The conversation's flow state after this turn (JSON), or null when no flow is active. */
  flowState: string | null;
  mode?: ConversationMode;
  replies: OutboundDraft[];
  /** A satisfaction answer given in this turn: stored in the same transaction, so never twice. */
  feedback?: { score: number; comment?: string; ticketId?: number };
  /**
   * The mode the turn was decided in. The commit only applies while the conversation is still in
   * it: a claim by staff in between makes the turn fail with a retryable CONFLICT and run again.
   */
  expectMode?: ConversationMode;
  /** Handoff transitions this turn makes (handoff, leave_queue, reopen, resolve), in order, each with its event. */
  transitions?: PlannedTransition[];
  /** Staff notifications of this turn (outbox rows, one per target), written in the same transaction. */
  notifications?: { drafts: NotificationDraft[]; targetsFor: TargetsFor };
  now?: Date;
  /** A message for the shop's NLU review queue (sanitised text), stored with the turn. */
  review?: NluReviewDraft;
  /**
   * The fence of the thread lease the turn was computed under. The commit is refused
   * (AppError LEASE_LOST) when a larger fence has committed on this conversation since: the
   * lease expired and another worker took the thread over.
   */
  fence?: number;
}

/**
 * Commits one processed turn atomically: the inbound row becomes `processed` with its intent,
 * the replies are stored as queued outbound rows (idempotent on `reply:<inboundId>:<n>`), and the
 * conversation's flow state and activity time move on. A crash before this leaves the inbound
 * row `received`, so the turn is re-run; a crash after it leaves nothing to redo.
 */
export async function commitTurn(db: Db, t: CommitTurnInput): Promise<{ outbound: StoredReply[]; alreadyCommitted: boolean; notificationIds: number[] }> {
  const now = t.now ?? new Date();
  const last = t.transitions?.at(-1);
  const moved = last ? { mode: last.to.mode, status: last.to.status, assigneeId: last.to.assigneeId, ...Object.assign({}, ...t.transitions!.map((p) => p.fields)) } : {};
  const events = (t.transitions ?? []).map((p, n) => db.conversationEvent.create({
    data: { conversationId: t.conversationId, type: p.type, fromMode: p.from.mode, toMode: p.to.mode, fromStatus: p.from.status, toStatus: p.to.status, actor: p.type === 'leave_queue' || p.type === 'reopen' ? `customer:${t.customerId}` : 'bot', detail: JSON.stringify(p.detail), at: new Date(now.getTime() + n) },
    select: { id: true },
  }));
  const outbox = t.notifications ? outboxRowData(t.notifications.drafts, t.notifications.targetsFor, now) : [];
  const replies = t.replies.map((r, n) => ({
    conversationId: t.conversationId, direction: 'out', channel: t.channel, threadId: t.threadId,
    platformMessageId: `reply:${t.inboundId}:${n}`, text: r.text, payload: JSON.stringify(r.payload),
    status: MESSAGE_STATUS.queued, replyToId: t.inboundId, intent: t.intent ?? null, createdAt: new Date(now.getTime() + n),
  }));
  // One batch transaction (a single round of statements, cheaper than an interactive one). The
  // claim is an `update` filtered on status 'received': when the turn was already committed it
  // finds no row and throws, which rolls the whole batch back, so no reply is ever stored twice.
  try {
    const [, created, , notified] = await db.$transaction([
      db.message.update({
        where: { id: t.inboundId, status: MESSAGE_STATUS.received },
        data: { status: MESSAGE_STATUS.processed, conversationId: t.conversationId, intent: t.intent ?? null, confidence: t.confidence ?? null, processedAt: now },
        select: { id: true },
      }),
      db.message.createManyAndReturn({ data: replies, select: REPLY_FIELDS }),
      db.conversation.update({
        where: { id: t.conversationId, ...(t.expectMode ? { mode: t.expectMode } : {}), ...(t.fence !== undefined ? { leaseFence: { lte: BigInt(t.fence) } } : {}) },
        data: { flowState: t.flowState, lastActivityAt: now, ...(t.mode ? { mode: t.mode } : {}), ...moved, ...(t.fence !== undefined ? { leaseFence: BigInt(t.fence) } : {}) },
        select: { id: true },
      }),
      db.staffNotification.createManyAndReturn({ data: outbox, select: { id: true } }),
      ...events,
      ...(t.feedback
        ? [db.feedback.create({
            data: { customerId: t.customerId, conversationId: t.conversationId, ticketId: t.feedback.ticketId ?? null, score: t.feedback.score, comment: t.feedback.comment?.slice(0, 1000) ?? null },
            select: { id: true },
          })]
        : []),
      ...(t.review ? [db.nluReviewItem.create({ data: reviewItemData(t.inboundId, t.review, now), select: { id: true } })] : []),
    ]);
    return {
      outbound: (created as { id: number; payload: string | null; createdAt: Date }[]).map(toStoredReply).sort((a, b) => a.id - b.id),
      alreadyCommitted: false,
      notificationIds: (notified as { id: number }[]).map((r) => r.id),
    };
  } catch (err) {
    if (!isRecordNotFound(err) && !isUniqueViolation(err)) throw err;
    const inbound = await db.message.findUnique({ where: { id: t.inboundId }, select: { status: true } });
    if (inbound?.status === MESSAGE_STATUS.received) {
      // not committed before: the batch rolled back on a condition of the conversation — which one?
      const conv = t.fence !== undefined ? await db.conversation.findUnique({ where: { id: t.conversationId }, select: { leaseFence: true } }) : null;
      if (conv && conv.leaseFence > BigInt(t.fence!)) {
        throw new AppError('LEASE_LOST', `turn of message ${t.inboundId} refused: a newer lease (fence above ${t.fence}) committed on conversation ${t.conversationId}`, { retryable: true });
      }
      // the conversation changed under the turn (staff claimed it) — decide again
      throw new AppError('CONFLICT', `conversation ${t.conversationId} changed while its turn was processed`, { retryable: true });
    }
    const existing = await db.message.findMany({ where: { replyToId: t.inboundId, direction: 'out', status: MESSAGE_STATUS.queued }, orderBy: { id: 'asc' }, select: REPLY_FIELDS });
    return { outbound: existing.map(toStoredReply), alreadyCommitted: true, notificationIds: [] };
  }
}

function isRecordNotFound(err: unknown): boolean {
  return (err as { code?: string })?.code === 'P2025';
}

/** Stores a message a staff member sent (human mode) as an outbound row. */
export async function storeStaffReply(db: Db, args: { conversationId: number; staffId: number; text: string; platformMessageId: string }): Promise<{ id: number; duplicate: boolean }> {
  const conv = await db.conversation.findUnique({ where: { id: args.conversationId } });
  if (!conv) throw new AppError('NOT_FOUND', `Conversation ${args.conversationId} not found`);
  try {
    const row = await db.message.create({
      data: {
        conversationId: conv.id, direction: 'out', channel: conv.channel, threadId: conv.threadId, platformMessageId: args.platformMessageId,
        senderId: `staff:${args.staffId}`, text: args.text, payload: JSON.stringify({ type: 'text', text: args.text }), status: MESSAGE_STATUS.queued,
      },
      select: { id: true },
    });
    return { id: row.id, duplicate: false };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const existing = await db.message.findUnique({ where: { channel_platformMessageId: { channel: conv.channel, platformMessageId: args.platformMessageId } }, select: { id: true } });
    return { id: existing!.id, duplicate: true };
  }
}

/** Bot ↔ human handoff: who owns the conversation. In human mode the bot stays silent. */
export async function setConversationMode(db: Db, conversationId: number, mode: ConversationMode, opts: { actor: string; assigneeId?: number | null }) {
  const conv = await db.conversation.update({
    where: { id: conversationId },
    data: { mode, assigneeId: mode === 'bot' ? null : (opts.assigneeId ?? undefined), ...(mode === 'bot' ? { flowState: null } : {}) },
  });
  await recordAudit(db, { actor: opts.actor, action: `conversation.${mode === 'human' ? 'handoff' : 'release'}`, entity: 'Conversation', entityId: conversationId, detail: { assigneeId: opts.assigneeId ?? null } });
  return conv;
}

/**
 * Bot conversations, open and quiet since `before`, whose dialogue state carries `marker` (the
 * engine's "settled" mark; the CRM does not read the state itself) and with no handoff or
 * complaint ticket still being worked on. For the idle sweep, oldest first.
 */
export async function quietSettledConversations(db: Db, args: { before: Date; marker: string; limit?: number }) {
  return db.conversation.findMany({
    where: {
      mode: 'bot', status: 'open', lastActivityAt: { lt: args.before }, flowState: { contains: args.marker },
      tickets: { none: { type: { in: ['handoff', 'complaint'] }, status: { in: ['open', 'in_progress', 'waiting_customer'] } } },
    },
    orderBy: { lastActivityAt: 'asc' },
    take: args.limit ?? 100,
    select: { id: true, channel: true, threadId: true },
  });
}

export async function recentMessages(db: Db, conversationId: number, limit = 20) {
  const rows = await db.message.findMany({ where: { conversationId }, orderBy: { id: 'desc' }, take: limit, select: { direction: true, text: true, intent: true, createdAt: true } });
  return rows.reverse();
}

export async function recordFeedback(db: Db, args: { customerId: number; conversationId?: number; ticketId?: number; score: number; comment?: string }) {
  if (!Number.isInteger(args.score) || args.score < 1 || args.score > 5) throw new AppError('VALIDATION_FAILED', 'A satisfaction score is a whole number from 1 to 5');
  return db.feedback.create({ data: { customerId: args.customerId, conversationId: args.conversationId ?? null, ticketId: args.ticketId ?? null, score: args.score, comment: args.comment?.slice(0, 1000) ?? null } });
}
