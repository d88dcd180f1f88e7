import { z } from 'zod';
import type { Db } from '../../db/database-client.js';
import { CONSENT_CHANNELS } from '../crm-constants.js';
import { firstIssue, readCsv, type CsvRow } from './csv-reader.js';
import { date, email, oneOf, phone, requiredText, tagList, text } from './import-fields.js';
import { progressReporter, type ImportOptions, type ImportReport } from './import-report.js';

export const CUSTOMER_COLUMNS = {
  required: ['customer_ref', 'name'],
  optional: ['phone', 'email', 'locale', 'region', 'city', 'birthday', 'tags', 'email_consent', 'sms_consent', 'wechat_consent', 'notes'],
} as const;

const consent = (c: string) => oneOf(c, ['opt_in', 'opt_out'] as const);
const Row = z.object({
  customer_ref: requiredText('customer_ref', 100),
  name: requiredText('name', 100),
  phone: phone(),
  email: email(),
  locale: z.string().transform((v, ctx) => {
    if (v === '') return undefined;
    if (!/^[a-z]{2}(-[A-Z]{2})?$/.test(v)) { ctx.addIssue({ code: 'custom', message: `locale "${v}" is not a locale like zh-CN or en` }); return z.NEVER; }
    return v;
  }),
  region: text('region', 100),
  city: text('city', 100),
  birthday: date('birthday'),
  tags: tagList('tags'),
  email_consent: consent('email_consent'),
  sms_consent: consent('sms_consent'),
  wechat_consent: consent('wechat_consent'),
  notes: text('notes', 2000),
});
type CustomerInput = z.infer<typeof Row>;

/** Imports customers keyed by `customer_ref` (an Identity of kind `shop`); existing ones are updated, never duplicated. */
export async function importCustomers(db: Db, filePath: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const rows = await readCsv(filePath, CUSTOMER_COLUMNS);
  const report: ImportReport = { kind: 'customers', total: rows.length, imported: 0, unchanged: 0, failed: [] };
  const progress = progressReporter(rows.length, opts.onProgress);
  const seen = new Map<string, { line: number; key: string }>();
  let done = 0;
  for (const row of rows) {
    const outcome = await importOne(db, row, seen, opts.now ?? new Date());
    if (outcome === 'imported') report.imported++;
    else if (outcome === 'unchanged') report.unchanged++;
    else report.failed.push({ line: row.line, reason: outcome.reason });
    progress(++done);
  }
  return report;
}

async function importOne(db: Db, row: CsvRow, seen: Map<string, { line: number; key: string }>, now: Date): Promise<'imported' | 'unchanged' | { reason: string }> {
  if (row.cells.__extra) return { reason: `${row.cells.__extra} more cell(s) than the header has columns` };
  const parsed = Row.safeParse(row.cells);
  if (!parsed.success) return { reason: firstIssue(parsed.error.issues) };
  const c = parsed.data;
  const key = JSON.stringify(c);
  const earlier = seen.get(c.customer_ref);
  if (earlier) return earlier.key === key ? 'unchanged' : { reason: `customer_ref "${c.customer_ref}" appears again with different values (first on line ${earlier.line})` };
  seen.set(c.customer_ref, { line: row.line, key });

  const owner = async (channel: string, externalId?: string) =>
    externalId ? (await db.identity.findUnique({ where: { channel_externalId: { channel, externalId } }, select: { customerId: true } }))?.customerId : undefined;
  const [byRef, byPhone, byEmail] = await Promise.all([owner('shop', c.customer_ref), owner('phone', c.phone), owner('email', c.email)]);
  let target = byRef;
  if (target === undefined) {
    if (byPhone !== undefined && byEmail !== undefined && byPhone !== byEmail) return { reason: `phone "${c.phone}" and email "${c.email}" belong to two different customers` };
    target = byPhone ?? byEmail;
  } else {
    if (byPhone !== undefined && byPhone !== target) return { reason: `phone "${c.phone}" already belongs to another customer` };
    if (byEmail !== undefined && byEmail !== target) return { reason: `email "${c.email}" already belongs to another customer` };
  }
  if (target === undefined) {
    await db.$transaction(async (tx) => {
      const created = await tx.customer.create({
        data: {
          name: c.name, phone: c.phone ?? null, email: c.email ?? null, locale: c.locale ?? 'zh-CN', region: c.region ?? null, city: c.city ?? null,
          birthday: c.birthday ?? null, notes: c.notes ?? null, createdAt: now,
        },
      });
      await writeLinks(tx, created.id, c, { identities: new Set(), tags: new Set(), consents: new Map() }, now);
    });
    return 'imported';
  }
  const customerId = target;
  const existing = await db.customer.findUniqueOrThrow({ where: { id: customerId }, include: { identities: true, tags: true, consents: true } });
  const have = {
    identities: new Set(existing.identities.map((i) => `${i.channel}:${i.externalId}`)),
    tags: new Set(existing.tags.map((t) => t.tag)),
    consents: new Map(existing.consents.map((k) => [k.channel, k.status])),
  };
  const changes: Record<string, unknown> = {};
  const fields = { name: c.name, phone: c.phone, email: c.email, locale: c.locale, region: c.region, city: c.city, notes: c.notes } as const;
  for (const [field, value] of Object.entries(fields)) if (value !== undefined && existing[field as keyof typeof fields] !== value) changes[field] = value;
  if (c.birthday && existing.birthday?.getTime() !== c.birthday.getTime()) changes.birthday = c.birthday;
  if (Object.keys(changes).length === 0 && !linksMissing(c, have)) return 'unchanged';
  await db.$transaction(async (tx) => {
    if (Object.keys(changes).length > 0) await tx.customer.update({ where: { id: customerId }, data: changes });
    await writeLinks(tx, customerId, c, have, now);
  });
  return 'imported';
}

type Have = { identities: Set<string>; tags: Set<string>; consents: Map<string, string> };
type TxClient = Parameters<Parameters<Db['$transaction']>[0]>[0];

function wanted(c: CustomerInput) {
  const identities = ([['shop', c.customer_ref], ['phone', c.phone], ['email', c.email]] as const).filter((x): x is readonly ['shop' | 'phone' | 'email', string] => Boolean(x[1]));
  const consents = CONSENT_CHANNELS.map((ch) => [ch, c[`${ch}_consent` as 'email_consent']] as const).filter((x): x is readonly [typeof x[0], 'opt_in' | 'opt_out'] => Boolean(x[1]));
  return { identities, consents };
}

function linksMissing(c: CustomerInput, have: Have): boolean {
  const w = wanted(c);
  return w.identities.some(([k, v]) => !have.identities.has(`${k}:${v}`)) || c.tags.some((t) => !have.tags.has(t)) || w.consents.some(([ch, s]) => have.consents.get(ch) !== s);
}

async function writeLinks(tx: TxClient, customerId: number, c: CustomerInput, have: Have, now: Date): Promise<void> {
  const w = wanted(c);
  for (const [channel, externalId] of w.identities) {
    if (!have.identities.has(`${channel}:${externalId}`)) await tx.identity.create({ data: { customerId, channel, externalId, verified: true, createdAt: now } });
  }
  for (const tag of c.tags) if (!have.tags.has(tag)) await tx.customerTag.create({ data: { customerId, tag, createdAt: now } });
  for (const [channel, status] of w.consents) {
    if (have.consents.get(channel) === status) continue;
    await tx.marketingConsent.upsert({
      where: { customerId_channel: { customerId, channel } },
      create: { customerId, channel, status, source: 'import', at: now },
      update: { status, source: 'import', at: now },
    });
  }
}
