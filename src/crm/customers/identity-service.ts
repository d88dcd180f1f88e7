import type { Db, Tx } from '../../db/database-client.js';
import { AppError } from '../../shared/app-error.js';
import { isUniqueViolation, recordAudit } from '../audit-log.js';
import type { IdentityKind } from '../crm-constants.js';
import { normaliseEmail, normalisePhone } from './contact-normaliser.js';

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
 * Finds or creates the customer behind a channel identity (Chatwoot's order: the identity itself,
 * then a verified shop reference, e-mail, phone), linking the new identity to a match. Retries
 * once on a unique violation, which means a concurrent delivery created it first.
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

async function resolveOnce(db: Db, input: IdentityInput): Promise<ResolvedCustomer> {
  const existing = await customerByIdentity(db, input.kind, input.externalId);
  const email = normaliseEmail(input.verified?.email);
  const phone = normalisePhone(input.verified?.phone);
  const ref = input.verified?.customerRef?.trim();
  if (existing !== undefined) {
    if (email || phone || ref) return { customerId: await linkVerifiedContacts(db, existing, { email, phone, ref }), created: false, matchedBy: 'identity' };
    return { customerId: existing, created: false, matchedBy: 'identity' };
  }
  const candidates: [ResolvedCustomer['matchedBy'], string, string | undefined][] = [
    ['shop_ref', 'shop', ref], ['email', 'email', email], ['phone', 'phone', phone],
  ];
  for (const [matchedBy, kind, value] of candidates) {
    if (!value) continue;
    const customerId = await customerByIdentity(db, kind, value);
    if (customerId === undefined) continue;
    await db.identity.create({ data: { customerId, channel: input.kind, externalId: input.externalId, verified: true } });
    return { customerId: await linkVerifiedContacts(db, customerId, { email, phone, ref }), created: false, matchedBy };
  }
  const customerId = await db.$transaction(async (tx) => {
    const customer = await tx.customer.create({
      data: {
        name: input.displayName?.slice(0, 100) || `${input.kind} visitor`,
        email: email ?? null,
        phone: phone ?? null,
        locale: input.locale ?? 'zh-CN',
        lifecycleStage: 'lead',
      },
    });
    await tx.identity.create({ data: { customerId: customer.id, channel: input.kind, externalId: input.externalId, verified: Boolean(input.verified) } });
    if (email) await tx.identity.create({ data: { customerId: customer.id, channel: 'email', externalId: email, verified: true } });
    if (phone) await tx.identity.create({ data: { customerId: customer.id, channel: 'phone', externalId: phone, verified: true } });
    if (ref) await tx.identity.create({ data: { customerId: customer.id, channel: 'shop', externalId: ref, verified: true } });
    return customer.id;
  });
  return { customerId, created: true };
}

/**
 * Attaches verified contacts to a customer. When a contact already belongs to another customer,
 * a guest record is merged into that customer; two verified customers stay apart.
 * Returns the id of the customer the contacts belong to.
 */
export async function linkVerifiedContacts(db: Db, customerId: number, contacts: { email?: string; phone?: string; ref?: string }): Promise<number> {
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
      // A guest who proves a contact becomes that customer. Two customers who each have verified
      // contacts are never merged automatically (two people on one shared device would be fused
      // for good); the message is simply theirs who proved the contact.
      if (await isGuest(db, current)) {
        await mergeCustomers(db, { keepId: owner, mergeId: current, actor: 'system', reason: `verified ${kind} matched` });
      }
      current = owner;
    }
  }
  return current;
}

/** A record with no verified shop ref, e-mail or phone: an anonymous visitor, safe to fold into a customer. */
async function isGuest(db: Db, customerId: number): Promise<boolean> {
  const verified = await db.identity.count({ where: { customerId, channel: { in: ['shop', 'email', 'phone'] } } });
  return verified === 0;
}

/**
 * Merges `mergeId` into `keepId` in one transaction: identities, orders, conversations, tickets,
 * feedback and tags move; empty profile fields are filled; the merged record keeps a marker.
 */
export async function mergeCustomers(db: Db, args: { keepId: number; mergeId: number; actor: string; reason?: string }): Promise<void> {
  const { keepId, mergeId } = args;
  if (keepId === mergeId) throw new AppError('VALIDATION_FAILED', 'Cannot merge a customer into itself');
  await db.$transaction(async (tx) => {
    const [keep, merge] = await Promise.all([
      tx.customer.findUnique({ where: { id: keepId }, include: { tags: true, consents: true } }),
      tx.customer.findUnique({ where: { id: mergeId }, include: { tags: true, consents: true } }),
    ]);
    if (!keep || !merge) throw new AppError('NOT_FOUND', `Customer ${!keep ? keepId : mergeId} not found`);
    if (merge.mergedIntoId) throw new AppError('CONFLICT', `Customer ${mergeId} was already merged into ${merge.mergedIntoId}`);
    await tx.identity.updateMany({ where: { customerId: mergeId }, data: { customerId: keepId } });
    await tx.order.updateMany({ where: { customerId: mergeId }, data: { customerId: keepId } });
    await tx.conversation.updateMany({ where: { customerId: mergeId }, data: { customerId: keepId } });
    await tx.ticket.updateMany({ where: { customerId: mergeId }, data: { customerId: keepId } });
    await tx.feedback.updateMany({ where: { customerId: mergeId }, data: { customerId: keepId } });
    const keepTags = new Set(keep.tags.map((t) => t.tag));
    const newTags = merge.tags.filter((t) => !keepTags.has(t.tag)).map((t) => ({ customerId: keepId, tag: t.tag }));
    if (newTags.length) await tx.customerTag.createMany({ data: newTags });
    await tx.customerTag.deleteMany({ where: { customerId: mergeId } });
    for (const c of merge.consents) {
      const mine = keep.consents.find((k) => k.channel === c.channel);
      if (!mine || mine.at < c.at) {
        await tx.marketingConsent.upsert({
          where: { customerId_channel: { customerId: keepId, channel: c.channel } },
          create: { customerId: keepId, channel: c.channel, status: c.status, source: c.source, at: c.at },
          update: { status: c.status, source: c.source, at: c.at },
        });
      }
    }
    await tx.marketingConsent.deleteMany({ where: { customerId: mergeId } });
    await tx.customer.update({
      where: { id: keepId },
      data: {
        phone: keep.phone ?? merge.phone, email: keep.email ?? merge.email, region: keep.region ?? merge.region,
        city: keep.city ?? merge.city, birthday: keep.birthday ?? merge.birthday,
        name: /visitor$/.test(keep.name) && !/visitor$/.test(merge.name) ? merge.name : keep.name,
        notes: [keep.notes, merge.notes].filter(Boolean).join('\n') || null,
        createdAt: keep.createdAt < merge.createdAt ? keep.createdAt : merge.createdAt,
      },
    });
    await tx.customer.update({ where: { id: mergeId }, data: { mergedIntoId: keepId } });
    await recordAudit(tx, { actor: args.actor, action: 'customer.merge', entity: 'Customer', entityId: keepId, detail: { mergedId: mergeId, reason: args.reason } });
  });
}
