import type { Crm, StaffRole, StaffView } from '../../crm/index.js';
import { toStaffView } from '../../crm/index.js';
import { AppError } from '../../shared/app-error.js';
import { logger } from '../../shared/logger.js';
import { checkNewPassword, hashPassword, randomSecret, secretHash, verifyPassword } from './password-hashing.js';
import type { RateLimiter } from '../../shared/rate-limiter.js';

const log = logger('desk.auth');

/** Who is calling, as every staff-facing endpoint sees it (design.md, contract 6). */
export interface StaffPrincipal {
  staffId: number;
  name: string;
  role: StaffRole;
  /** The staff tool acting for them (slack, teams), carried into notifications; absent for /desk and the CLI. */
  via?: string;
}

export interface DeskSession {
  id: number;
  csrfToken: string;
  expiresAt: Date;
  mustChangePassword: boolean;
}

export type AuthResult =
  | { ok: true; principal: StaffPrincipal; via: 'session'; session: DeskSession }
  | { ok: true; principal: StaffPrincipal; via: 'token'; tokenId: number }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired' | 'revoked' | 'inactive' };

export type LoginResult =
  | { ok: true; cookieValue: string; session: DeskSession; staff: StaffView }
  | { ok: false; code: 'RATE_LIMITED'; retryAfterMs: number }
  | { ok: false; code: 'INVALID' | 'INACTIVE' };

/** Sign-in attempts per address, and failed ones per name, in 15 minutes. */
export const LOGIN_RULES = { perAddress: { points: 30, perMs: 15 * 60_000 }, failuresPerName: { points: 5, perMs: 15 * 60_000 } };
export const API_TOKEN_PREFIX = 'sdk_';
const TOUCH_EVERY_MS = 60_000;

export const principalOf = (s: { id: number; name: string; displayName: string | null; role: string }): StaffPrincipal => ({ staffId: s.id, name: s.displayName ?? s.name, role: s.role as StaffRole });

/**
 * Desk sign-in and the two ways staff prove who they are: the `sd_desk` session cookie (browsers,
 * with a CSRF token per session) and `Authorization: Bearer sdk_…` API tokens (scripts, the CLI,
 * the managers' REST endpoint). Secrets are stored only as SHA-256 hashes.
 */
export class StaffAuth {
  constructor(private readonly deps: { crm: Crm; limiter: RateLimiter; sessionHours: number; now?: () => Date }) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async login(loginName: string, password: string, address: string): Promise<LoginResult> {
    const nameKey = `desk-login:name:${loginName.normalize('NFKC').trim().toLowerCase()}`;
    const byAddress = await this.deps.limiter.consume(`desk-login:addr:${address}`, LOGIN_RULES.perAddress);
    const byName = await this.deps.limiter.consume(nameKey, LOGIN_RULES.failuresPerName, 0);
    if (!byAddress.allowed || byName.remaining === 0) {
      log.warn({ address }, 'desk sign-in rate-limited');
      return { ok: false, code: 'RATE_LIMITED', retryAfterMs: Math.max(byAddress.retryAfterMs, byName.retryAfterMs, 1000) };
    }
    const staff = loginName.trim() ? await this.deps.crm.staff.find(loginName) : undefined;
    const good = await verifyPassword(password, staff?.passwordHash ?? null);
    if (!staff || !good) {
      await this.deps.limiter.consume(nameKey, LOGIN_RULES.failuresPerName);
      await this.deps.crm.audit({ actor: staff ? `staff:${staff.id}` : 'anonymous', action: 'desk.login_failed', entity: 'StaffMember', entityId: staff?.id ?? '-' });
      return { ok: false, code: 'INVALID' };
    }
    if (!staff.active) return { ok: false, code: 'INACTIVE' };
    const secret = randomSecret();
    const csrfToken = randomSecret(24);
    const expiresAt = new Date(this.now().getTime() + this.deps.sessionHours * 3600_000);
    const created = await this.deps.crm.staff.sessions.create({ staffId: staff.id, tokenHash: secretHash(secret), csrfToken, expiresAt, now: this.now() });
    await this.deps.crm.staff.setPresence(staff.id, 'online', this.now());
    await this.deps.crm.audit({ actor: `staff:${staff.id}`, action: 'desk.login', entity: 'StaffMember', entityId: staff.id });
    return { ok: true, cookieValue: secret, session: { id: created.id, csrfToken, expiresAt, mustChangePassword: staff.mustChangePassword }, staff: toStaffView(staff) };
  }

