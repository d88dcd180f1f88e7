import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSegmentsCommand } from '../../src/cli/segments-command.js';
import { buildCustomer, buildOrder, buildProduct } from '../factories/shop-builders.js';
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from '../factories/test-database.js';

let t: TestDatabase;

function program(out: string[]): Command {
  const p = new Command('shopdesk').exitOverride();
  registerSegmentsCommand(p, { openDb: async () => ({ db: t.db, close: async () => undefined }), timeZone: 'Asia/Shanghai', print: (s) => out.push(s) });
  return p;
}

beforeAll(async () => {
  t = await createTestDatabase();
  const product = await buildProduct(t.db, { priceCents: 3000 });
  const buyer = await buildCustomer(t.db);
  await buildCustomer(t.db);
  await buildOrder(t.db, { customerId: buyer.id, status: 'completed', placedAt: new Date('2025-06-28T02:00:00Z'), items: [{ productId: product.id, quantity: 1 }] });
});

afterAll(async () => {
  await t?.destroy();
});

describe(`shopdesk segments recompute (${TEST_PROVIDER})`, () => {
  it('prints the counts per segment and lifecycle stage', async () => {
    const out: string[] = [];
    await program(out).parseAsync(['node', 'shopdesk', 'segments', 'recompute', '--now', '2025-06-30T12:00:00+08:00']);
    const text = out.join('\n');
    expect(text).toContain('1 customers scored as of 2025-06-30T04:00:00.000Z (Asia/Shanghai)');
    expect(text).toMatch(/new_customers\s+1\s+新客户 \/ New Customers/);
    expect(text).toMatch(/unscored\s+1/);
    expect(text).toMatch(/lead\s+1/);
    expect(text).toMatch(/new\s+1/);
  });

  it('prints JSON with --json', async () => {
    const out: string[] = [];
    await program(out).parseAsync(['node', 'shopdesk', 'segments', 'recompute', '--now', '2025-06-30T12:00:00+08:00', '--json']);
    const json = JSON.parse(out[0]) as { scored: number; rfm: Record<string, number>; lifecycle: Record<string, number> };
    expect([json.scored, json.rfm.new_customers, json.lifecycle.lead]).toEqual([1, 1, 1]);
  });

  it('rejects a --now that is not an instant', async () => {
    await expect(program([]).parseAsync(['node', 'shopdesk', 'segments', 'recompute', '--now', 'yesterday'])).rejects.toThrow(/--now must be an ISO-8601 instant/);
  });
});
