import type { Db } from '../../db/database-client.js';
import { isUniqueViolation } from '../audit-log.js';

/**
 * The inbox/outbox: an inbound message is stored (unique on channel + platform id) before the
 * channel acknowledges it; it is `received` until the engine commits its effects in one
 * transaction, which marks it `processed`. Replies are stored as `queued` outbound rows whose
 * platform id derives from the inbound id, so a re-run can never store a second reply.
 */
export const MESSAGE_STATUS = { received: 'received', processed: 'processed', failed: 'failed', queued: 'queued', sent: 'sent', skipped: 'skipped' } as const;

export interface StoreInboundInput {
  channel: string;
  platformMessageId: string;
  threadId: string;
  senderId: string;
  text: string;
  payload?: unknown;
  receivedAt: Date;
}

export async function storeInbound(db: Db, m: StoreInboundInput): Promise<{ messageId: number; duplicate: boolean }> {
  // Insert first: a new message is the common case, and the unique index decides duplicates
  // atomically even when two deliveries race.
  try {
    const row = await db.message.create({
      data: {
        direction: 'in', channel: m.channel, threadId: m.threadId, platformMessageId: m.platformMessageId, senderId: m.senderId,
        text: m.text, payload: m.payload === undefined ? null : JSON.stringify(m.payload), status: MESSAGE_STATUS.received, createdAt: m.receivedAt,
      },
      select: { id: true },
    });
    return { messageId: row.id, duplicate: false };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // findFirst, not findUnique: Prisma batches same-tick findUnique calls into one query, and a
    // burst of re-deliveries would exceed SQLite's bound-parameter limit.
    const existing = await db.message.findFirst({ where: { channel: m.channel, platformMessageId: m.platformMessageId }, select: { id: true } });
    if (!existing) throw err;
    return { messageId: existing.id, duplicate: true };
  }
}

/** Unprocessed inbound messages of one thread, oldest first: the engine's work list. */
export async function pendingInbound(db: Db, channel: string, threadId: string) {
  return db.message.findMany({ where: { channel, threadId, direction: 'in', status: MESSAGE_STATUS.received }, orderBy: { id: 'asc' } });
}

/** Threads with accepted but unprocessed messages (re-enqueued after a restart). */
export async function threadsWithPending(db: Db): Promise<{ channel: string; threadId: string }[]> {
  const rows = await db.message.findMany({
    where: { direction: 'in', status: MESSAGE_STATUS.received },
    distinct: ['channel', 'threadId'],
    select: { channel: true, threadId: true },
  });
  return rows;
}

/** Outbound messages stored but not yet delivered (re-enqueued after a restart). */
export async function unsentOutbound(db: Db) {
  return db.message.findMany({ where: { direction: 'out', status: MESSAGE_STATUS.queued }, orderBy: { id: 'asc' }, select: { id: true, channel: true, threadId: true, payload: true, createdAt: true } });
}

export async function markInboundFailed(db: Db, messageId: number, error: string): Promise<void> {
  await db.message.update({ where: { id: messageId }, data: { status: MESSAGE_STATUS.failed, error: error.slice(0, 500) } });
}

export async function bumpAttempts(db: Db, messageId: number): Promise<void> {
  await db.message.update({ where: { id: messageId }, data: { attempts: { increment: 1 } } });
}

export async function markOutboundSent(db: Db, id: number): Promise<void> {
  await db.message.updateMany({ where: { id, status: MESSAGE_STATUS.queued }, data: { status: MESSAGE_STATUS.sent, processedAt: new Date() } });
}

export async function markOutboundFailed(db: Db, id: number, error: string): Promise<void> {
  await db.message.update({ where: { id }, data: { status: MESSAGE_STATUS.failed, error: error.slice(0, 500) } });
}

/** Messages of a thread for a client reconnecting (web chat history), oldest first. */
export async function threadHistory(db: Db, channel: string, threadId: string, limit = 50) {
  const rows = await db.message.findMany({
    where: { channel, threadId, status: { not: MESSAGE_STATUS.skipped } },
    orderBy: { id: 'desc' },
    take: limit,
    select: { id: true, direction: true, text: true, payload: true, createdAt: true, platformMessageId: true },
  });
  return rows.reverse();
}

/** Whether an inbound message's turn is committed, and the replies it produced. */
export async function turnOutcome(db: Db, inboundId: number): Promise<{ done: boolean; replies: { id: number; payload: string | null }[] }> {
  const rows = await db.message.findMany({ where: { OR: [{ id: inboundId }, { replyToId: inboundId }] }, orderBy: { id: 'asc' }, select: { id: true, status: true, direction: true, payload: true } });
  const inbound = rows.find((r) => r.id === inboundId);
  const done = Boolean(inbound && inbound.status !== MESSAGE_STATUS.received);
  return { done, replies: rows.filter((r) => r.direction === 'out').map((r) => ({ id: r.id, payload: r.payload })) };
}

