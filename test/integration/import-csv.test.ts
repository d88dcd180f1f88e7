import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/crm/import/index.js';
import { shopCounts } from '../../src/crm/seed/index.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';

const DATA = join(import.meta.dirname, '..', 'data', 'import');
const file = (name: string) => join(DATA, name);
const NOW = new Date('2025-11-01T00:00:00Z');

async function allCounts(t: TestDatabase) {
  return { ...(await shopCounts(t.db)), tags: await t.db.customerTag.count(), consents: await t.db.marketingConsent.count() };
}

describe('importCsv', () => {
  let t: TestDatabase;
  let scratch: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    scratch = mkdtempSync(join(tmpdir(), 'shopdesk-import-'));
  });
  afterAll(async () => { await t?.destroy(); rmSync(scratch, { recursive: true, force: true }); });

  it('imports a good customers file with BOM, quoted cells and consents', async () => {
    const progress: number[] = [];
    const report = await importCsv(t.db, 'customers', file('customers-good.csv'), { now: NOW, onProgress: (d) => progress.push(d) });
    expect(report).toEqual({ kind: 'customers', total: 4, imported: 4, unchanged: 0, failed: [] });
    expect(progress.at(-1)).toBe(4);
    const ming = await t.db.identity.findUnique({ where: { channel_externalId: { channel: 'shop', externalId: 'C-1001' } }, include: { customer: { include: { identities: true, tags: true, consents: true } } } });
    expect(ming?.customer).toMatchObject({ name: '王小明', phone: '13800139001', email: 'xiaoming@example.cn', city: '杭州', notes: '喜欢顺丰' });
    expect(ming!.customer.identities.map((i) => `${i.channel}:${i.externalId}`).sort()).toEqual(['email:xiaoming@example.cn', 'phone:13800139001', 'shop:C-1001']);
    expect(ming!.customer.tags.map((x) => x.tag).sort()).toEqual(['student', 'vip']);
    expect(ming!.customer.consents.map((k) => `${k.channel}=${k.status}`).sort()).toEqual(['email=opt_in', 'sms=opt_out']);
    const emma = await t.db.customer.findFirst({ where: { email: 'emma.brown@example.com' } });
    expect(emma).toMatchObject({ phone: '+447700900123', locale: 'en', region: 'England, United Kingdom' });
    expect((await t.db.customer.findFirst({ where: { name: '李娜' } }))?.notes).toBe('地址: 南山区 "科技园" 3栋');
  });

  it('reports bad customer rows by line and imports the rest', async () => {
    const report = await importCsv(t.db, 'customers', file('customers-bad.csv'), { now: NOW });
    expect(report.imported).toBe(2);
    expect(report.failed).toEqual([
      { line: 3, reason: 'phone "abc" is not a phone number' },
      { line: 4, reason: 'email "not-an-email" is not an e-mail address' },
      { line: 5, reason: 'birthday "1990-02-30" is not a date (YYYY-MM-DD)' },
      { line: 6, reason: 'sms_consent "maybe" is not one of opt_in, opt_out' },
      { line: 7, reason: 'customer_ref "C-2001" appears again with different values (first on line 2)' },
      { line: 8, reason: 'customer_ref is required' },
    ]);
    expect(report.total).toBe(8);
  });

  it('imports products with yuan prices as fen', async () => {
    const report = await importCsv(t.db, 'products', file('products-good.csv'));
    expect(report).toMatchObject({ total: 3, imported: 3, failed: [] });
    expect(await t.db.product.findUnique({ where: { sku: 'IMP-001' } })).toMatchObject({ priceCents: 3990, stock: 120, returnable: true, category: 'home' });
    expect(await t.db.product.findUnique({ where: { sku: 'IMP-003' } })).toMatchObject({ priceCents: 8900, nameZh: 'Travel Adapter', returnable: true });
    expect((await t.db.product.findUnique({ where: { sku: 'IMP-002' } }))?.returnable).toBe(false);
  });

  it('imports orders grouped by order number, with totals computed from their items', async () => {
    const report = await importCsv(t.db, 'orders', file('orders-good.csv'), { now: NOW });
    expect(report).toEqual({ kind: 'orders', total: 3, imported: 3, unchanged: 0, failed: [] });
    const o = await t.db.order.findUnique({ where: { orderNumber: 'SD2510010001' }, include: { items: true, events: true, customer: true } });
    expect(o).toMatchObject({ status: 'delivered', subtotalCents: 2 * 3990 + 2500, shippingCents: 0, discountCents: 1000, totalCents: 2 * 3990 + 2500 - 1000, carrier: 'SF Express' });
    expect(o!.customer.name).toBe('王小明');
    expect(o!.items).toHaveLength(2);
    expect(o!.placedAt.toISOString()).toBe('2025-10-01T02:00:00.000Z');
    expect(o!.events.map((e) => e.type).sort()).toEqual(['created', 'delivered', 'paid', 'shipped']);
    const pending = await t.db.order.findUnique({ where: { orderNumber: 'SD2510020001' }, include: { items: true } });
    expect(pending).toMatchObject({ status: 'pending_payment', subtotalCents: 8900, shippingCents: 1000, totalCents: 9900 });
    expect(pending!.placedAt.toISOString()).toBe('2025-10-02T12:15:00.000Z'); // no offset: shop time (Asia/Shanghai)
  });

  it('rejects bad orders whole, naming the line, and imports the good ones', async () => {
    const before = await t.db.orderItem.count();
    const report = await importCsv(t.db, 'orders', file('orders-bad.csv'), { now: NOW });
    expect(report).toMatchObject({ total: 8, imported: 2, unchanged: 0 });
    expect(report.failed).toEqual([
      { line: 3, reason: 'unknown customer_ref "C-9999"; order SD2510050002 not imported' },
      { line: 4, reason: 'unknown sku "NOPE-1"; order SD2510050003 not imported' },
      { line: 6, reason: 'quantity "zero" is not a whole number from 1 to 10000; order SD2510050004 not imported' },
      { line: 8, reason: 'customer_ref "C-1003" differs from "C-1002" on line 7 (same order_number, conflicting order); order SD2510050005 not imported' },
      { line: 9, reason: 'status shipped needs shipped_at; order SD2510050006 not imported' },
      { line: 10, reason: 'placed_at "yesterday" is not an ISO 8601 time (e.g. 2025-11-11T20:15:00+08:00); order SD2510050007 not imported' },
    ]);
    expect(report.failed).toHaveLength(6);
    expect(await t.db.order.findUnique({ where: { orderNumber: 'SD2510050004' } })).toBeNull();
    expect(await t.db.orderItem.count()).toBe(before + 2);
    expect((await t.db.order.findUnique({ where: { orderNumber: 'SD2510050008' } }))?.totalCents).toBe(5000 - 500); // no shipping_fee given: 0
  });

  it('changes nothing when the same files are imported again', async () => {
    const before = await allCounts(t);
    for (const [kind, name] of [['customers', 'customers-good.csv'], ['products', 'products-good.csv'], ['orders', 'orders-good.csv']] as const) {
      const report = await importCsv(t.db, kind, file(name), { now: new Date() });
      expect(report.failed).toEqual([]);
      expect(report.imported).toBe(0);
      expect(report.unchanged).toBe(report.total);
    }
    const again = await importCsv(t.db, 'orders', file('orders-bad.csv'));
    expect(again).toMatchObject({ imported: 0, unchanged: 2 });
    expect(await allCounts(t)).toEqual(before);
  });

  it('rejects an order number already stored with different content', async () => {
    const path = join(scratch, 'changed.csv');
    writeFileSync(path, 'order_number,customer_ref,status,placed_at,sku,quantity\nSD2510020001,C-1003,cancelled,2025-10-02 20:15:00,IMP-003,1\n');
    const report = await importCsv(t.db, 'orders', path);
    expect(report.failed).toEqual([{ line: 2, reason: 'order SD2510020001 already exists with different content; the import does not change existing orders' }]);
  });

  it('refuses a file that is not UTF-8, or has an unknown header, with a clear error', async () => {
    const gbk = join(scratch, 'gbk.csv');
    writeFileSync(gbk, Buffer.concat([Buffer.from('customer_ref,name\nC-1,'), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from('\n')]));
    await expect(importCsv(t.db, 'customers', gbk)).rejects.toThrow(/not valid UTF-8.*GBK/);
    await expect(importCsv(t.db, 'products', file('products-bad-header.csv'))).rejects.toThrow(/bad header row: unknown columns "name", "colour"\. Expected columns: sku, category, price/);
    await expect(importCsv(t.db, 'products', join(scratch, 'missing.csv'))).rejects.toMatchObject({ code: 'IMPORT_FAILED', details: { fileError: true } });
    const empty = join(scratch, 'empty.csv');
    writeFileSync(empty, '');
    await expect(importCsv(t.db, 'orders', empty)).rejects.toThrow(/header row is required/);
  });
});
