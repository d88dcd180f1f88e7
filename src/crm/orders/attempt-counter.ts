import type { Db } from '../../db/database-client.js';
import { isUniqueViolation } from '../audit-log.js';

/**
 * Atomic "at most N tries per window" counters on the database, for guessable proofs (an order's
 * last 4 phone digits, a one-time code). A try is reserved before the answer is checked, by a
 * conditional update that only succeeds while the count is under the cap — so two workers racing
 * on PostgreSQL can never record more than the cap — and a right answer gives its try back.
 */
export interface AttemptScope {
  key: string;
  cap: number;
  windowMs: number;
}

async function reserveOne(db: Db, s: AttemptScope, now: Date): Promise<boolean> {
  for (let round = 0; round < 3; round++) {
    const inWindow = await db.attemptCounter.updateMany({ where: { key: s.key, windowEnds: { gt: now }, count: { lt: s.cap } }, data: { count: { increment: 1 } } });
    if (inWindow.count === 1) return true;
    // an old window: the first to restart it wins, the others go round again
    const restarted = await db.attemptCounter.updateMany({ where: { key: s.key, windowEnds: { lte: now } }, data: { count: 1, windowEnds: new Date(now.getTime() + s.windowMs) } });
    if (restarted.count === 1) return true;
    const exists = await db.attemptCounter.findUnique({ where: { key: s.key }, select: { count: true } });
    if (exists) {
      if (exists.count >= s.cap) return false;
      continue;
    }
    try {
      await db.attemptCounter.create({ data: { key: s.key, count: 1, windowEnds: new Date(now.getTime() + s.windowMs) } });
      return true;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  return false;
}

async function releaseOne(db: Db, key: string): Promise<void> {
  await db.attemptCounter.updateMany({ where: { key, count: { gt: 0 } }, data: { count: { decrement: 1 } } });
}

/**
 * Reserves one try in every scope, or in none: when a scope is at its cap the tries already
 * taken are given back. Returns the scope that refused, if any.
 */
export async function reserveAttempt(db: Db, scopes: AttemptScope[], now = new Date()): Promise<{ ok: true; release: () => Promise<void> } | { ok: false; refusedBy: string }> {
  const taken: string[] = [];
  for (const s of scopes) {
    if (await reserveOne(db, s, now)) {
      taken.push(s.key);
      continue;
    }
    for (const key of taken) await releaseOne(db, key);
    return { ok: false, refusedBy: s.key };
  }
  return { ok: true, release: async () => { for (const key of taken) await releaseOne(db, key); } };
}
