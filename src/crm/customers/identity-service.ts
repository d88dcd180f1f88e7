import type { Db, Tx } from '../../db/database-client.js';
import { isUniqueViolation, recordAudit } from '../audit-log.js';
import type { IdentityKind } from '../crm-constants.js';
import { normaliseEmail, normalisePhone } from './contact-normaliser.js';
import { mergeCustomers } from './customer-merge.js';

export interface IdentityInput {
  kind: IdentityKind;
  externalId: string;
  displayName?: string;
  locale?: string;
  /** Contact facts the channel verified; only these may link to an existing customer. */
  verified?: { phone?: string; email?: string; customerRef?: string };
}

export interface ResolvedCustomer {
  customerId: number;
  created: boolean;
  /** How an existing customer was found. */
  matchedBy?: 'identity' | 'shop_ref' | 'email' | 'phone';
}

/** Follows merge markers so a stale id always leads to the surviving customer. */
export async function survivingCustomerId(db: Db | Tx, customerId: number): Promise<number> {
  let id = customerId;
  for (let hops = 0; hops < 10; hops++) {
    const c = await db.customer.findUnique({ where: { id }, select: { mergedIntoId: true } });
    if (!c?.mergedIntoId) return id;
    id = c.mergedIntoId;
  }
  return id;
}

async function customerByIdentity(db: Db | Tx, kind: string, externalId: string): Promise<number | undefined> {
  const identity = await db.identity.findUnique({ where: { channel_externalId: { channel: kind, externalId } }, select: { customerId: true } });
  return identity ? survivingCustomerId(db, identity.customerId) : undefined;
}

/**
 * Finds or creates the customer behind a channel identity, following the identity trust model
 * (docs/architecture.md): the sender's own channel identity, then a verified shop subject, then
 * verified contacts. A shop subject, once bound to a customer, is never re-pointed, and contacts
 * never override it. Retries on a unique violation (a concurrent delivery created the row first).
 */
