import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { InboundSender } from '../../shared/message-types.js';

/**
 * The token a shop's server signs to tell the web chat who a logged-in customer is
 * (docs/architecture.md, "Identity trust model"; README, "Signing in your customers").
 *
 * `sub` is the identity. Contact claims are facts about `sub` that link it to an existing
 * customer only when the token marks them verified, with the OpenID Connect names:
 * `email` + `email_verified: true`, `phone_number` + `phone_number_verified: true`
 * (`phone` / `phone_verified` are accepted as the same claims).
 */
export const CustomerTokenPayload = z.object({
  sub: z.string().trim().min(1).max(200),
  name: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
  email_verified: z.boolean().optional(),
  phone_number: z.string().max(40).optional(),
  phone_number_verified: z.boolean().optional(),
  phone: z.string().max(40).optional(),
  phone_verified: z.boolean().optional(),
  /** Seconds since the epoch; required, and at most the configured maximum lifetime away. */
  exp: z.number().int().positive(),
  /** Issued at (seconds), optional; a token issued in the future is refused. */
  iat: z.number().int().positive().optional(),
});
export type CustomerTokenPayload = z.infer<typeof CustomerTokenPayload>;

export type CustomerTokenRejection = 'malformed' | 'bad_signature' | 'expired' | 'lifetime_too_long' | 'not_yet_valid';

/** What a valid token tells us, split into the facts we may trust and those merely asserted. */
export interface SignedInCustomer {
  sub: string;
  displayName?: string;
  /** Goes to `InboundSender.verified`: the subject, and contacts the shop marked verified. */
  verified: NonNullable<InboundSender['verified']>;
  /** Contacts the token carries without a verified flag: recorded, never used to link. */
  asserted?: NonNullable<InboundSender['asserted']>;
  /** When the token stops being valid (ms since the epoch). */
  expiresAt: number;
}

export type CustomerTokenResult = { ok: true; customer: SignedInCustomer } | { ok: false; reason: CustomerTokenRejection };

/** Clock skew tolerated on `iat` and on the lifetime bound. */
const SKEW_S = 60;
/** Default upper bound on `exp - now` (CUSTOMER_TOKEN_MAX_TTL_SECONDS). */
export const DEFAULT_MAX_TOKEN_TTL_S = 24 * 3600;

function mac(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** For shops (and tests): `base64url(JSON payload) + '.' + base64url(HMAC-SHA256(secret, firstPart))`. */
export function signCustomerToken(payload: CustomerTokenPayload, secret: string): string {
  const part = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${part}.${mac(secret, part)}`;
}

/**
 * Checks the signature (constant time) before reading anything, then the lifetime: expired,
 * issued in the future, or valid for longer than `maxTtlS` from now are all refused.
 */
export function verifyCustomerToken(token: string, secret: string, now: Date = new Date(), maxTtlS = DEFAULT_MAX_TOKEN_TTL_S): CustomerTokenResult {
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
  const p = parsed.data;
  const nowS = Math.floor(now.getTime() / 1000);
  if (p.exp <= nowS) return { ok: false, reason: 'expired' };
  if (p.exp - nowS > maxTtlS + SKEW_S) return { ok: false, reason: 'lifetime_too_long' };
  if (p.iat !== undefined && p.iat > nowS + SKEW_S) return { ok: false, reason: 'not_yet_valid' };
  return { ok: true, customer: toSignedIn(p) };
}

function toSignedIn(p: CustomerTokenPayload): SignedInCustomer {
  const phone = p.phone_number ?? p.phone;
  const phoneVerified = (p.phone_number_verified ?? p.phone_verified) === true;
  const verified: SignedInCustomer['verified'] = { customerRef: p.sub };
  const asserted: NonNullable<SignedInCustomer['asserted']> = {};
  if (p.email) {
    if (p.email_verified === true) verified.email = p.email;
    else asserted.email = p.email;
  }
  if (phone) {
    if (phoneVerified) verified.phone = phone;
    else asserted.phone = phone;
  }
  const out: SignedInCustomer = { sub: p.sub, verified, expiresAt: p.exp * 1000 };
  if (p.name) out.displayName = p.name;
  if (asserted.email || asserted.phone) out.asserted = asserted;
  return out;
}