  async fromCookie(value: string | undefined): Promise<AuthResult> {
    if (!value) return { ok: false, reason: 'missing' };
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(value)) return { ok: false, reason: 'invalid' };
    const s = await this.deps.crm.staff.sessions.byTokenHash(secretHash(value));
    if (!s) return { ok: false, reason: 'invalid' };
    // the most useful reason first: a deactivated account is also signed out
    if (!s.staff.active) return { ok: false, reason: 'inactive' };
    if (s.revokedAt) return { ok: false, reason: 'revoked' };
    const now = this.now();
    if (s.expiresAt <= now) return { ok: false, reason: 'expired' };
    if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) await this.deps.crm.staff.sessions.touch(s.id, now);
    return { ok: true, via: 'session', principal: principalOf(s.staff), session: { id: s.id, csrfToken: s.csrfToken, expiresAt: s.expiresAt, mustChangePassword: s.staff.mustChangePassword } };
  }

  async fromBearer(token: string): Promise<AuthResult> {
    if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return { ok: false, reason: 'invalid' };
    const t = await this.deps.crm.staff.tokens.byHash(secretHash(token));
    if (!t) return { ok: false, reason: 'invalid' };
    if (!t.staff.active) return { ok: false, reason: 'inactive' };
    if (t.revokedAt) return { ok: false, reason: 'revoked' };
    const now = this.now();
    if (!t.lastUsedAt || now.getTime() - t.lastUsedAt.getTime() > TOUCH_EVERY_MS) await this.deps.crm.staff.tokens.touch(t.id, now);
    return { ok: true, via: 'token', principal: principalOf(t.staff), tokenId: t.id };
  }

  async logout(sessionId: number, staffId: number): Promise<void> {
    await this.deps.crm.staff.sessions.revoke(sessionId);
    await this.deps.crm.staff.setPresence(staffId, 'away', this.now());
    await this.deps.crm.audit({ actor: `staff:${staffId}`, action: 'desk.logout', entity: 'StaffMember', entityId: staffId });
  }

  /** Changes one's own password; the current one must be right. Other sessions are signed out. */
  async changePassword(staffId: number, current: string, next: string, keepSessionId?: number): Promise<void> {
    const staff = await this.deps.crm.staff.get(staffId);
    if (!staff) throw new AppError('NOT_FOUND', 'Staff member not found');
    if (!(await verifyPassword(current, staff.passwordHash))) throw new AppError('FORBIDDEN', 'wrong current password', { userMessage: 'The current password is wrong / 当前密码不正确' });
    checkNewPassword(next, staff.loginName);
    if (current === next) throw new AppError('VALIDATION_FAILED', 'same password', { userMessage: 'Choose a password different from the one-time password / 请设置一个新密码' });
    await this.deps.crm.staff.setPassword(staffId, await hashPassword(next), { oneTime: false, actor: `staff:${staffId}` });
    // every other session signs out; the one that made the change stays
    await this.deps.crm.staff.sessions.revokeAll(staffId, `staff:${staffId}`, keepSessionId);
  }

  /** A new API token for a staff member; the token is shown once. */
  async createApiToken(staffId: number, label: string, actor: string): Promise<string> {
    const token = `${API_TOKEN_PREFIX}${randomSecret()}`;
    await this.deps.crm.staff.tokens.create({ staffId, label, tokenHash: secretHash(token), prefix: token.slice(0, 10), actor });
    return token;
  }
}
