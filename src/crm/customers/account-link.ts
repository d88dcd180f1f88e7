import { createHash, randomInt } from 'node:crypto';
import { sameHexDigest } from '../../shared/constant-time.js';
import type { Db } from '../../db/database-client.js';
import { recordAudit } from '../audit-log.js';
import { reserveAttempt, type AttemptScope } from '../orders/attempt-counter.js';
import { PROOF_TTL_MS } from '../orders/order-access.js';
import { normaliseEmail, normalisePhone } from './contact-normaliser.js';
import { mergeCustomers } from './customer-merge.js';
import { isGuestCustomer, survivingCustomerId } from './identity-service.js';

/**
 * Linking a sender to the customer whose phone or e-mail they can read (issue 10 items 2 and 7):
 * a 6-digit code goes to the contact ON FILE (a verified `email`/`phone` identity), never to
 * anything typed that is not on file, and typing it back in the conversation links the sender.
 * A code lives 10 minutes, takes 5 tries, is used once and stored only as a hash. Codes are
 * counted per typed contact whether it is on file or not, per sender, per conversation and per
 * network client, so neither the answers nor the limits tell anyone which contacts exist.
 */
export const LINK_CODE_TTL_MS = 10 * 60_000;
export const LINK_CODE_MAX_TRIES = 5;
export const LINK_LIMITS = { perContact: 3, perSender: 5, perConversation: 5, perClient: 20, windowMs: 60 * 60_000 } as const;
/** The proof a code leaves on the conversation: the sender acts as this customer there. */
export const IDENTITY_PROOF = 'identity_otp';
const SUBJECT = 'link:';

export type LinkContact = { kind: 'email'; address: string } | { kind: 'sms'; phone: string };

export type IssuedLinkCode =
  | { status: 'sent'; code: string; to: LinkContact; ttlMinutes: number }
  /** Answer it exactly like `sent`: nothing was sent, and the asker must not learn that. */
  | { status: 'not_on_file' }
  | { status: 'too_many_codes' }
  | { status: 'invalid_contact' };

export type LinkResult =
  | { status: 'linked'; customerId: number; merged: boolean }
  | { status: 'wrong'; triesLeft: number }
  /** No live code: none asked for, expired, used, or out of tries. */
  | { status: 'no_code' }
  /** Right code, but the sender's own record has verified facts of its own: staff merge two real customers. */
  | { status: 'conflict'; customerId: number };

const digest = (s: string) => createHash('sha256').update(s).digest('hex');
const codeHash = (conversationId: number, subject: string, code: string) => digest(`${conversationId}:${subject}:${code}`);

const sameHash = sameHexDigest;

/** The contact in canonical form, or undefined when it is not a phone / an e-mail address. */
export function normaliseLinkContact(kind: LinkContact['kind'], value: string): LinkContact | undefined {
  if (kind === 'email') {
    const address = normaliseEmail(value);
    return address ? { kind, address } : undefined;
  }
  const phone = normalisePhone(value);
  return phone ? { kind, phone } : undefined;
}

/**
 * Makes a link code for a typed contact. `sent` carries the code for the caller to deliver to
 * `to` (the contact on file, the same value that was typed once normalised); the caller must
 * answer `not_on_file` in the same words.
 */
export async function issueLinkCode(db: Db, args: { conversationId: number; senderCustomerId: number; kind: LinkContact['kind']; value: string; clientKey?: string; now?: Date }): Promise<IssuedLinkCode> {
  const now = args.now ?? new Date();
  const contact = normaliseLinkContact(args.kind, args.value);
  if (!contact) return { status: 'invalid_contact' };
  const value = contact.kind === 'email' ? contact.address : contact.phone;
  const sender = await survivingCustomerId(db, args.senderCustomerId);
  const w = LINK_LIMITS.windowMs;
  // the typed value is hashed into the key: the counter table holds no contact data
  const scopes: AttemptScope[] = [
    { key: `link:to:${digest(`${contact.kind}:${value}`).slice(0, 32)}`, cap: LINK_LIMITS.perContact, windowMs: w },
    { key: `link:sender:${sender}`, cap: LINK_LIMITS.perSender, windowMs: w },
    { key: `link:conv:${args.conversationId}`, cap: LINK_LIMITS.perConversation, windowMs: w },
  ];
  if (args.clientKey) scopes.push({ key: `link:client:${args.clientKey}`, cap: LINK_LIMITS.perClient, windowMs: w });
  const budget = await reserveAttempt(db, scopes, now);
  if (!budget.ok) return { status: 'too_many_codes' };

  const onFile = await db.identity.findUnique({ where: { channel_externalId: { channel: contact.kind === 'email' ? 'email' : 'phone', externalId: value } }, select: { customerId: true } });
  const target = onFile ? await survivingCustomerId(db, onFile.customerId) : undefined;
  const live = target === undefined ? undefined : await db.customer.findUnique({ where: { id: target }, select: { erasedAt: true } });
  // a new request replaces any code this conversation still holds, on file or not
  await db.oneTimeCode.updateMany({ where: { conversationId: args.conversationId, subject: { startsWith: SUBJECT }, usedAt: null }, data: { usedAt: now } });
  if (target === undefined || !live || live.erasedAt) return { status: 'not_on_file' };

  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const subject = `${SUBJECT}${target}`;
  await db.oneTimeCode.create({ data: { conversationId: args.conversationId, subject, codeHash: codeHash(args.conversationId, subject, code), channel: contact.kind, expiresAt: new Date(now.getTime() + LINK_CODE_TTL_MS) } });
  return { status: 'sent', code, to: contact, ttlMinutes: LINK_CODE_TTL_MS / 60_000 };
}

