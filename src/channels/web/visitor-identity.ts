import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** The web-chat visitor cookie: `<visitorId>.<HMAC-SHA256(secret, visitorId) base64url>`. */
export const VISITOR_COOKIE = 'sd_vid';
const VISITOR_ID = /^v_[A-Za-z0-9-]{8,64}$/;

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

  /** The visitor id of a cookie value, or undefined when it is missing, malformed or tampered with. */
  verify(cookieValue: string | undefined): string | undefined {
    if (!cookieValue) return undefined;
    const dot = cookieValue.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const id = cookieValue.slice(0, dot);
    if (!VISITOR_ID.test(id)) return undefined;
    return safeEqual(cookieValue.slice(dot + 1), mac(this.secret, id)) ? id : undefined;
  }
}

/** Reads one cookie from a Cookie header (no dependency on cookie-parser). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** What a shop signs to tell us who a logged-in customer is. `exp` is seconds since the epoch. */
export const CustomerTokenPayload = z.object({
  sub: z.string().min(1).max(200),
  phone: z.string().max(40).optional(),
  email: z.string().max(320).optional(),
  name: z.string().max(200).optional(),
  exp: z.number().int().positive(),
});
export type CustomerTokenPayload = z.infer<typeof CustomerTokenPayload>;

export type CustomerTokenResult =
  | { ok: true; customer: CustomerTokenPayload }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** For shops (and tests): `base64url(JSON payload) + '.' + base64url(HMAC-SHA256(secret, payloadPart))`. */
export function signCustomerToken(payload: CustomerTokenPayload, secret: string): string {
  const part = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${part}.${mac(secret, part)}`;
}

/** Checks the signature (constant time) before reading anything, then the expiry. */
export function verifyCustomerToken(token: string, secret: string, now: Date = new Date()): CustomerTokenResult {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
  const [part, sig] = parts;
  if (!safeEqual(sig, mac(secret, part))) return { ok: false, reason: 'bad_signature' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = CustomerTokenPayload.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  if (parsed.data.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, customer: parsed.data };
}
