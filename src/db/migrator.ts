import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../shared/app-error.js';
import type { Database, DbProvider } from './database-client.js';
import { createSchemaEngine, describe, EMPTY_FILTERS, type WasmSchemaEngine } from './schema-engine.js';

/** Repository root, found from this file whether it runs from src/ (tsx) or dist/ (compiled). */
export const PROJECT_ROOT = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../../', import.meta.url));

export function schemaFile(provider: DbProvider): string {
  return join(PROJECT_ROOT, 'prisma', provider, 'schema.prisma');
}

export function migrationsDir(provider: DbProvider): string {
  return join(PROJECT_ROOT, 'prisma', 'migrations', provider);
}

export interface MigrationDir { name: string; sql: string }

export function listMigrations(provider: DbProvider): MigrationDir[] {
  const dir = migrationsDir(provider);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => ({ name: d.name, sql: readFileSync(join(dir, d.name, 'migration.sql'), 'utf8') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const LOCK_PROVIDER: Record<DbProvider, string> = { sqlite: 'sqlite', postgres: 'postgresql' };

/** Applies every migration in the repo that the database has not recorded yet. Idempotent. */
export async function migrate(database: Database, migrations = listMigrations(database.provider)): Promise<string[]> {
  if (migrations.length === 0) throw new AppError('MIGRATION_FAILED', `No migrations found in ${migrationsDir(database.provider)}`);
  // Nothing pending: no engine. Besides being fast, this lets CLI commands run while shopdesk
  // itself has the SQLite file open (the engine needs the file to itself).
  const status = await migrationStatus(database, migrations);
  if (status.current) return [];
  // The engine needs the SQLite file to itself: an open app connection makes it time out.
  // The client reconnects on its next query.
  if (database.provider === 'sqlite') await database.db.$disconnect();
  return withEngine(database, readFileSync(schemaFile(database.provider), 'utf8'), async (engine) => {
    try {
      const out = await engine.applyMigrations({
        migrationsList: {
          baseDir: migrationsDir(database.provider),
          shadowDbInitScript: '',
          lockfile: { path: 'migration_lock.toml', content: `provider = "${LOCK_PROVIDER[database.provider]}"\n` },
          migrationDirectories: migrations.map((m) => ({
            path: m.name,
            migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.sql } },
          })),
        },
        filters: EMPTY_FILTERS,
      });
      return out.appliedMigrationNames;
    } catch (err) {
      const why = describe(err);
      if (database.provider === 'sqlite' && /SocketTimeout|database is locked|SQLITE_BUSY/i.test(why)) {
        throw new AppError('DB_LOCKED', `Migrations pending (${status.pending.join(', ')}) but ${database.displayUrl} is in use by another process. Stop the running shopdesk and run \`npx shopdesk db migrate\`.`, { cause: err });
      }
      throw new AppError('MIGRATION_FAILED', `Applying migrations to ${database.displayUrl} failed: ${why}`, { cause: err });
    }
  });
}

/**
 * Runs the engine on its own adapter and closes every connection it opened afterwards: the
 * engine keeps them open, and on SQLite an open engine connection would block the app's writes.
 */
async function withEngine<T>(database: Pick<Database, 'newAdapterFactory'>, schema: string, fn: (e: WasmSchemaEngine) => Promise<T>): Promise<T> {
  const inner = database.newAdapterFactory();
  const opened: { dispose(): Promise<void> }[] = [];
  const tracking = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => { const a = await inner.connect(); opened.push(a); return a; },
    connectToShadowDb: async () => { const a = await inner.connectToShadowDb(); opened.push(a); return a; },
  };
  const engine = await createSchemaEngine(schema, tracking);
  try {
    return await fn(engine);
  } finally {
    engine.free?.();
    await Promise.all(opened.map((a) => a.dispose().catch(() => undefined)));
  }
}

export interface MigrationStatus { current: boolean; applied: string[]; pending: string[] }

/** Compares the migrations the database has recorded with those in the repo (used by /readyz). */
export async function migrationStatus(database: Database, migrations = listMigrations(database.provider)): Promise<MigrationStatus> {
  const expected = migrations.map((m) => m.name);
  let rows: { migration_name: string }[] = [];
  try {
    rows = await database.db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
  } catch {
    rows = []; // no migrations table yet: nothing applied
  }
  const applied = rows.map((r) => r.migration_name).sort();
  const pending = expected.filter((n) => !applied.includes(n));
  return { current: pending.length === 0, applied, pending };
}

/** SQL that takes a database from the `from` schema (or empty) to `to`; needs no database. */
export async function diffSchemas(database: Pick<Database, 'newAdapterFactory'>, from: string | null, to: string): Promise<string> {
  return withEngine(database, to, async (engine) => {
    const out = await engine.diff({
      from: from === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: to }] },
      script: true,
      exitCode: null,
      filters: EMPTY_FILTERS,
    });
    return out.stdout ?? '';
  });
}