/**
 * Checks a code typed in the conversation. A try is counted (atomically) before the comparison.
 * The right code is used up and links the sender to the customer the code was made for — the
 * customer is read from the code's own row, never from anything typed now. A guest record
 * (no verified facts) is merged into that customer: its identities (the e-mail `From:`, the
 * WeChat openid, the web thread), conversations, messages and tickets move along. The
 * conversation gets an `identity_otp` proof: for an asserted identity it is what lets the
 * sender act as the customer there.
 */
export async function verifyLinkCode(db: Db, args: { conversationId: number; senderCustomerId: number; code: string; now?: Date }): Promise<LinkResult> {
  const now = args.now ?? new Date();
  const live = await db.oneTimeCode.findFirst({ where: { conversationId: args.conversationId, subject: { startsWith: SUBJECT }, usedAt: null, expiresAt: { gt: now } }, orderBy: { id: 'desc' } });
  if (!live) return { status: 'no_code' };
  const counted = await db.oneTimeCode.updateMany({ where: { id: live.id, usedAt: null, attempts: { lt: LINK_CODE_MAX_TRIES } }, data: { attempts: { increment: 1 } } });
  if (counted.count === 0) return { status: 'no_code' };
  if (!sameHash(live.codeHash, codeHash(args.conversationId, live.subject, args.code.trim()))) {
    const triesLeft = LINK_CODE_MAX_TRIES - (live.attempts + 1);
    if (triesLeft <= 0) await db.oneTimeCode.updateMany({ where: { id: live.id, usedAt: null }, data: { usedAt: now } });
    return triesLeft > 0 ? { status: 'wrong', triesLeft } : { status: 'no_code' };
  }
  const used = await db.oneTimeCode.updateMany({ where: { id: live.id, usedAt: null }, data: { usedAt: now } });
  if (used.count === 0) return { status: 'no_code' };

  const target = await survivingCustomerId(db, Number(live.subject.slice(SUBJECT.length)));
  const sender = await survivingCustomerId(db, args.senderCustomerId);
  let merged = false;
  if (sender !== target) {
    if (!(await isGuestCustomer(db, sender))) {
      // two customers with verified facts are never merged automatically (identity trust model)
      await recordAudit(db, { actor: `customer:${sender}`, action: 'identity.link_conflict', entity: 'Customer', entityId: sender, detail: { provedCustomer: target, via: live.channel } });
      return { status: 'conflict', customerId: target };
    }
    await mergeCustomers(db, { keepId: target, mergeId: sender, actor: `customer:${sender}`, reason: `one-time code to the ${live.channel === 'email' ? 'e-mail' : 'phone'} on file` });
    merged = true;
  }
  await db.conversationProof.upsert({
    where: { conversationId_kind_subject: { conversationId: args.conversationId, kind: IDENTITY_PROOF, subject: String(target) } },
    create: { conversationId: args.conversationId, kind: IDENTITY_PROOF, subject: String(target), expiresAt: new Date(now.getTime() + PROOF_TTL_MS) },
    update: { expiresAt: new Date(now.getTime() + PROOF_TTL_MS) },
  });
  // the contact's value stays out of the audit: personal data
  await recordAudit(db, { actor: `customer:${sender}`, action: 'identity.linked', entity: 'Customer', entityId: target, detail: { conversationId: args.conversationId, via: live.channel, mergedId: merged ? sender : undefined } });
  return { status: 'linked', customerId: target, merged };
}

/** Whether this conversation proved, by a link code within the last 24 hours, that its sender is this customer (or one merged into it). */
export async function identityProvenIn(db: Db, conversationId: number, customerId: number, now = new Date()): Promise<boolean> {
  const proofs = await db.conversationProof.findMany({ where: { conversationId, kind: IDENTITY_PROOF, expiresAt: { gt: now } }, select: { subject: true } });
  if (!proofs.length) return false;
  const who = await survivingCustomerId(db, customerId);
  for (const p of proofs) if ((await survivingCustomerId(db, Number(p.subject))) === who) return true;
  return false;
}