export async function resolveCustomer(db: Db, input: IdentityInput): Promise<ResolvedCustomer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await resolveOnce(db, input);
    } catch (err) {
      if (attempt < 2 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

interface Facts { ref?: string; email?: string; phone?: string }

async function resolveOnce(db: Db, input: IdentityInput): Promise<ResolvedCustomer> {
  const facts: Facts = {
    ref: input.verified?.customerRef?.trim() || undefined,
    email: normaliseEmail(input.verified?.email),
    phone: normalisePhone(input.verified?.phone),
  };
  const own = await customerByIdentity(db, input.kind, input.externalId);
  if (facts.ref) return resolveSubject(db, input, facts, facts.ref, own);
  if (own !== undefined) {
    if (facts.email || facts.phone) return { customerId: await linkVerifiedContacts(db, own, facts), created: false, matchedBy: 'identity' };
    return { customerId: own, created: false, matchedBy: 'identity' };
  }
  for (const [matchedBy, kind, value] of [['email', 'email', facts.email], ['phone', 'phone', facts.phone]] as const) {
    if (!value) continue;
    const customerId = await customerByIdentity(db, kind, value);
    if (customerId === undefined) continue;
    await db.identity.create({ data: { customerId, channel: input.kind, externalId: input.externalId, verified: true } });
    return { customerId: await linkVerifiedContacts(db, customerId, facts), created: false, matchedBy };
  }
  return { customerId: await createCustomer(db, input, facts), created: true };
}

/**
 * A verified shop subject decides the customer. Known subject: its customer, whatever contacts
 * the token carries. New subject: the customer a verified contact belongs to if that customer has
 * no subject of its own, else the sender's guest record, else a new customer.
 */
async function resolveSubject(db: Db, input: IdentityInput, facts: Facts, ref: string, own: number | undefined): Promise<ResolvedCustomer> {
  const bound = await customerByIdentity(db, 'shop', ref);
  let target = bound;
  let matchedBy: ResolvedCustomer['matchedBy'] = 'shop_ref';
  if (target === undefined) {
    for (const [by, kind, value] of [['email', 'email', facts.email], ['phone', 'phone', facts.phone]] as const) {
      const owner = value ? await customerByIdentity(db, kind, value) : undefined;
      if (owner !== undefined && !(await hasSubject(db, owner))) {
        target = owner;
        matchedBy = by;
        break;
      }
    }
  }
  if (target === undefined && own !== undefined && (await isGuestCustomer(db, own))) {
    target = own;
    matchedBy = 'identity';
  }
  if (target === undefined) {
    // the channel identity, if it exists, stays with whoever holds it (another subject on a shared browser)
    const customerId = await createCustomer(db, input, { ref }, { withChannelIdentity: own === undefined });
    await linkVerifiedContacts(db, customerId, { email: facts.email, phone: facts.phone }, { keepTarget: true });
    return { customerId, created: true };
  }
  if (bound === undefined) await db.identity.create({ data: { customerId: target, channel: 'shop', externalId: ref, verified: true } });
  if (own === undefined) {
    await db.identity.create({ data: { customerId: target, channel: input.kind, externalId: input.externalId, verified: true } });
  } else if (own !== target && (await isGuestCustomer(db, own))) {
    await mergeCustomers(db, { keepId: target, mergeId: own, actor: 'system', reason: 'guest signed in' });
  }
  await linkVerifiedContacts(db, target, { email: facts.email, phone: facts.phone }, { keepTarget: true });
  return { customerId: target, created: false, matchedBy };
}

async function createCustomer(db: Db, input: IdentityInput, facts: Facts, opts: { withChannelIdentity?: boolean } = {}): Promise<number> {
  const { ref, email, phone } = facts;
  return db.$transaction(async (tx) => {
    const customer = await tx.customer.create({
      data: {
        name: input.displayName?.slice(0, 100) || `${input.kind} visitor`,
        email: email ?? null,
        phone: phone ?? null,
        locale: input.locale ?? 'zh-CN',
        lifecycleStage: 'lead',
      },
    });
    if (opts.withChannelIdentity !== false) await tx.identity.create({ data: { customerId: customer.id, channel: input.kind, externalId: input.externalId, verified: Boolean(ref || email || phone) } });
    if (email) await tx.identity.create({ data: { customerId: customer.id, channel: 'email', externalId: email, verified: true } });
    if (phone) await tx.identity.create({ data: { customerId: customer.id, channel: 'phone', externalId: phone, verified: true } });
    if (ref) await tx.identity.create({ data: { customerId: customer.id, channel: 'shop', externalId: ref, verified: true } });
    return customer.id;
  });
}

/**
 * Attaches verified contacts to a customer. A contact nobody holds is added. A contact another
 * customer holds: without `keepTarget` (a contact proven on its own, e.g. by a one-time code) a
 * guest record is merged into that customer and the message becomes theirs; with `keepTarget`
 * (the contact came with a shop subject, which decides) the contact stays where it is and the
 * conflict is audited. Two customers with verified facts are never merged automatically.
 * Returns the id of the customer the message belongs to.
 */
export async function linkVerifiedContacts(db: Db, customerId: number, contacts: { email?: string; phone?: string; ref?: string }, opts: { keepTarget?: boolean } = {}): Promise<number> {
  let current = customerId;
  for (const [kind, value] of [['shop', contacts.ref], ['email', contacts.email], ['phone', contacts.phone]] as const) {
    if (!value) continue;
    const owner = await customerByIdentity(db, kind, value);
    if (owner === undefined) {
      try {
        await db.identity.create({ data: { customerId: current, channel: kind, externalId: value, verified: true } });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
      if (kind !== 'shop') {
        const field = kind === 'email' ? { email: value } : { phone: value };
        await db.customer.updateMany({ where: { id: current, [kind]: null }, data: field });
      }
    } else if (owner !== current) {
      if (opts.keepTarget || kind === 'shop') {
        // the value is not logged: it is personal data
        await recordAudit(db, { actor: 'system', action: 'identity.contact_conflict', entity: 'Customer', entityId: current, detail: { kind, heldBy: owner } });
        continue;
      }
      if (await isGuestCustomer(db, current)) {
        await mergeCustomers(db, { keepId: owner, mergeId: current, actor: 'system', reason: `verified ${kind} matched` });
      }
      current = owner;
    }
  }
  return current;
}

/** A record with no verified shop ref, e-mail or phone: an anonymous visitor, safe to fold into a customer. */
export async function isGuestCustomer(db: Db, customerId: number): Promise<boolean> {
  const verified = await db.identity.count({ where: { customerId, channel: { in: ['shop', 'email', 'phone'] } } });
  return verified === 0;
}

async function hasSubject(db: Db, customerId: number): Promise<boolean> {
  return (await db.identity.count({ where: { customerId, channel: 'shop' } })) > 0;
}

export { mergeCustomers } from './customer-merge.js';
