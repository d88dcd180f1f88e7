import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * The web-chat visitor credential: `<visitorId>.<HMAC-SHA256(secret, visitorId) base64url>`.
 * It is a browser's long-lived key to its conversations: kept in an HttpOnly cookie and in the
 * page's localStorage (which, unlike cookies, is bound to the exact origin), sent only in the
 * cookie or the `X-Shopdesk-Visitor` header, never in a URL. Which threads it opens is decided
 * server-side (visitor-sessions.ts), so a rotated or distrusted credential opens nothing.
 */
const VISITOR_ID = /^v_[A-Za-z0-9-]{8,64}$/;

/** Cookie names: `__Host-` over HTTPS (no Domain, Path=/, Secure — another site cannot set it there), plain over HTTP. */
export const VISITOR_COOKIE = 'sd_vid';
export const VISITOR_COOKIE_SECURE = '__Host-sd_vid';

function mac(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * Issues and checks signed visitor ids. The secret is WEBCHAT_SECRET or a per-install secret the
 * composition root persists under DATA_DIR, so visitors keep their history across restarts.
 */
export class VisitorIdentity {
  constructor(private readonly secret: string) {
    if (secret.length < 16) throw new Error('visitor identity secret must be at least 16 characters');
  }

  newVisitor(): { visitorId: string; cookieValue: string } {
    const visitorId = `v_${randomUUID()}`;
    return { visitorId, cookieValue: this.sign(visitorId) };
  }

  sign(visitorId: string): string {
    return `${visitorId}.${mac(this.secret, visitorId)}`;
  }

  /** The visitor id of a credential, or undefined when it is missing, malformed or tampered with. */
  verify(cookieValue: string | undefined): string | undefined {
    if (!cookieValue) return undefined;
    const dot = cookieValue.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const id = cookieValue.slice(0, dot);
    if (!VISITOR_ID.test(id)) return undefined;
    return safeEqual(cookieValue.slice(dot + 1), mac(this.secret, id)) ? id : undefined;
  }
}

/** Every value of one cookie name in a Cookie header, in order (a browser sends one per path). */
export function readCookies(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      values.push(decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      values.push('');
    }
  }
  return values;
}

/** The first value of one cookie, for callers that need no more. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  return readCookies(header, name)[0];
}

/** Every path a cookie sent to `path` may have been set for: "/", "/api", "/api/", … , `path`. */
export function cookiePathsCovering(path: string): string[] {
  const out = ['/'];
  const parts = path.split('/').filter(Boolean);
  let acc = '';
  for (const p of parts) {
    acc += `/${p}`;
    out.push(acc, `${acc}/`);
  }
  return out;
}
