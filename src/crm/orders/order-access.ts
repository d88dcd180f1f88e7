import type { Db } from '../../db/database-client.js';
import { recordAudit } from '../audit-log.js';
import { survivingCustomerId } from '../customers/identity-service.js';
import { reserveAttempt, type AttemptScope } from './attempt-counter.js';
import { getOrderByNumber, type OrderView } from './order-service.js';

/** Wrong "last 4 digits" answers allowed per hour: per order (from anyone), per conversation (one visitor), per client address. */
export const LAST4_LIMITS = { perOrder: 5, perConversation: 5, perClient: 20, windowMs: 60 * 60_000 } as const;
/** How long a proof made in a conversation keeps an order open there. */
export const PROOF_TTL_MS = 24 * 60 * 60_000;

/**
 * How the asker may see an order: as its owner (the customer it belongs to), as someone who
 * proved a one-time code sent to the owner (acts as the owner in this conversation), or as a
 * guest who proved the phone's last 4 digits (sees its status only; asks to change it become
 * tickets flagged "unverified requester").
 */
export type OrderAccessVia = 'owner' | 'otp' | 'phone_last4';

export type OrderAccess =
  | { allowed: true; order: OrderView; via: OrderAccessVia }
  | { allowed: false; reason: 'not_found' | 'not_owner' | 'verification_failed' | 'too_many_attempts' };

export interface AccessProof {
  phoneLast4?: string;
  /** The conversation asking: proofs made in it count, and new ones are stored on it. */
  conversationId?: number;
  /** Keyed hash of the asker's network address (InboundMessage.clientKey). */
  clientKey?: string;
  /**
   * The asker reached `customerId` only through an asserted identity (an e-mail `From:`) that
   * this conversation has not proved: they are a guest here, never the owner.
   */
  assertedOnly?: boolean;
  now?: Date;
}

const normalise = (n: string) => n.trim().toUpperCase();

async function provenIn(db: Db, conversationId: number, orderNumber: string, now: Date): Promise<OrderAccessVia | undefined> {
  const proofs = await db.conversationProof.findMany({ where: { conversationId, subject: orderNumber, expiresAt: { gt: now } }, select: { kind: true } });
  if (proofs.some((p) => p.kind === 'order_otp')) return 'otp';
  if (proofs.some((p) => p.kind === 'order_last4')) return 'phone_last4';
  return undefined;
}

/** Stores a proof on the conversation (design contract 5): it holds for PROOF_TTL_MS there, whatever cookie comes next. */
export async function recordProof(db: Db, conversationId: number, kind: 'order_last4' | 'order_otp', orderNumber: string, now = new Date()): Promise<void> {
  const expiresAt = new Date(now.getTime() + PROOF_TTL_MS);
  await db.conversationProof.upsert({
    where: { conversationId_kind_subject: { conversationId, kind, subject: normalise(orderNumber) } },
    create: { conversationId, kind, subject: normalise(orderNumber), expiresAt },
    update: { expiresAt },
  });
}

/**
 * The one check everything customer-facing uses before showing an order. `not_found` and
 * `not_owner` must be presented to the customer identically, and guesses are counted by the
 * order number as typed, whether such an order exists or not, so nothing tells a stranger which
 * numbers are real. A guess is counted before it is checked (atomic on every provider) in three
 * scopes; a right answer gives its try back, so only wrong ones count.
 */
export async function checkOrderAccess(db: Db, customerId: number, orderNumber: string, proof: AccessProof = {}): Promise<OrderAccess> {
  const now = proof.now ?? new Date();
  const number = normalise(orderNumber);
  const order = await getOrderByNumber(db, number);
  const asker = await survivingCustomerId(db, customerId);
  if (order && !proof.assertedOnly && (await survivingCustomerId(db, order.customerId)) === asker) return { allowed: true, order, via: 'owner' };
  if (order && proof.conversationId !== undefined) {
    const via = await provenIn(db, proof.conversationId, number, now);
    if (via) return { allowed: true, order, via };
  }
  if (!proof.phoneLast4 || !/^\d{4}$/.test(proof.phoneLast4)) return { allowed: false, reason: order ? 'not_owner' : 'not_found' };

  const scopes: AttemptScope[] = [{ key: `last4:order:${number}`, cap: LAST4_LIMITS.perOrder, windowMs: LAST4_LIMITS.windowMs }];
  if (proof.conversationId !== undefined) scopes.push({ key: `last4:conv:${proof.conversationId}`, cap: LAST4_LIMITS.perConversation, windowMs: LAST4_LIMITS.windowMs });
  if (proof.clientKey) scopes.push({ key: `last4:client:${proof.clientKey}`, cap: LAST4_LIMITS.perClient, windowMs: LAST4_LIMITS.windowMs });
  const attempt = await reserveAttempt(db, scopes, now);
  if (!attempt.ok) return { allowed: false, reason: 'too_many_attempts' };
  if (order) {
    const row = await db.order.findUnique({ where: { id: order.id }, select: { shipPhone: true, customer: { select: { phone: true } } } });
    const phones = [row?.shipPhone, row?.customer.phone].filter((p): p is string => Boolean(p)).map((p) => p.replace(/\D/g, ''));
    if (phones.some((p) => p.endsWith(proof.phoneLast4!))) {
      await attempt.release();
      if (proof.conversationId !== undefined) await recordProof(db, proof.conversationId, 'order_last4', number, now);
      return { allowed: true, order, via: 'phone_last4' };
    }
  }
  await recordAudit(db, { actor: `customer:${asker}`, action: 'order.verify_failed', entity: 'Order', entityId: number });
  return { allowed: false, reason: 'verification_failed' };
}
