import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { loadConfig, type Config } from '../config/config.js';
import type { Db } from '../db/database-client.js';
import { isAppError } from '../shared/app-error.js';
import { registerSeedCommand } from './seed-command.js';
import { registerImportCommand } from './import-command.js';
import { registerSegmentsCommand } from './segments-command.js';
import { registerAnalyticsCommand } from './analytics-command.js';
import { registerNluCommands } from './nlu-command.js';
import { registerNluReviewCommand } from './nlu-review-command.js';
import { registerKbCommands } from './kb-command.js';
import { registerChatCommand } from './chat-command.js';
import { registerCustomerCommand } from './customer-command.js';
import { registerTicketCommand } from './ticket-command.js';
import { registerStartCommand } from './start-command.js';
import { registerStaffCommand } from './staff-command.js';
import { registerDeskCommand } from './desk-command.js';
import { registerAskCommand } from './ask-command.js';
import { registerChannelsCommand } from './channels-command.js';
import { registerFlowsCommand } from './flows-command.js';

// Commands import what they use when they run (`--help` loads no database client, NLU or CRM).
const dbModules = () => Promise.all([import('../db/database-client.js'), import('../db/migrator.js')]).then(([client, migrator]) => ({ ...client, ...migrator }));

/** Opens and migrates the configured database for one-shot commands. */
async function openDb() {
  const config = loadConfig();
  const { openDatabase, migrate } = await dbModules();
  const database = await openDatabase(config.database);
  try {
    await migrate(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  return { db: database.db, provider: database.provider, close: () => database.close() };
}

export function buildProgram(): Command {
  const program = new Command('shopdesk')
    .description('Chat-first customer-service desk and CRM for online shops')
    .showHelpAfterError()
    .exitOverride();
  let config: Config | undefined;
  const env = (): Config => (config ??= loadConfig());
  registerStartCommand(program);

  const db = program.command('db').description('database maintenance');
  db.command('migrate').description('apply pending migrations to DATABASE_URL').action(async () => {
    const config = loadConfig();
    const { openDatabase, migrate } = await dbModules();
    const database = await openDatabase(config.database);
    try {
      const applied = await migrate(database);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } finally {
      await database.close();
    }
  });
  db.command('status').description('show applied and pending migrations').action(async () => {
    const config = loadConfig();
    const { openDatabase, migrationStatus } = await dbModules();
    const database = await openDatabase(config.database);
    try {
      const s = await migrationStatus(database);
      console.log(`provider: ${database.provider}\napplied: ${s.applied.join(', ') || '-'}\npending: ${s.pending.join(', ') || '-'}`);
      if (!s.current) process.exitCode = 1;
    } finally {
      await database.close();
    }
  });

  const timeZone = env().shop.timeZone;
  const recompute = async (d: Db): Promise<void> => {
    const { recomputeSegments } = await import('../crm/segments/index.js');
    await recomputeSegments(d, { now: new Date(), timeZone });
  };
  registerSeedCommand(program, { openDb, afterSeed: recompute, timeZone });
  registerImportCommand(program, {
    openDb,
    importOptions: { timeZone, orderNumberPattern: env().shop.orderNumberPattern },
    // RFM quintiles and lifecycle stages depend on every order: recompute when orders arrived
    afterImport: async (d, kind, report) => {
      if (kind === 'orders' && report.imported > 0) await recompute(d);
    },
  });
  registerSegmentsCommand(program, { openDb, timeZone: env().shop.timeZone });
  registerAnalyticsCommand(program, { openDb, timeZone: env().shop.timeZone });
  const kbDir = resolve(env().kbDir);
  const nlu = registerNluCommands(program, { intentsDir: join(kbDir, 'intents'), cacheDir: join(resolve(env().dataDir), 'cache'), orderNumberPattern: env().shop.orderNumberPattern });
  registerNluReviewCommand(nlu, { openDb, intentsDir: join(kbDir, 'intents'), cacheDir: join(resolve(env().dataDir), 'cache'), heldOutDir: resolve(import.meta.dirname, '..', '..', 'test', 'data', 'nlu') });
  registerKbCommands(program, { kbDir: join(kbDir, 'faq') });
  registerCustomerCommand(program, { openDb });
  registerTicketCommand(program, { openDb });
  registerChatCommand(program);
  registerStaffCommand(program, { openDb, deskUrl: () => env().cli.url, sessionHours: () => env().desk.sessionHours });
  registerDeskCommand(program, { openDb, url: () => env().cli.url, token: () => env().cli.staffToken });
  registerAskCommand(program, { openDb, config: env });
  registerChannelsCommand(program, { url: () => env().cli.url, openDb });
  registerFlowsCommand(program);
  return program;
}

/** Runs the CLI; every failure becomes one clear line on stderr and a non-zero exit, never a stack trace. */
export async function main(argv: string[]): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (isAppError(err)) {
      console.error(`shopdesk: ${err.userMessage ?? err.message}`);
      process.exitCode = 1;
      return;
    }
    console.error(`shopdesk: unexpected error: ${(err as Error)?.message ?? String(err)}`);
    if (process.env.LOG_LEVEL === 'debug') console.error(err);
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv);
