export { isOnline, ONLINE_WINDOW_MS } from '../crm-constants.js';
import type { Db } from '../../db/database-client.js';
import { AppError } from '../../shared/app-error.js';
import { isUniqueViolation, recordAudit } from '../audit-log.js';
import { STAFF_PRESENCE, STAFF_ROLES, type StaffPresence, type StaffRole } from '../crm-constants.js';

/** A staff member as the desk and the API see them (no secrets). */
export interface StaffView {
  id: number;
  loginName: string | null;
  name: string;
  displayName: string;
  role: StaffRole;
  email: string | null;
  active: boolean;
  presence: StaffPresence;
  lastSeenAt: Date | null;
  maxChats: number | null;
  mustChangePassword: boolean;
  hasPassword: boolean;
}

/** How long after the last sign of life a staff member still counts as online. */

/** Sign-in names are compared in one form: trimmed, NFKC, lower-case. */
export function normaliseLoginName(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

export function validateLoginName(name: string): string {
  const n = normaliseLoginName(name);
  if (!n || n.length > 64 || /[\p{Cc}\s@:/]/u.test(n)) {
    throw new AppError('VALIDATION_FAILED', `"${name}" cannot be a sign-in name: use 1–64 characters without spaces, @, : or /`);
  }
  return n;
}

type StaffRow = NonNullable<Awaited<ReturnType<Db['staffMember']['findUnique']>>>;

export function toStaffView(s: StaffRow): StaffView {
  return {
    id: s.id, loginName: s.loginName, name: s.name, displayName: s.displayName ?? s.name, role: s.role as StaffRole, email: s.email, active: s.active,
    presence: (STAFF_PRESENCE as readonly string[]).includes(s.presence) ? (s.presence as StaffPresence) : 'away',
    lastSeenAt: s.lastSeenAt, maxChats: s.maxChats, mustChangePassword: s.mustChangePassword, hasPassword: Boolean(s.passwordHash),
  };
}

export async function createStaff(db: Db, a: { loginName: string; displayName?: string; role: string; email?: string; passwordHash: string; actor: string }): Promise<StaffView> {
  if (!(STAFF_ROLES as readonly string[]).includes(a.role)) throw new AppError('VALIDATION_FAILED', `Unknown role "${a.role}": use ${STAFF_ROLES.join(', ')}`);
  const loginName = validateLoginName(a.loginName);
  try {
    const s = await db.staffMember.create({
      data: { name: a.loginName.trim(), loginName, displayName: a.displayName?.trim() || null, role: a.role, email: a.email?.trim().toLowerCase() || null, passwordHash: a.passwordHash, mustChangePassword: true },
    });
    await recordAudit(db, { actor: a.actor, action: 'staff.create', entity: 'StaffMember', entityId: s.id, detail: { role: a.role } });
    return toStaffView(s);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', `A staff member called "${a.loginName}" (or with that e-mail) already exists`);
    throw err;
  }
}

/**
 * The staff member a sign-in name (or id) means: the login name first, then an exact display name
 * held by exactly one person (staff seeded without a login name, such as the demo's 王芳).
 */
export async function findStaff(db: Db, nameOrId: string): Promise<StaffRow | undefined> {
  const n = normaliseLoginName(nameOrId);
  const byLogin = await db.staffMember.findUnique({ where: { loginName: n } });
  if (byLogin) return byLogin;
  if (/^\d{1,9}$/.test(n)) {
    const byId = await db.staffMember.findUnique({ where: { id: Number(n) } });
    if (byId) return byId;
  }
  const byName = await db.staffMember.findMany({ where: { OR: [{ name: nameOrId.trim() }, { displayName: nameOrId.trim() }] }, take: 2 });
  return byName.length === 1 ? byName[0] : undefined;
}

export async function requireStaff(db: Db, nameOrId: string): Promise<StaffRow> {
  const s = await findStaff(db, nameOrId);
  if (!s) throw new AppError('NOT_FOUND', `No staff member "${nameOrId}" (see \`shopdesk staff list\`)`);
  return s;
}

export async function getStaff(db: Db, id: number): Promise<StaffRow | undefined> {
  return (await db.staffMember.findUnique({ where: { id } })) ?? undefined;
}

export async function listStaff(db: Db): Promise<StaffView[]> {
  return (await db.staffMember.findMany({ orderBy: { id: 'asc' } })).map(toStaffView);
}

/** Sets a password (hash). `oneTime` makes the next sign-in choose a new one; a login name is given to seeded staff. */
export async function setStaffPassword(db: Db, id: number, passwordHash: string, opts: { oneTime: boolean; actor: string }): Promise<void> {
  const s = await db.staffMember.findUnique({ where: { id } });
  if (!s) throw new AppError('NOT_FOUND', `Staff member ${id} not found`);
  try {
    await db.staffMember.update({ where: { id }, data: { passwordHash, mustChangePassword: opts.oneTime, ...(s.loginName ? {} : { loginName: validateLoginName(s.name) }) } });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', `Another staff member already signs in as "${s.name}"`);
    throw err;
  }
  await recordAudit(db, { actor: opts.actor, action: opts.oneTime ? 'staff.reset_password' : 'staff.change_password', entity: 'StaffMember', entityId: id });
}

export async function setStaffActive(db: Db, id: number, active: boolean, actor: string): Promise<void> {
  await db.$transaction([
    db.staffMember.update({ where: { id }, data: { active, ...(active ? {} : { presence: 'away' }) } }),
    ...(active ? [] : [db.staffSession.updateMany({ where: { staffId: id, revokedAt: null }, data: { revokedAt: new Date() } }), db.staffApiToken.updateMany({ where: { staffId: id, revokedAt: null }, data: { revokedAt: new Date() } })]),
  ]);
  await recordAudit(db, { actor, action: active ? 'staff.activate' : 'staff.deactivate', entity: 'StaffMember', entityId: id });
}

export async function setStaffProfile(db: Db, id: number, p: { displayName?: string | null; maxChats?: number | null; role?: string }, actor: string): Promise<void> {
  if (p.role !== undefined && !(STAFF_ROLES as readonly string[]).includes(p.role)) throw new AppError('VALIDATION_FAILED', `Unknown role "${p.role}"`);
  if (p.maxChats !== undefined && p.maxChats !== null && (!Number.isInteger(p.maxChats) || p.maxChats < 0 || p.maxChats > 100)) throw new AppError('VALIDATION_FAILED', 'maxChats is a whole number from 0 to 100');
  await db.staffMember.update({ where: { id }, data: { ...(p.displayName !== undefined ? { displayName: p.displayName?.trim() || null } : {}), ...(p.maxChats !== undefined ? { maxChats: p.maxChats } : {}), ...(p.role ? { role: p.role } : {}) } });
  await recordAudit(db, { actor, action: 'staff.update', entity: 'StaffMember', entityId: id, detail: { fields: Object.keys(p) } });
}

export async function setPresence(db: Db, id: number, presence: StaffPresence, now = new Date()): Promise<void> {
  await db.staffMember.update({ where: { id }, data: { presence, lastSeenAt: now } });
}

/** A sign of life from an open desk (its socket's heartbeat). */
export async function touchStaff(db: Db, id: number, now = new Date()): Promise<void> {
  await db.staffMember.updateMany({ where: { id }, data: { lastSeenAt: now } });
}


/** Binds a user of a staff tool (Slack user id, Teams id) to a staff member. */
export async function linkStaffIdentity(db: Db, staffId: number, channel: string, externalId: string, actor: string): Promise<void> {
  if (!/^[a-z][a-z0-9_-]{1,30}$/.test(channel)) throw new AppError('VALIDATION_FAILED', `"${channel}" is not a tool name like slack or teams`);
  if (!externalId.trim() || externalId.length > 200) throw new AppError('VALIDATION_FAILED', 'The external id is empty or too long');
  const existing = await db.staffIdentity.findUnique({ where: { channel_externalId: { channel, externalId: externalId.trim() } } });
  if (existing && existing.staffId !== staffId) throw new AppError('CONFLICT', `${channel} user ${externalId} is already linked to staff member ${existing.staffId}`);
  if (!existing) await db.staffIdentity.create({ data: { staffId, channel, externalId: externalId.trim() } });
  await recordAudit(db, { actor, action: 'staff.link', entity: 'StaffMember', entityId: staffId, detail: { channel } });
}

export async function staffByIdentity(db: Db, channel: string, externalId: string): Promise<StaffRow | undefined> {
  const link = await db.staffIdentity.findUnique({ where: { channel_externalId: { channel, externalId } }, include: { staff: true } });
  return link?.staff ?? undefined;
}

export async function staffIdentities(db: Db, staffId: number) {
  return db.staffIdentity.findMany({ where: { staffId }, select: { channel: true, externalId: true } });
}

/**
 * The user ids on a staff tool of the active staff a notification is for: one staff member, or
 * everyone with one of `roles` (a tool that messages people one by one, like the WeCom app).
 */
export async function toolRecipients(db: Db, channel: string, who: { staffId: number } | { roles: readonly string[] }): Promise<string[]> {
  const rows = await db.staffIdentity.findMany({
    where: { channel, staff: 'staffId' in who ? { id: who.staffId, active: true } : { active: true, role: { in: [...who.roles] } } },
    select: { externalId: true }, orderBy: { id: 'asc' },
  });
  return rows.map((r) => r.externalId);
}
