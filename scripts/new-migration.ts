/**
 * `npm run db:migration -- <name>`: after editing prisma/models.prisma, writes the next migration
 * for BOTH providers. It regenerates the provider schemas and clients, diffs each provider's
 * schema against the snapshot taken at its last migration (SQLite: in memory; PostgreSQL: any
 * reachable server, MIGRATION_PG_URL, default the local one; nothing is changed in it), writes
 * prisma/migrations/<provider>/<NNNN>_<name>/migration.sql and updates the snapshot.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { diffSchemas, listMigrations, migrationsDir, PROJECT_ROOT, schemaFile } from '../src/db/migrator.js';
import type { DbProvider } from '../src/db/database-client.js';

const name = (process.argv[2] ?? '').trim();
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name_in_snake_case>');
  process.exit(2);
}
execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts/prisma-generate.mjs')], { stdio: 'inherit' });

const factories: Record<DbProvider, PrismaBetterSqlite3 | PrismaPg> = {
  sqlite: new PrismaBetterSqlite3({ url: ':memory:' }),
  // the wasm engine opens a connection at start even to diff two files: any reachable server will do
  postgres: new PrismaPg({ connectionString: process.env.MIGRATION_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' }),
};

for (const provider of ['sqlite', 'postgres'] as const) {
  const snapshotPath = join(migrationsDir(provider), 'schema.snapshot.prisma');
  const previous = existsSync(snapshotPath) ? readFileSync(snapshotPath, 'utf8') : null;
  const current = readFileSync(schemaFile(provider), 'utf8');
  const sql = await diffSchemas({ newAdapterFactory: () => factories[provider] }, previous, current);
  if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
    console.log(`${provider}: no changes since the last migration`);
    continue;
  }
  const next = String(listMigrations(provider).length + 1).padStart(4, '0');
  const dir = join(migrationsDir(provider), `${next}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration.sql'), sql);
  writeFileSync(snapshotPath, current);
  console.log(`${provider}: wrote ${dir}/migration.sql`);
}
