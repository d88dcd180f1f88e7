import type { Db } from '../../db/database-client.js';
import { isUniqueViolation } from '../audit-log.js';

/**
 * The web chat's browser state on the database (the store behind src/channels/web/visitor-sessions.ts):
 * visitor credentials with the browser they belong to, and each browser's threads. Every write is
 * safe to race: creation is insert-or-read on unique keys, binding is a conditional update.
 */
export function createWebVisitorStore(db: Db) {
  return {
    async visitor(visitorId: string): Promise<{ browserId: string; revoked: boolean } | undefined> {
      const v = await db.webVisitor.findUnique({ where: { id: visitorId } });
      return v ? { browserId: v.browserId, revoked: v.revokedAt !== null } : undefined;
    },
    async addVisitor(visitorId: string, browserId: string): Promise<void> {
      try {
        await db.webVisitor.create({ data: { id: visitorId, browserId } });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    },
    async revokeVisitor(visitorId: string): Promise<void> {
      await db.webVisitor.updateMany({ where: { id: visitorId, revokedAt: null }, data: { revokedAt: new Date() } });
    },
    async thread(browserId: string, customerRef: string): Promise<string | undefined> {
      const t = await db.webThread.findUnique({ where: { browserId_customerRef: { browserId, customerRef } } });
      return t?.threadId;
    },
    async createThread(browserId: string, customerRef: string, threadId: string): Promise<string | undefined> {
      try {
        await db.webThread.create({ data: { threadId, browserId, customerRef } });
        return threadId;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // either this browser already has that thread (a concurrent request made it) or the id is taken
        const t = await db.webThread.findUnique({ where: { browserId_customerRef: { browserId, customerRef } } });
        return t?.threadId;
      }
    },
    async bindGuestThread(browserId: string, customerRef: string): Promise<string | undefined> {
      const guest = await db.webThread.findUnique({ where: { browserId_customerRef: { browserId, customerRef: '' } } });
      if (!guest) return undefined;
      try {
        const r = await db.webThread.updateMany({ where: { threadId: guest.threadId, customerRef: '' }, data: { customerRef } });
        return r.count === 1 ? guest.threadId : undefined;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        return undefined;
      }
    },
  };
}
