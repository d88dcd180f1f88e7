import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { StaffRole } from '../../crm/index.js';
import { AppError } from '../../shared/app-error.js';
import { safeEqual } from './password-hashing.js';
import type { AuthResult, StaffAuth, StaffPrincipal } from './staff-auth.js';

/** The desk's session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS). */
export const DESK_COOKIE = 'sd_desk';
export const CSRF_HEADER = 'x-csrf-token';

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * A browser request's Origin must be this server (or PUBLIC_URL): a page on another site — or
 * another port or a sibling subdomain, which SameSite does not separate — cannot act as staff.
 * Requests without Origin come from non-browser clients, which carry no ambient cookie.
 */
export function originAllowed(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

const UNAUTHORISED: Record<Exclude<AuthResult, { ok: true }>['reason'], string> = {
  missing: 'Please sign in to the staff desk',
  invalid: 'Please sign in to the staff desk',
  expired: 'Your session has expired; please sign in again',
  revoked: 'You were signed out (by an admin, or a password change); please sign in again',
  inactive: 'This staff account is deactivated; ask an admin',
};

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface StaffAuthOptions {
  /** Only these roles may pass (default: every role). */
  roles?: readonly StaffRole[];
  /** Let a session through that must still replace its one-time password (the password route). */
  allowPasswordChange?: boolean;
  allowedOrigins?: readonly string[];
}

/** Authenticates one request: bearer token if given, else the session cookie. */
export async function authenticateRequest(auth: StaffAuth, req: IncomingMessage): Promise<AuthResult> {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? auth.fromBearer(m[1]) : { ok: false, reason: 'invalid' };
  }
  return auth.fromCookie(readCookie(req.headers.cookie, DESK_COOKIE));
}

/**
 * The one express middleware for staff endpoints (design.md, contract 6): a desk session (with a
 * CSRF token on every state-changing request) or a staff bearer token. On success
 * `res.locals.staff` is `{ staffId, name, role }` — read it with `staffOf(res)`.
 */
export function staffAuthMiddleware(auth: StaffAuth, opts: StaffAuthOptions = {}): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    authenticateRequest(auth, req).then((r) => {
      if (!r.ok) return next(new AppError('UNAUTHORIZED', `staff authentication failed: ${r.reason}`, { userMessage: UNAUTHORISED[r.reason] }));
      if (r.via === 'session' && STATE_CHANGING.has(req.method)) {
        if (!originAllowed(req, opts.allowedOrigins ?? [])) return next(new AppError('FORBIDDEN', 'cross-origin staff request', { userMessage: 'This request came from another site and was refused' }));
        const token = req.headers[CSRF_HEADER];
        if (typeof token !== 'string' || !safeEqual(token, r.session.csrfToken)) {
          return next(new AppError('FORBIDDEN', 'missing or wrong CSRF token', { userMessage: 'The request was missing its security token; reload the page and try again' }));
        }
      }
      if (r.via === 'session' && r.session.mustChangePassword && !opts.allowPasswordChange) {
        return next(new AppError('FORBIDDEN', 'password change required', { userMessage: 'Choose your own password first / 请先设置新密码' }));
      }
      if (opts.roles && !opts.roles.includes(r.principal.role)) {
        return next(new AppError('FORBIDDEN', `role ${r.principal.role} may not do this`, { userMessage: `Only ${opts.roles.join(' or ')} staff may do this` }));
      }
      res.locals.staff = r.principal;
      res.locals.staffAuth = r;
      next();
    }, next);
  };
}

export function staffOf(res: Response): StaffPrincipal {
  const s = res.locals.staff as StaffPrincipal | undefined;
  if (!s) throw new AppError('UNAUTHORIZED', 'no staff on this request (middleware missing)');
  return s;
}

export function sessionOf(res: Response): Extract<AuthResult, { via: 'session' }> | undefined {
  const a = res.locals.staffAuth as AuthResult | undefined;
  return a?.ok && a.via === 'session' ? a : undefined;
}
