import type { Command } from 'commander';
import { z } from 'zod';
import {
  averageOrderValue, customersByRegion, customersBySegment, dormantCustomers, newVsReturningCustomers, orderCount,
  periodRange, PERIODS, refundRate, repurchaseRate, revenue, revenueByDay, topProducts,
} from '../crm/analytics/index.js';
import { AppError } from '../shared/app-error.js';
import { parseNow, type CliDbDeps } from './segments-command.js';

const optionsSchema = z.object({
  period: z.enum(PERIODS).default('last_30_days'),
  limit: z.coerce.number().int().min(1).max(100).default(5),
  dormantDays: z.coerce.number().int().min(1).max(3650).default(90),
  now: z.string().optional(),
  json: z.boolean().optional(),
});

const money = (cents: number) => (cents / 100).toFixed(2);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Adds `analytics`: the shop's figures for one named period in the shop's zone. */
export function registerAnalyticsCommand(program: Command, deps: CliDbDeps): void {
  const print = deps.print ?? ((text: string) => console.log(text));
  program.command('analytics')
    .description('sales and customer figures for a period (in SHOP_TIMEZONE)')
    .option('--period <period>', `one of ${PERIODS.join(', ')}`, 'last_30_days')
    .option('--limit <n>', 'top products to list', '5')
    .option('--dormant-days <n>', 'no order for this many days counts as dormant', '90')
    .option('--now <instant>', 'treat this ISO-8601 instant as now (default: now)')
    .option('--json', 'print every figure as JSON')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) {
        const msg = parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ');
        throw new AppError('VALIDATION_FAILED', msg, { userMessage: msg });
      }
      const opts = parsed.data;
      const now = parseNow(opts.now);
      const tz = { timeZone: deps.timeZone };
      const range = periodRange(opts.period, now, deps.timeZone);
      // Dormancy is judged as of the period's end, or now if the period runs into the future.
      const asOf = new Date(Math.min(range.to.getTime(), now.getTime()));
      const { db, close } = await deps.openDb();
      try {
        const figures = {
          period: opts.period, timeZone: deps.timeZone, from: range.from.toISOString(), to: range.to.toISOString(),
          revenue: await revenue(db, range, tz),
          orders: await orderCount(db, range, tz),
          averageOrderValue: await averageOrderValue(db, range, tz),
          refunds: await refundRate(db, range, tz),
          customers: await newVsReturningCustomers(db, range, tz),
          repurchase: await repurchaseRate(db, range, tz),
          topProducts: await topProducts(db, range, { ...tz, limit: opts.limit, by: 'revenue' }),
          dormant: await dormantCustomers(db, { asOf, days: opts.dormantDays, sampleSize: 0 }),
          segments: await customersBySegment(db),
          regions: await customersByRegion(db, range, tz),
          byDay: await revenueByDay(db, range, tz),
        };
        if (opts.json) {
          print(JSON.stringify(figures, null, 2));
          return;
        }
        const f = figures;
        const lines = [
          `${f.period} (${f.timeZone}): ${f.from} – ${f.to}`,
          `revenue      net ${money(f.revenue.netCents)}  gross ${money(f.revenue.grossCents)}  refunded ${money(f.revenue.refundedCents)}`,
          `orders       ${f.orders.saleOrders} sales of ${f.orders.allOrders} placed  (avg net ${money(f.averageOrderValue.netCents)}, gross ${money(f.averageOrderValue.grossCents)})`,
          `refunds      ${pct(f.refunds.amountRate)} of gross; ${f.refunds.ordersWithRefund} orders (${pct(f.refunds.orderRate)})`,
          `customers    ${f.customers.customers} buyers: ${f.customers.newCustomers} new, ${f.customers.returningCustomers} returning; repurchase rate ${pct(f.repurchase.rate)}`,
          `dormant      ${f.dormant.count} customers without an order in ${opts.dormantDays} days`,
          'top products:',
          ...f.topProducts.map((p, i) => `  ${i + 1}. ${p.sku} ${p.nameZh} / ${p.nameEn}  ×${p.quantity}  ${money(p.revenueCents)}`),
          'segments:',
          ...f.segments.filter((s) => s.customers > 0).map((s) => `  ${(s.segment ?? 'unscored').padEnd(20)} ${String(s.customers).padStart(7)}  ${s.nameZh} / ${s.nameEn}`),
          'regions:',
          ...f.regions.slice(0, 10).map((r) => `  ${(r.region ?? '(unknown)').padEnd(12)} ${String(r.customers).padStart(7)} customers  ${String(r.buyers).padStart(6)} buyers  ${money(r.revenueCents)}`),
          'by day:',
          ...f.byDay.map((d) => `  ${d.date}  ${String(d.orders).padStart(5)} orders  ${money(d.revenueCents)}`),
        ];
        print(lines.join('\n'));
      } finally {
        await close();
      }
    });
}
