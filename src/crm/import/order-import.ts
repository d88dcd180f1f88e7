import { z } from 'zod';
import type { Db } from '../../db/database-client.js';
import { ORDER_STATUSES } from '../crm-constants.js';
import { firstIssue, readCsv, type CsvRow } from './csv-reader.js';
import { email, instant, integer, money, oneOf, phone, requiredText, text } from './import-fields.js';
import { progressReporter, type ImportOptions, type ImportReport } from './import-report.js';
import { buildOrder, sameOrder, type OrderDraft } from './order-rows.js';

export const ORDER_COLUMNS = {
  required: ['order_number', 'status', 'placed_at', 'sku', 'quantity'],
  optional: [
    'customer_ref', 'customer_phone', 'customer_email', 'currency', 'paid_at', 'shipped_at', 'delivered_at', 'payment_method', 'carrier',
    'tracking_number', 'ship_name', 'ship_phone', 'ship_region', 'ship_city', 'ship_address', 'shipping_fee', 'discount', 'unit_price',
  ],
} as const;

function rowSchema(timeZone: string, pattern: RegExp) {
  return z.object({
    order_number: requiredText('order_number', 64).refine((v) => pattern.test(v), { message: `order_number does not match the shop's order number pattern ${pattern.source}` }),
    customer_ref: text('customer_ref', 100),
    customer_phone: phone('customer_phone'),
    customer_email: email('customer_email'),
    status: oneOf('status', ORDER_STATUSES).refine((v) => v !== undefined, { message: 'status is required' }),
    currency: text('currency', 3).refine((v) => v === undefined || /^[A-Z]{3}$/.test(v), { message: 'currency must be a 3-letter code like CNY' }),
    placed_at: instant('placed_at', timeZone).refine((v) => v !== undefined, { message: 'placed_at is required' }),
    paid_at: instant('paid_at', timeZone),
    shipped_at: instant('shipped_at', timeZone),
    delivered_at: instant('delivered_at', timeZone),
    payment_method: text('payment_method', 40),
    carrier: text('carrier', 60),
    tracking_number: text('tracking_number', 60),
    ship_name: text('ship_name', 100),
    ship_phone: phone('ship_phone'),
    ship_region: text('ship_region', 100),
    ship_city: text('ship_city', 100),
    ship_address: text('ship_address', 300),
    shipping_fee: money('shipping_fee'),
    discount: money('discount'),
    sku: requiredText('sku', 64),
    quantity: integer('quantity', 1, 10_000).refine((v) => v !== undefined, { message: 'quantity is required' }),
    unit_price: money('unit_price'),
  });
}
export type OrderRow = z.infer<ReturnType<typeof rowSchema>>;
export interface GroupLine { line: number; raw: CsvRow; row?: OrderRow; error?: string }

/**
 * Imports orders from one-row-per-item CSV. Rows of an order are grouped by order_number anywhere
 * in the file; an order is validated whole and written in one transaction with its items and
 * timeline, or rejected whole. An order already in the database with identical content is
 * `unchanged`; with different content it is rejected (the import never rewrites an order).
 */
export async function importOrders(db: Db, filePath: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const rows = await readCsv(filePath, ORDER_COLUMNS);
  const schema = rowSchema(opts.timeZone ?? 'Asia/Shanghai', new RegExp(`^(?:${opts.orderNumberPattern ?? 'SD\\d{10}'})$`));
  const report: ImportReport = { kind: 'orders', total: 0, imported: 0, unchanged: 0, failed: [] };
  const groups = new Map<string, GroupLine[]>();
  for (const raw of rows) {
    const number = raw.cells.order_number;
    const parsed = raw.cells.__extra ? undefined : schema.safeParse(raw.cells);
    const error = parsed === undefined ? `${raw.cells.__extra} more cell(s) than the header has columns` : parsed.success ? undefined : firstIssue(parsed.error.issues);
    if (!number) { report.total++; report.failed.push({ line: raw.line, reason: error ?? 'order_number is required' }); continue; }
    const entry: GroupLine = { line: raw.line, raw, row: parsed?.success ? parsed.data : undefined, error };
    groups.set(number, [...(groups.get(number) ?? []), entry]);
  }
  report.total += groups.size;
  const progress = progressReporter(groups.size, opts.onProgress);
  const products = new Map((await db.product.findMany({ select: { id: true, sku: true, nameZh: true, nameEn: true, priceCents: true } })).map((p) => [p.sku, p]));
  let done = 0;
  for (const [number, lines] of groups) {
    progress(++done);
    const bad = lines.filter((l) => l.error !== undefined);
    if (bad.length > 0) {
      for (const l of bad) report.failed.push({ line: l.line, reason: `${l.error}; order ${number} not imported` });
      continue;
    }
    const draft = await buildOrder(db, number, lines as Required<GroupLine>[], products);
    if ('failure' in draft) { report.failed.push(draft.failure); continue; }
    const outcome = await writeOrder(db, draft);
    if (outcome === 'imported') report.imported++;
    else if (outcome === 'unchanged') report.unchanged++;
    else report.failed.push({ line: lines[0].line, reason: outcome.reason });
  }
  report.failed.sort((a, b) => a.line - b.line);
  return report;
}

async function writeOrder(db: Db, d: OrderDraft): Promise<'imported' | 'unchanged' | { reason: string }> {
  const existing = await db.order.findUnique({ where: { orderNumber: d.order.orderNumber }, include: { items: true } });
  if (existing) {
    return sameOrder(existing, d) ? 'unchanged' : { reason: `order ${d.order.orderNumber} already exists with different content; the import does not change existing orders` };
  }
  const milestones: [string, Date | null][] = [['created', d.order.placedAt], ['paid', d.order.paidAt], ['shipped', d.order.shippedAt], ['delivered', d.order.deliveredAt]];
  await db.$transaction(async (tx) => {
    await tx.order.create({
      data: {
        ...d.order, createdAt: d.order.placedAt,
        items: { create: d.items },
        events: { create: milestones.flatMap(([type, at]) => (at ? [{ type, at, detail: 'imported' }] : [])) },
      },
    });
  });
  return 'imported';
}
