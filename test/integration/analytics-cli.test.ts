import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAnalyticsCommand } from '../../src/cli/analytics-command.js';
import { buildCustomer, buildOrder, buildProduct } from '../factories/shop-builders.js';
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from '../factories/test-database.js';

let t: TestDatabase;

function program(out: string[]): Command {
  const p = new Command('shopdesk').exitOverride();
  registerAnalyticsCommand(p, { openDb: async () => ({ db: t.db, close: async () => undefined }), timeZone: 'Asia/Shanghai', print: (s) => out.push(s) });
  return p;
}

// Now is Wed 2025-03-19 12:00 in Shanghai; "last_week" is Mon 03-10 … Sun 03-16.
const NOW = '2025-03-19T12:00:00+08:00';

beforeAll(async () => {
  t = await createTestDatabase();
  const tea = await buildProduct(t.db, { sku: 'TEA-9', nameZh: '红茶', nameEn: 'Black tea', priceCents: 4000 });
  const a = await buildCustomer(t.db, { region: '江苏' });
  const b = await buildCustomer(t.db, { region: '江苏' });
  await buildOrder(t.db, { customerId: a.id, status: 'completed', placedAt: new Date('2025-03-10T00:00:00+08:00'), items: [{ productId: tea.id, quantity: 2 }], refundedCents: 2000 });
  await buildOrder(t.db, { customerId: b.id, status: 'paid', placedAt: new Date('2025-03-16T23:59:59+08:00'), items: [{ productId: tea.id, quantity: 1 }] });
  await buildOrder(t.db, { customerId: b.id, status: 'cancelled', placedAt: new Date('2025-03-12T10:00:00+08:00'), items: [{ productId: tea.id, quantity: 5 }] });
  await buildOrder(t.db, { customerId: a.id, status: 'paid', placedAt: new Date('2025-03-17T00:00:00+08:00'), items: [{ productId: tea.id, quantity: 1 }] });
});

afterAll(async () => {
  await t?.destroy();
});

describe(`shopdesk analytics (${TEST_PROVIDER})`, () => {
  it('prints the figures of a named period', async () => {
    const out: string[] = [];
    await program(out).parseAsync(['node', 'shopdesk', 'analytics', '--period', 'last_week', '--now', NOW]);
    const text = out.join('\n');
    expect(text).toContain('last_week (Asia/Shanghai): 2025-03-09T16:00:00.000Z – 2025-03-16T16:00:00.000Z');
    expect(text).toContain('revenue      net 100.00  gross 120.00  refunded 20.00');
    expect(text).toContain('orders       2 sales of 3 placed  (avg net 50.00, gross 60.00)');
    expect(text).toContain('customers    2 buyers: 2 new, 0 returning; repurchase rate 0.0%');
    expect(text).toContain('1. TEA-9 红茶 / Black tea  ×3  120.00');
    expect(text).toMatch(/2025-03-10\s+1 orders\s+60\.00/);
    expect(text).toMatch(/2025-03-16\s+1 orders\s+40\.00/);
  });

  it('prints JSON with --json', async () => {
    const out: string[] = [];
    await program(out).parseAsync(['node', 'shopdesk', 'analytics', '--period', 'this_week', '--now', NOW, '--json']);
    const json = JSON.parse(out[0]) as { revenue: { netCents: number }; byDay: unknown[]; repurchase: { rate: number } };
    expect([json.revenue.netCents, json.byDay.length, json.repurchase.rate]).toEqual([4000, 7, 1]);
  });

  it('rejects an unknown period', async () => {
    await expect(program([]).parseAsync(['node', 'shopdesk', 'analytics', '--period', 'fortnight'])).rejects.toThrow(/--period/);
  });
});
