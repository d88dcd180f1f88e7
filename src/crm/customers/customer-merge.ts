import type { Db } from '../../db/database-client.js';
import { AppError } from '../../shared/app-error.js';
import { recordAudit } from '../audit-log.js';

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
