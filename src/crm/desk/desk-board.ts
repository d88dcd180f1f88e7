import type { Db } from '../../db/database-client.js';
import { isOnline, ONLINE_WINDOW_MS } from '../staff/staff-accounts.js';

export interface StaffBoardEntry {
  id: number;
  name: string;
  role: string;
  online: boolean;
  presence: string;
  /** Conversations this person owns now. */
  load: number;
  cap: number;
}

/** Who is on the desk: presence and how many chats each person has (transfer list, auto-assignment). */
export async function staffBoard(db: Db, now: Date, defaultCap: number): Promise<StaffBoardEntry[]> {
  const [staff, loads] = await Promise.all([
    db.staffMember.findMany({ where: { active: true }, orderBy: { id: 'asc' } }),
    db.conversation.groupBy({ by: ['assigneeId'], where: { mode: 'human', assigneeId: { not: null } }, _count: { _all: true } }),
  ]);
  const load = new Map(loads.map((l) => [l.assigneeId, l._count._all]));
  return staff.map((s) => ({
    id: s.id, name: s.displayName ?? s.name, role: s.role, online: isOnline(s, now), presence: s.presence,
    load: load.get(s.id) ?? 0, cap: s.maxChats ?? defaultCap,
  }));
}

/** The online staff member with the fewest chats below their cap (ties: longest since their last claim), if any. */
export async function pickAgent(db: Db, now: Date, defaultCap: number): Promise<StaffBoardEntry | undefined> {
  const board = (await staffBoard(db, now, defaultCap)).filter((s) => s.online && s.load < s.cap && s.role !== 'admin');
  if (!board.length) return undefined;
  const lastClaims = await db.conversationEvent.groupBy({ by: ['actor'], where: { type: 'claim', at: { gte: new Date(now.getTime() - 86_400_000) } }, _max: { at: true } });
  const last = new Map(lastClaims.map((c) => [c.actor, c._max.at?.getTime() ?? 0]));
  board.sort((a, b) => a.load - b.load || (last.get(`staff:${a.id}`) ?? 0) - (last.get(`staff:${b.id}`) ?? 0) || a.id - b.id);
  return board[0];
}

export interface WaitEstimate {
  agentsOnline: number;
  /** Conversations waiting now (not counting the one asking). */
  queueLength: number;
  /** A typical wait from recent claims, scaled by the queue; null when there is no history yet. */
  expectedWaitMs: number | null;
}

/** An honest estimate for the customer: from the waits of the last 20 claims of the past week. */
export async function estimateWait(db: Db, now: Date): Promise<WaitEstimate> {
  const since = new Date(now.getTime() - 7 * 86_400_000);
  const [online, queueLength, claims] = await Promise.all([
    db.staffMember.count({ where: { active: true, presence: 'online', lastSeenAt: { gte: new Date(now.getTime() - ONLINE_WINDOW_MS) } } }),
    db.conversation.count({ where: { mode: 'waiting' } }),
    db.conversationEvent.findMany({ where: { type: 'claim', fromMode: 'waiting', at: { gte: since } }, orderBy: { id: 'desc' }, take: 20, select: { detail: true } }),
  ]);
  const waits = claims.map((c) => {
    try {
      return Number((JSON.parse(c.detail ?? '{}') as { waitedMs?: number }).waitedMs);
    } catch {
      return NaN;
    }
  }).filter((n) => Number.isFinite(n)).sort((a, b) => a - b);
  const median = waits.length ? waits[Math.floor(waits.length / 2)] : null;
  const perAgent = Math.max(1, online);
  return { agentsOnline: online, queueLength, expectedWaitMs: median === null ? null : Math.round(median * (1 + queueLength / perAgent)) };
}

/** Waiting conversations handed off before `cutoff`, oldest first (reminders, escalations, assignment). */
export async function waitingSince(db: Db, cutoff: Date, limit = 200) {
  return db.conversation.findMany({ where: { mode: 'waiting', waitingSince: { lte: cutoff } }, orderBy: { waitingSince: 'asc' }, take: limit, select: { id: true, waitingSince: true } });
}
