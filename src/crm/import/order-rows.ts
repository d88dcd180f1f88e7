import type { Db } from '../../db/database-client.js';
import type { OrderStatus } from '../crm-constants.js';
import type { OrderRow } from './order-import.js';
import type { CsvRow } from './csv-reader.js';

export interface OrderDraft {
  order: {
    orderNumber: string; customerId: number; status: OrderStatus; currency: string; subtotalCents: number; shippingCents: number;
    discountCents: number; totalCents: number; paymentMethod: string | null; carrier: string | null; trackingNumber: string | null;
    shipName: string | null; shipPhone: string | null; shipRegion: string | null; shipCity: string | null; shipAddress: string | null;
    placedAt: Date; paidAt: Date | null; shippedAt: Date | null; deliveredAt: Date | null;
  };
  items: { productId: number; sku: string; name: string; quantity: number; unitPriceCents: number; totalCents: number }[];
}

/** Columns that describe the order (repeated on each of its item rows, and required to agree). */
const ORDER_LEVEL = [
  'order_number', 'customer_ref', 'customer_phone', 'customer_email', 'status', 'currency', 'placed_at', 'paid_at', 'shipped_at', 'delivered_at',
  'payment_method', 'carrier', 'tracking_number', 'ship_name', 'ship_phone', 'ship_region', 'ship_city', 'ship_address', 'shipping_fee', 'discount',
] as const;

type Product = { id: number; sku: string; nameZh: string; nameEn: string; priceCents: number };
type Failure = { failure: { line: number; reason: string } };

const SHIPPED: readonly OrderStatus[] = ['shipped', 'delivered', 'completed'];
const DELIVERED: readonly OrderStatus[] = ['delivered', 'completed'];

/** Checks one order's rows agree and make sense together, resolves its customer and SKUs, and computes its totals. */
export async function buildOrder(db: Db, number: string, lines: { line: number; raw: CsvRow; row: OrderRow }[], products: ReadonlyMap<string, Product>): Promise<OrderDraft | Failure> {
  const fail = (line: number, reason: string): Failure => ({ failure: { line, reason: `${reason}; order ${number} not imported` } });
  const first = lines[0];
  for (const l of lines.slice(1)) {
    const column = ORDER_LEVEL.find((c) => (l.raw.cells[c] ?? '') !== (first.raw.cells[c] ?? ''));
    if (column) return fail(l.line, `${column} "${l.raw.cells[column]}" differs from "${first.raw.cells[column]}" on line ${first.line} (same order_number, conflicting order)`);
  }
  const skuLine = new Map<string, number>();
  for (const l of lines) {
    if (!products.has(l.row.sku)) return fail(l.line, `unknown sku "${l.row.sku}"`);
    const dup = skuLine.get(l.row.sku);
    if (dup !== undefined) return fail(l.line, `sku "${l.row.sku}" appears twice in the order (also on line ${dup})`);
    skuLine.set(l.row.sku, l.line);
  }
  const o = first.row;
  const customer = await resolveCustomer(db, o);
  if (typeof customer === 'string') return fail(first.line, customer);
  const placedAt = o.placed_at as Date;
  const status = o.status as OrderStatus;
  const timeProblem = checkTimes(status, placedAt, o.paid_at, o.shipped_at, o.delivered_at);
  if (timeProblem) return fail(first.line, timeProblem);

  const items = lines.map(({ row }) => {
    const p = products.get(row.sku) as Product;
    const unitPriceCents = row.unit_price ?? p.priceCents;
    const quantity = row.quantity as number;
    return { productId: p.id, sku: p.sku, name: customer.locale.startsWith('en') ? p.nameEn : p.nameZh, quantity, unitPriceCents, totalCents: quantity * unitPriceCents };
  });
  const subtotalCents = items.reduce((s, i) => s + i.totalCents, 0);
  const shippingCents = o.shipping_fee ?? 0;
  const discountCents = o.discount ?? 0;
  if (discountCents > subtotalCents + shippingCents) return fail(first.line, `discount ${discountCents / 100} is more than the order's subtotal plus shipping`);
  return {
    order: {
      orderNumber: number, customerId: customer.id, status, currency: o.currency ?? 'CNY', subtotalCents, shippingCents, discountCents,
      totalCents: subtotalCents + shippingCents - discountCents, paymentMethod: o.payment_method ?? null, carrier: o.carrier ?? null,
      trackingNumber: o.tracking_number ?? null, shipName: o.ship_name ?? null, shipPhone: o.ship_phone ?? null, shipRegion: o.ship_region ?? null,
      shipCity: o.ship_city ?? null, shipAddress: o.ship_address ?? null, placedAt, paidAt: o.paid_at ?? null, shippedAt: o.shipped_at ?? null,
      deliveredAt: o.delivered_at ?? null,
    },
    items,
  };
}

async function resolveCustomer(db: Db, o: OrderRow): Promise<{ id: number; locale: string } | string> {
  const tries: [string, string | undefined, string][] = [['shop', o.customer_ref, 'customer_ref'], ['phone', o.customer_phone, 'customer_phone'], ['email', o.customer_email, 'customer_email']];
  const given = tries.filter(([, v]) => v);
  if (given.length === 0) return 'customer_ref, customer_phone or customer_email is required';
  for (const [channel, externalId, column] of given) {
    const identity = await db.identity.findUnique({ where: { channel_externalId: { channel, externalId: externalId as string } }, include: { customer: { select: { id: true, locale: true } } } });
    if (identity) return identity.customer;
    if (column === 'customer_ref') return `unknown customer_ref "${externalId}"`;
  }
  const [, value, column] = given[given.length - 1];
  return `unknown ${column} "${value}"`;
}

function checkTimes(status: OrderStatus, placed: Date, paid?: Date, shipped?: Date, delivered?: Date): string | undefined {
  if (paid && paid < placed) return 'paid_at is before placed_at';
  if (shipped && shipped < (paid ?? placed)) return 'shipped_at is before paid_at/placed_at';
  if (delivered && (!shipped || delivered < shipped)) return 'delivered_at needs a shipped_at before it';
  if (status === 'pending_payment' && paid) return 'a pending_payment order cannot have paid_at';
  if (SHIPPED.includes(status) && !shipped) return `status ${status} needs shipped_at`;
  if (DELIVERED.includes(status) && !delivered) return `status ${status} needs delivered_at`;
  return undefined;
}

/** Whether an order already stored matches the draft field by field and item by item. */
export function sameOrder(existing: Record<string, unknown> & { items: { sku: string; quantity: number; unitPriceCents: number }[] }, d: OrderDraft): boolean {
  const equal = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : (a ?? null) === (b ?? null));
  if (!(Object.keys(d.order) as (keyof OrderDraft['order'])[]).every((k) => equal(existing[k], d.order[k]))) return false;
  const key = (i: { sku: string; quantity: number; unitPriceCents: number }) => `${i.sku}×${i.quantity}@${i.unitPriceCents}`;
  return existing.items.map(key).sort().join('|') === d.items.map(key).sort().join('|');
}
