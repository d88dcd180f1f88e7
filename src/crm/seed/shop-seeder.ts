import { z } from 'zod';
import type { Db, Tx } from '../../db/database-client.js';
import { AppError } from '../../shared/app-error.js';
import { logger } from '../../shared/logger.js';
import { insertRows } from './bulk-insert.js';
import { CATALOG, NON_RETURNABLE } from './catalog-data.js';
import { generateCustomer } from './customer-generator.js';
import { DEMO_PHONES, personaCustomers, personaOrders } from './demo-personas.js';
import { generateOrder, productSampler, type SeedProduct, type ShipTo } from './order-generator.js';
import { planOrders } from './order-planner.js';
import { createRng, mixSeed, rngFor } from './seeded-random.js';
import { emptyCounts, writeCustomers, writeOrders, type CustomerRow, type OrderToWrite, type WriteCounts } from './seed-writers.js';
import { isShopEmpty, wipeShop } from './shop-wipe.js';
import { invalidateSummaries } from '../analytics/sales-summary.js';
import { generateTicket } from './ticket-generator.js';

const log = logger('crm.seed');

export interface SeedOptions {
  customers?: number;
  orders?: number;
  seed?: number;
  now?: Date;
  months?: number;
  timeZone?: string;
  /** Wipe existing shop data first instead of refusing. */
  force?: boolean;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Runs after the data is committed, e.g. to compute RFM segments. */
  afterSeed?: (db: Db) => Promise<void>;
}

export interface SeedSummary extends WriteCounts {
  products: number;
  staff: number;
  /** Whether the whole seed ran in one transaction (all or nothing). */
  singleTransaction: boolean;
  elapsedMs: number;
}

/** Up to this many orders the whole seed is one transaction; beyond it each batch commits on its own. */
export const SINGLE_TRANSACTION_MAX_ORDERS = 200_000;

const OptionsSchema = z.object({
  customers: z.number().int().min(1).max(10_000_000).default(2000),
  orders: z.number().int().min(0).max(20_000_000).default(10_000),
  seed: z.number().int().default(42),
  months: z.number().min(1).max(120).default(18),
  timeZone: z.string().default('Asia/Shanghai'),
  batchSize: z.number().int().min(50).max(10_000).default(1000),
});

const STAFF = [
  { name: '王芳', role: 'agent', email: 'wang.fang@staff.shopdesk.demo', identities: [['slack', 'U0DEMOAGT1'], ['teams', '29:demo-agent-wangfang']] },
  { name: 'Mike Chen', role: 'manager', email: 'mike.chen@staff.shopdesk.demo', identities: [['slack', 'U0DEMOMGR1'], ['teams', '29:demo-manager-mikechen']] },
  { name: '管理员 Admin', role: 'admin', email: 'admin@staff.shopdesk.demo', identities: [['slack', 'U0DEMOADM1']] },
] as const;

/**
 * Fills an empty database with a deterministic demo shop: same options (and `now`) ⇒ the same rows.
 * Refuses a database that already has shop data unless `force`, which wipes it first. Up to
 * SINGLE_TRANSACTION_MAX_ORDERS orders the seed is all-or-nothing; bigger runs commit per batch,
 * so a failure leaves the batches written so far (seed again with `force`).
 */
export async function seedShop(db: Db, options: SeedOptions = {}): Promise<SeedSummary> {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', `Invalid seed options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const opts = { ...parsed.data, now: options.now ?? new Date(), force: options.force ?? false, onProgress: options.onProgress };
  const started = Date.now();
  const single = opts.orders <= SINGLE_TRANSACTION_MAX_ORDERS;
  let result: Omit<SeedSummary, 'elapsedMs' | 'singleTransaction'>;
  if (single) {
    result = await db.$transaction((tx) => seedInto(tx, (fn) => fn(tx), opts), { timeout: 6 * 3_600_000, maxWait: 30_000 });
  } else {
    result = await seedInto(db, (fn) => db.$transaction(fn, { timeout: 600_000, maxWait: 30_000 }), opts);
  }
  // Fresh planner statistics: without them PostgreSQL picks nested loops over the bulk-loaded
  // tables (a 100k-order repurchase query took 20 s instead of 0.1 s). Plain ANALYZE works on both.
  await db.$executeRawUnsafe('ANALYZE');
  // seeded orders carry their historical updatedAt, so a summary refreshed before would look current: drop it
  await invalidateSummaries(db);
  await options.afterSeed?.(db);
  const summary = { ...result, singleTransaction: single, elapsedMs: Date.now() - started };
  log.info({ ...summary }, 'demo shop seeded');
  return summary;
}

type Batch = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
type Opts = z.infer<typeof OptionsSchema> & { now: Date; force: boolean; onProgress?: (done: number, total: number) => void };

