import { InvalidArgumentError, type Command } from 'commander';
import type { Db } from '../db/database-client.js';
import type { SeedSummary } from '../crm/seed/index.js';
import { printError, progressBar, type CliDbDeps } from './import-command.js';

const whole = (name: string, min: number) => (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}`);
  return n;
};

export function formatSeedSummary(s: SeedSummary): string {
  return [
    `Seeded the demo shop in ${(s.elapsedMs / 1000).toFixed(1)} s${s.singleTransaction ? '' : ' (committed in batches)'}:`,
    `  ${s.customers} customers (${s.identities} identities), ${s.products} products, ${s.staff} staff`,
    `  ${s.orders} orders, ${s.orderItems} items, ${s.orderEvents} order events`,
    `  ${s.tickets} tickets, ${s.ticketEvents} ticket events`,
    '  Demo personas: 张三 13800138000, Alice Smith alice@example.com, 李四 13900139000',
    '',
  ].join('\n');
}

/** `shopdesk seed [--customers N] [--orders M] [--seed S] [--months K] [--force]`: fills the database with the demo shop. */
export function registerSeedCommand(program: Command, deps: CliDbDeps & { afterSeed?: (db: Db) => Promise<void>; timeZone?: string }): Command {
  return program
    .command('seed')
    .description('Fill the database with a deterministic demo shop (customers, products, orders, tickets, demo personas)')
    .option('--customers <n>', 'number of generated customers', whole('--customers', 1), 2000)
    .option('--orders <n>', 'number of generated orders', whole('--orders', 0), 10_000)
    .option('--seed <n>', 'random seed: the same seed gives the same shop', whole('--seed', 0), 42)
    .option('--months <n>', 'months of order history', whole('--months', 1), 18)
    .option('--force', 'wipe existing shop data first (customers, orders, tickets, conversations)', false)
    .action(async (o: { customers: number; orders: number; seed: number; months: number; force: boolean }) => {
      const bar = progressBar();
      let handle: Awaited<ReturnType<CliDbDeps['openDb']>> | undefined;
      try {
        handle = await deps.openDb();
        const { seedShop } = await import('../crm/seed/index.js');
        const summary = await seedShop(handle.db, {
          customers: o.customers, orders: o.orders, seed: o.seed, months: o.months, force: o.force, timeZone: deps.timeZone,
          afterSeed: deps.afterSeed, onProgress: (d, t) => bar.update(d, t),
        });
        bar.end();
        process.stdout.write(formatSeedSummary(summary));
      } catch (err) {
        bar.end();
        printError('Seeding failed', err);
        process.exitCode = 1;
      } finally {
        await handle?.close().catch(() => undefined);
      }
    });
}
