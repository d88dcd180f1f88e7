import type { Db, Tx } from '../../db/database-client.js';
import type { StaffNotificationPayload, StaffNotificationRow } from '../../shared/staff-notifier.js';
import { isUniqueViolation } from '../audit-log.js';
import type { StaffNotificationKind } from '../crm-constants.js';
import type { NotificationDraft } from './notification-payload.js';

/**
 * The staff outbox (design.md, contract 7). Rows are written in the same transaction as the change
 * they report, one per target; the queue delivers each through its target's notifier. A row is
 * `pending` until the notifier's platform id is stored with `sent` in one update, so a crash at any
 * point leaves either a pending row (delivered again, deduplicated by the target) or a sent one.
 */
export const NOTIFICATION_STATUS = { pending: 'pending', sent: 'sent', failed: 'failed' } as const;

export type TargetsFor = (kind: StaffNotificationKind) => readonly string[];

/** The rows one draft becomes: one per target that shows its kind. */
export function outboxRowData(drafts: NotificationDraft[], targetsFor: TargetsFor, now: Date) {
  return drafts.flatMap((d) => targetsFor(d.kind).map((target) => ({
    dedupeKey: `${d.dedupeBase}:${target}`, target, kind: d.kind, conversationId: d.conversationId, staffId: d.staffId ?? null,
    // due at once (the column defaults to the database's clock); createdAt is the change's own time
    payload: JSON.stringify(d.payload), status: NOTIFICATION_STATUS.pending, createdAt: now,
  })));
}

/** Writes drafts inside the caller's transaction; returns the new rows' ids (none when already written). */
export async function writeNotifications(tx: Tx | Db, drafts: NotificationDraft[], targetsFor: TargetsFor, now = new Date()): Promise<number[]> {
  const data = outboxRowData(drafts, targetsFor, now);
  if (!data.length) return [];
  const created = await tx.staffNotification.createManyAndReturn({ data, select: { id: true } });
  return created.map((r) => r.id);
}

type Row = NonNullable<Awaited<ReturnType<Db['staffNotification']['findUnique']>>>;

function toRow(r: Row, threadRef: string | null): StaffNotificationRow {
  return {
    id: r.id, dedupeKey: r.dedupeKey, target: r.target, kind: r.kind, conversationId: r.conversationId, staffId: r.staffId,
    payload: JSON.parse(r.payload) as StaffNotificationPayload, attempts: r.attempts, createdAt: r.createdAt, threadRef,
  };
}

/** A pending row ready to deliver, with the platform id of its conversation's handoff post on the same target. */
export async function pendingNotification(db: Db, id: number): Promise<StaffNotificationRow | undefined> {
  const r = await db.staffNotification.findUnique({ where: { id } });
  if (!r || r.status !== NOTIFICATION_STATUS.pending) return undefined;
  let threadRef: string | null = null;
  if (r.conversationId !== null && r.kind !== 'handoff') {
    const parent = await db.staffNotification.findFirst({
      where: { conversationId: r.conversationId, target: r.target, kind: 'handoff', status: NOTIFICATION_STATUS.sent, id: { lt: r.id } },
      orderBy: { id: 'desc' }, select: { platformRef: true },
    });
    threadRef = parent?.platformRef ?? null;
  }
  return toRow(r, threadRef);
}

/** Stores the platform's id and marks the row sent, in one update; false when it was no longer pending. */
export async function markNotificationSent(db: Db, id: number, platformRef: string | undefined, now = new Date()): Promise<boolean> {
  const r = await db.staffNotification.updateMany({
    where: { id, status: NOTIFICATION_STATUS.pending },
    data: { status: NOTIFICATION_STATUS.sent, platformRef: platformRef ?? null, sentAt: now, lastError: null },
  });
  return r.count === 1;
}

/** Counts a failed attempt: the row stays pending until `nextAttemptAt`, or is set aside as failed. */
export async function recordNotificationFailure(db: Db, id: number, args: { error: string; nextAttemptAt: Date; giveUp: boolean }): Promise<void> {
  await db.staffNotification.updateMany({
    where: { id, status: NOTIFICATION_STATUS.pending },
    data: {
      attempts: { increment: 1 }, lastError: args.error.slice(0, 500), nextAttemptAt: args.nextAttemptAt,
      ...(args.giveUp ? { status: NOTIFICATION_STATUS.failed } : {}),
    },
  });
}

/** Pending rows due by `now` (the start-up and periodic recovery re-queue these). */
export async function dueNotifications(db: Db, now: Date, limit = 500) {
  return db.staffNotification.findMany({
    where: { status: NOTIFICATION_STATUS.pending, nextAttemptAt: { lte: now } },
    orderBy: { id: 'asc' }, take: limit, select: { id: true, target: true, conversationId: true, attempts: true, nextAttemptAt: true },
  });
}

/**
 * Takes a due row for one delivery attempt: it stops being due for `leaseMs`, so a second copy of
 * its job (a recovery re-queue) cannot post it at the same time. False when it is not due.
 */
export async function leaseNotification(db: Db, id: number, now: Date, leaseMs: number): Promise<boolean> {
  const r = await db.staffNotification.updateMany({ where: { id, status: NOTIFICATION_STATUS.pending, nextAttemptAt: { lte: now } }, data: { nextAttemptAt: new Date(now.getTime() + leaseMs) } });
  return r.count === 1;
}

/** Counts by target and status (the CLI's `desk outbox` and the desk's health line). */
export async function outboxSummary(db: Db): Promise<{ target: string; status: string; count: number }[]> {
  const rows = await db.staffNotification.groupBy({ by: ['target', 'status'], _count: { _all: true } });
  return rows.map((r) => ({ target: r.target, status: r.status, count: r._count._all })).sort((a, b) => a.target.localeCompare(b.target) || a.status.localeCompare(b.status));
}

/** Failed rows go back to pending (after an outage the operator fixed). */
export async function retryFailedNotifications(db: Db, now = new Date()): Promise<number> {
  const r = await db.staffNotification.updateMany({ where: { status: NOTIFICATION_STATUS.failed }, data: { status: NOTIFICATION_STATUS.pending, attempts: 0, nextAttemptAt: now } });
  return r.count;
}

/** The conversation a target's post belongs to (a Slack thread reply names its parent's ts). */
export async function conversationOfPlatformRef(db: Db, target: string, platformRef: string): Promise<number | undefined> {
  const r = await db.staffNotification.findFirst({ where: { target, platformRef }, select: { conversationId: true } });
  return r?.conversationId ?? undefined;
}

/** Writes one standalone draft set (sweeps); a second write of the same change is ignored. */
export async function writeNotificationsOnce(db: Db, drafts: NotificationDraft[], targetsFor: TargetsFor, now = new Date()): Promise<number[]> {
  const ids: number[] = [];
  for (const row of outboxRowData(drafts, targetsFor, now)) {
    try {
      ids.push((await db.staffNotification.create({ data: row, select: { id: true } })).id);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  return ids;
}
