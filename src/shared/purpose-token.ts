import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived, purpose-bound tokens: `base64url(JSON{p, exp, ...claims}).base64url(HMAC)`. The
 * purpose is inside the signed part, so a token made to open a socket cannot be used to read a
 * file, and the expiry is checked on every use. Used for web chat socket and upload tickets
 * and for media URLs. The secret is a derived key of its own per use (`deriveKey`), never the
 * visitor-cookie secret itself.
 */
export type PurposeClaims = Record<string, string | number | boolean | null | undefined | Record<string, string | undefined>>;

function mac(key: string, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}

/** A key for one use, derived from a master secret (so one leaked use cannot forge another). */
export function deriveKey(secret: string, use: string): string {
  return createHmac('sha256', secret).update(`shopdesk:${use}`).digest('base64url');
}

export function issuePurposeToken(key: string, purpose: string, claims: PurposeClaims, ttlMs: number, now = Date.now()): string {
  const body = Buffer.from(JSON.stringify({ ...claims, p: purpose, exp: now + ttlMs })).toString('base64url');
  return `${body}.${mac(key, body)}`;
}

/** The claims of a token made for `purpose` that has not expired; undefined for anything else. */
export function verifyPurposeToken(key: string, purpose: string, token: string | undefined | null, now = Date.now()): (PurposeClaims & { exp: number }) | undefined {
  if (!token || token.length > 4096) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return undefined;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(key, body));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const c = claims as PurposeClaims & { p?: unknown; exp?: unknown };
  if (c.p !== purpose || typeof c.exp !== 'number' || c.exp <= now) return undefined;
  return c as PurposeClaims & { exp: number };
}