async function seedInto(tx: Tx, batch: Batch, opts: Opts): Promise<Omit<SeedSummary, 'elapsedMs' | 'singleTransaction'>> {
  if (!(await isShopEmpty(tx))) {
    if (!opts.force) {
      const [customers, orders] = await Promise.all([tx.customer.count(), tx.order.count()]);
      throw new AppError('CONFLICT', `The database already holds shop data (${customers} customers, ${orders} orders). Seed again with --force to wipe it first.`, {
        userMessage: 'The database already holds shop data; use --force to wipe it and seed again.',
      });
    }
    await batch((t) => wipeShop(t));
  }
  const counts = emptyCounts();
  const staffIds = await batch((t) => ensureStaff(t));
  const products = await batch((t) => writeProducts(t, opts.seed, opts.now));
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const sample = productSampler(products, products.map((p) => CATALOG.find((c) => c.sku === p.sku)?.pop ?? 1));

  const personas = personaCustomers(opts.now);
  const personaIds = await batch((t) => writeCustomers(t, personas.map((p) => ({ ...p, locale: p.locale as 'zh-CN' | 'en', lifecycleStage: p.lifecycleStage as 'active', birthday: null, notes: null, consents: p.consents })), counts));
  const personaId = new Map(personas.map((p, i) => [p.key, personaIds[i]]));
  await batch((t) => writeOrders(t, personaOrders(opts.now, bySku).map((o) => ({ customerId: personaId.get(o.persona) as number, gen: o.order })), counts));

  const plan = planOrders({ seed: opts.seed, customers: opts.customers, orders: opts.orders, now: opts.now, months: opts.months, timeZone: opts.timeZone });
  const customerIds = new Int32Array(opts.customers);
  const shipTo: ShipTo[] = new Array(opts.customers);
  for (let from = 0; from < opts.customers; from += opts.batchSize) {
    const rows: CustomerRow[] = [];
    for (let c = from; c < Math.min(opts.customers, from + opts.batchSize); c++) {
      const first = plan.firstAt[c];
      const g = generateCustomer(opts.seed, c, {
        createdAt: new Date(plan.createdAt[c]), firstOrderAt: Number.isNaN(first) ? undefined : new Date(first),
        lastOrderAt: Number.isNaN(plan.lastAt[c]) ? undefined : new Date(plan.lastAt[c]), orderCount: plan.count[c],
      }, opts.now, DEMO_PHONES);
      shipTo[c] = { en: g.locale === 'en', name: g.name, phone: g.phone, region: g.region, city: g.city, address: g.address };
      rows.push(g);
    }
    const ids = await batch((t) => writeCustomers(t, rows, counts));
    ids.forEach((id, k) => { customerIds[from + k] = id; });
  }

  const now = opts.now.getTime();
  let i = 0;
  let pending: OrderToWrite[] = [];
  const flush = async () => {
    const b = pending;
    pending = [];
    await batch((t) => writeOrders(t, b, counts));
    opts.onProgress?.(i, plan.total);
  };
  for (const day of plan.days) {
    const promo = isPromoDay(day.ymd);
    for (let seq = 1; seq <= day.count; seq++) {
      const k = i++;
      const c = plan.customer[k];
      const gen = generateOrder(rngFor(opts.seed, 2, k), { orderNumber: `SD${day.ymd}${String(seq).padStart(4, '0')}`, placedAt: plan.placedAt[k], now, ship: shipTo[c], promo, sample });
      const ticket = generateTicket(rngFor(opts.seed, 3, k), gen, shipTo[c].en, staffIds, now);
      pending.push({ customerId: customerIds[c], gen, ticket });
      if (pending.length >= opts.batchSize) await flush();
    }
  }
  if (pending.length > 0 || plan.total === 0) await flush();
  return { ...counts, products: products.length, staff: staffIds.length };
}

/** 双11 and 618 seasons and 12.12, when 满减 discounts run. */
function isPromoDay(ymd: string): boolean {
  const md = ymd.slice(2);
  return (md >= '1101' && md <= '1112') || (md >= '0601' && md <= '0618') || md === '1212';
}

async function ensureStaff(tx: Tx): Promise<number[]> {
  const ids: number[] = [];
  for (const s of STAFF) {
    const existing = await tx.staffMember.findUnique({ where: { email: s.email }, select: { id: true } });
    const id = existing?.id ?? (await tx.staffMember.create({ data: { name: s.name, role: s.role, email: s.email }, select: { id: true } })).id;
    for (const [channel, externalId] of s.identities) {
      const found = await tx.staffIdentity.findUnique({ where: { channel_externalId: { channel, externalId } }, select: { id: true } });
      if (!found) await tx.staffIdentity.create({ data: { staffId: id, channel, externalId } });
    }
    ids.push(id);
  }
  return ids;
}

async function writeProducts(tx: Tx, seed: number, now: Date): Promise<SeedProduct[]> {
  const rng = createRng(mixSeed(seed, 0x9e0d));
  const createdAt = new Date(now.getTime() - 600 * 86_400_000);
  await insertRows(tx, 'Product', ['sku', 'nameZh', 'nameEn', 'category', 'priceCents', 'stock', 'returnable', 'createdAt', 'updatedAt'],
    CATALOG.map((c) => [c.sku, c.nameZh, c.nameEn, c.category, Math.round(c.price * 100), rng.chance(0.05) ? 0 : rng.int(5, 800), !NON_RETURNABLE.includes(c.category), createdAt, createdAt]));
  const rows = await tx.product.findMany({ where: { sku: { in: CATALOG.map((c) => c.sku) } }, orderBy: { id: 'asc' } });
  return rows.map((p) => ({ id: p.id, sku: p.sku, nameZh: p.nameZh, nameEn: p.nameEn, category: p.category, priceCents: p.priceCents, returnable: p.returnable }));
}
