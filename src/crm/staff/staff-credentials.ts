import type { Db } from '../../db/database-client.js';
import { recordAudit } from '../audit-log.js';

/**
 * Desk sessions and API tokens, stored by the SHA-256 of their secret only: a copy of the database
 * lets nobody sign in. Hashing and secret generation live with the desk (src/desk/auth/).
 */
export async function createSession(db: Db, a: { staffId: number; tokenHash: string; csrfToken: string; expiresAt: Date; now?: Date }) {
  const now = a.now ?? new Date();
  return db.staffSession.create({ data: { staffId: a.staffId, tokenHash: a.tokenHash, csrfToken: a.csrfToken, expiresAt: a.expiresAt, createdAt: now, lastSeenAt: now }, select: { id: true } });
}

/** The session and its staff member, whatever its state (the caller tells expired from revoked). */
export async function sessionByTokenHash(db: Db, tokenHash: string) {
  return db.staffSession.findUnique({ where: { tokenHash }, include: { staff: true } });
}

export async function touchSession(db: Db, id: number, now = new Date()): Promise<void> {
  await db.staffSession.updateMany({ where: { id }, data: { lastSeenAt: now } });
}

export async function revokeSession(db: Db, id: number): Promise<void> {
  await db.staffSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
}

export async function revokeAllSessions(db: Db, staffId: number, actor: string, exceptSessionId?: number): Promise<number> {
  const r = await db.staffSession.updateMany({ where: { staffId, revokedAt: null, ...(exceptSessionId !== undefined ? { id: { not: exceptSessionId } } : {}) }, data: { revokedAt: new Date() } });
  await recordAudit(db, { actor, action: 'staff.revoke_sessions', entity: 'StaffMember', entityId: staffId, detail: { sessions: r.count } });
  return r.count;
}

export async function createApiToken(db: Db, a: { staffId: number; label: string; tokenHash: string; prefix: string; actor: string }) {
  const t = await db.staffApiToken.create({ data: { staffId: a.staffId, label: a.label.slice(0, 100), tokenHash: a.tokenHash, prefix: a.prefix }, select: { id: true } });
  await recordAudit(db, { actor: a.actor, action: 'staff.create_token', entity: 'StaffMember', entityId: a.staffId, detail: { tokenId: t.id } });
  return t;
}

export async function apiTokenByHash(db: Db, tokenHash: string) {
  return db.staffApiToken.findUnique({ where: { tokenHash }, include: { staff: true } });
}

export async function touchApiToken(db: Db, id: number, now = new Date()): Promise<void> {
  await db.staffApiToken.updateMany({ where: { id }, data: { lastUsedAt: now } });
}

export async function listApiTokens(db: Db, staffId: number) {
  return db.staffApiToken.findMany({ where: { staffId }, orderBy: { id: 'asc' }, select: { id: true, label: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } });
}

export async function revokeApiTokens(db: Db, staffId: number, actor: string): Promise<number> {
  const r = await db.staffApiToken.updateMany({ where: { staffId, revokedAt: null }, data: { revokedAt: new Date() } });
  await recordAudit(db, { actor, action: 'staff.revoke_tokens', entity: 'StaffMember', entityId: staffId, detail: { tokens: r.count } });
  return r.count;
}