/**
 * Claims a queued reply for sending: `processedAt` on a queued reply means "being sent since".
 * `claimed` when this caller may send it now; otherwise the reply's status (`sent`/`failed`:
 * nothing to do; `queued`: another worker claimed it less than `claimMs` ago and may be sending
 * it right now). A claim that is older than `claimMs` (its holder died) can be taken over.
 */
export async function claimOutboundForSend(db: Db, id: number, claimMs: number, now = new Date()): Promise<'claimed' | string | null> {
  const { count } = await db.message.updateMany({
    where: { id, direction: 'out', status: MESSAGE_STATUS.queued, OR: [{ processedAt: null }, { processedAt: { lt: new Date(now.getTime() - claimMs) } }] },
    data: { processedAt: now },
  });
  if (count === 1) return 'claimed';
  return outboundStatus(db, id);
}

/** Gives up a send claim after a failed send, so the retry need not wait for it to go stale. */
export async function releaseSendClaim(db: Db, id: number): Promise<void> {
  await db.message.updateMany({ where: { id, direction: 'out', status: MESSAGE_STATUS.queued }, data: { processedAt: null } });
}

/** A reply's status now (`queued`, `sent`, `failed`), or null if there is no such reply. */
export async function outboundStatus(db: Db, id: number): Promise<string | null> {
  const row = await db.message.findFirst({ where: { id, direction: 'out' }, select: { status: true } });
  return row?.status ?? null;
}

export interface RequeueClaimInput {
  /** Only rows created before this are stale. */
  staleBefore: Date;
  /** A row claimed (re-queued) before this may be claimed again; defaults to `staleBefore`. */
  claimStaleBefore?: Date;
  now: Date;
  /** At most this many rows per call. */
  limit?: number;
}

/** A row is claimable when nobody re-queued it, or the last claim is older than `staleBefore`. */
const claimable = (staleBefore: Date) => ({ OR: [{ requeuedAt: null }, { requeuedAt: { lt: staleBefore } }] });

/**
 * Claims the threads whose `received` messages are stale, for re-queueing. The claim is a
 * compare-and-set on the `requeuedAt` value each row was read with (the thread's first row
 * stands for the thread), so when two processes recover at once each thread goes to exactly
 * one of them, whatever their clocks; a claimed row is left alone until the claim is stale.
 */
export async function claimStaleThreads(db: Db, c: RequeueClaimInput): Promise<{ channel: string; threadId: string; firstId: number }[]> {
  const rows = await db.message.findMany({
    where: { direction: 'in', status: MESSAGE_STATUS.received, createdAt: { lt: c.staleBefore }, ...claimable(c.claimStaleBefore ?? c.staleBefore) },
    orderBy: { id: 'asc' }, take: c.limit ?? 2_000, select: { id: true, channel: true, threadId: true, requeuedAt: true },
  });
  const byThread = new Map<string, { channel: string; threadId: string; first: { id: number; requeuedAt: Date | null }; rest: number[] }>();
  for (const r of rows) {
    const key = `${r.channel}\u0000${r.threadId}`;
    const t = byThread.get(key);
    if (t) t.rest.push(r.id);
    else byThread.set(key, { channel: r.channel, threadId: r.threadId, first: { id: r.id, requeuedAt: r.requeuedAt }, rest: [] });
  }
  const claimed: { channel: string; threadId: string; firstId: number }[] = [];
  for (const t of byThread.values()) {
    const { count } = await db.message.updateMany({ where: { id: t.first.id, status: MESSAGE_STATUS.received, requeuedAt: t.first.requeuedAt }, data: { requeuedAt: c.now } });
    if (count === 0) continue; // another process claimed the thread first
    if (t.rest.length) await db.message.updateMany({ where: { id: { in: t.rest }, status: MESSAGE_STATUS.received }, data: { requeuedAt: c.now } });
    claimed.push({ channel: t.channel, threadId: t.threadId, firstId: t.first.id });
  }
  return claimed;
}

/** Claims stale `queued` replies (same rule as claimStaleThreads), oldest first. */
export async function claimStaleOutbound(db: Db, c: RequeueClaimInput) {
  const rows = await db.message.findMany({
    where: { direction: 'out', status: MESSAGE_STATUS.queued, createdAt: { lt: c.staleBefore }, ...claimable(c.claimStaleBefore ?? c.staleBefore) },
    orderBy: { id: 'asc' }, take: c.limit ?? 2_000, select: { id: true, channel: true, threadId: true, payload: true, createdAt: true, requeuedAt: true },
  });
  const claimed: typeof rows = [];
  for (const r of rows) {
    const { count } = await db.message.updateMany({ where: { id: r.id, status: MESSAGE_STATUS.queued, requeuedAt: r.requeuedAt }, data: { requeuedAt: c.now } });
    if (count > 0) claimed.push(r);
  }
  return claimed;
}
