import { createHash, randomInt } from 'node:crypto';
import { sameHexDigest } from '../../shared/constant-time.js';
import type { Db } from '../../db/database-client.js';
import { reserveAttempt } from './attempt-counter.js';
import { recordProof } from './order-access.js';

/** A code lives 10 minutes and takes 5 tries; an order gets at most 3 codes an hour, a conversation 5. */
export const OTP_TTL_MS = 10 * 60_000;
export const OTP_MAX_TRIES = 5;
const ISSUE = { perOrder: 3, perConversation: 5, windowMs: 60 * 60_000 } as const;

export type ContactKind = 'email' | 'sms';

export type IssuedCode =
  | { ok: true; code: string; to: { kind: 'email'; address: string } | { kind: 'sms'; phone: string }; ttlMinutes: number }
  | { ok: false; reason: 'no_contact' | 'too_many_codes' };

const hash = (conversationId: number, subject: string, code: string) => createHash('sha256').update(`${conversationId}:${subject}:${code}`).digest('hex');

/**
 * Makes a one-time code for acting on an order from a conversation where the asker is not its
 * signed-in owner. The code goes to the contact of the customer the order belongs to (their
 * e-mail or phone, whichever a configured sender can reach), never to anything the asker typed.
 * Only a hash is stored. Codes are counted by order number whether the order exists or not.
 */
export async function issueOrderCode(db: Db, args: { conversationId: number; orderNumber: string; kinds: readonly ContactKind[]; now?: Date }): Promise<IssuedCode> {
  const now = args.now ?? new Date();
  const subject = args.orderNumber.trim().toUpperCase();
  const budget = await reserveAttempt(db, [
    { key: `otp:order:${subject}`, cap: ISSUE.perOrder, windowMs: ISSUE.windowMs },
    { key: `otp:conv:${args.conversationId}`, cap: ISSUE.perConversation, windowMs: ISSUE.windowMs },
  ], now);
  if (!budget.ok) return { ok: false, reason: 'too_many_codes' };
  const order = await db.order.findUnique({ where: { orderNumber: subject }, select: { customer: { select: { email: true, phone: true } } } });
  let to: Extract<IssuedCode, { ok: true }>['to'] | undefined;
  for (const kind of args.kinds) {
    if (kind === 'email' && order?.customer.email) to = { kind: 'email', address: order.customer.email };
    if (kind === 'sms' && order?.customer.phone) to = { kind: 'sms', phone: order.customer.phone };
    if (to) break;
  }
  if (!to) return { ok: false, reason: 'no_contact' };
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  // a new code replaces any earlier one of this conversation for this order
  await db.oneTimeCode.updateMany({ where: { conversationId: args.conversationId, subject, usedAt: null }, data: { usedAt: now } });
  await db.oneTimeCode.create({ data: { conversationId: args.conversationId, subject, codeHash: hash(args.conversationId, subject, code), channel: to.kind, expiresAt: new Date(now.getTime() + OTP_TTL_MS) } });
  return { ok: true, code, to, ttlMinutes: OTP_TTL_MS / 60_000 };
}

/**
 * Checks a code typed in the conversation. A try is counted (atomically) before the comparison;
 * the right code is used up and leaves an `order_otp` proof on the conversation.
 */
export async function verifyOrderCode(db: Db, args: { conversationId: number; orderNumber: string; code: string; now?: Date }): Promise<'ok' | 'wrong' | 'no_code'> {
  const now = args.now ?? new Date();
  const subject = args.orderNumber.trim().toUpperCase();
  const live = await db.oneTimeCode.findFirst({ where: { conversationId: args.conversationId, subject, usedAt: null, expiresAt: { gt: now } }, orderBy: { id: 'desc' } });
  if (!live) return 'no_code';
  const counted = await db.oneTimeCode.updateMany({ where: { id: live.id, usedAt: null, attempts: { lt: OTP_MAX_TRIES } }, data: { attempts: { increment: 1 } } });
  if (counted.count === 0) return 'no_code';
  if (!sameHexDigest(live.codeHash, hash(args.conversationId, subject, args.code.trim()))) {
    if (live.attempts + 1 >= OTP_MAX_TRIES) await db.oneTimeCode.updateMany({ where: { id: live.id, usedAt: null }, data: { usedAt: now } });
    return 'wrong';
  }
  const used = await db.oneTimeCode.updateMany({ where: { id: live.id, usedAt: null }, data: { usedAt: now } });
  if (used.count === 0) return 'no_code';
  await recordProof(db, args.conversationId, 'order_otp', subject, now);
  return 'ok';
}
