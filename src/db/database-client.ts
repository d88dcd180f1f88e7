import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { PrismaPg } from '@prisma/adapter-pg';
import type { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { AppError } from '../shared/app-error.js';
import { redactUrl } from '../shared/logger.js';

/**
 * The database handle every CRM service takes. Both generated clients come from one model
 * (prisma/models.prisma), so the SQLite client's type describes the PostgreSQL client too;
 * test/integration/schema-drift.test.ts fails if the two ever differ.
 */
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
export type DbProvider = 'sqlite' | 'postgres';

export interface Database {
  db: Db;
  provider: DbProvider;
  /** Connection URL without credentials, for messages. */
  displayUrl: string;
  /** A fresh adapter factory on the same database, for the schema engine (migrations). */
  newAdapterFactory(): PrismaBetterSqlite3 | PrismaPg;
  close(): Promise<void>;
}

export function sqlitePath(url: string): string {
  const path = url.replace(/^file:/, '').replace(/\?.*$/, '');
  return path === ':memory:' ? path : resolve(path);
}

/**
 * Opens the configured database. Fails with a clear AppError (never a stack trace) when it cannot.
 * Only the chosen provider's client and driver are loaded (each costs a few hundred ms to import,
 * which one-shot CLI commands notice).
 */
export async function openDatabase(cfg: { provider: DbProvider; url: string }): Promise<Database> {
  return cfg.provider === 'sqlite' ? openSqlite(cfg.url) : openPostgres(cfg.url);
}

async function openSqlite(url: string): Promise<Database> {
  const [{ default: Sqlite }, { PrismaBetterSqlite3: Adapter }, { PrismaClient }] = await Promise.all([
    import('better-sqlite3'), import('@prisma/adapter-better-sqlite3'), import('./generated/sqlite/client.js'),
  ]);
  const path = sqlitePath(url);
  if (path !== ':memory:') {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw new AppError('DB_READ_ONLY', `Cannot create the database folder ${dirname(path)}: ${(err as Error).message}`, { cause: err });
    }
  }
  preflightSqlite(Sqlite, path);
  const newAdapterFactory = () => new Adapter({ url: path, timeout: 5000 });
  const db = new PrismaClient({ adapter: newAdapterFactory() });
  return { db, provider: 'sqlite', displayUrl: `file:${path}`, newAdapterFactory, close: () => db.$disconnect() };
}

/**
 * Checks the file is writable and not held by another writer, and switches it to WAL, which
 * keeps the database consistent if the process dies mid-write. The setting persists in the file.
 */
function preflightSqlite(Sqlite: typeof BetterSqlite3, path: string): void {
  let conn: BetterSqlite3.Database | undefined;
  try {
    conn = new Sqlite(path, { timeout: 2000 });
    conn.pragma('journal_mode = WAL');
    conn.exec('BEGIN IMMEDIATE; COMMIT;');
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new AppError('DB_LOCKED', `The database file ${path} is locked by another process. Stop the other shopdesk (or tool) using it and try again.`, { cause: err });
    }
    if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY')) {
      throw new AppError('DB_READ_ONLY', `The database file ${path} cannot be written (${code}). Check its permissions and those of its folder.`, { cause: err });
    }
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new AppError('DB_UNAVAILABLE', `${path} is not a valid SQLite database (${code}).`, { cause: err });
    }
    throw new AppError('DB_UNAVAILABLE', `Cannot open the database ${path}: ${(err as Error).message}`, { cause: err });
  } finally {
    conn?.close();
  }
}

async function openPostgres(url: string): Promise<Database> {
  const [{ PrismaPg: Adapter }, { PrismaClient }] = await Promise.all([import('@prisma/adapter-pg'), import('./generated/postgres/client.js')]);
  // keepAlive and a client-side query timeout: a connection cut without a FIN (a server or
  // network dying) must fail its query and leave the pool, not hold a pool slot forever
  const newAdapterFactory = () => new Adapter({ connectionString: url, connectionTimeoutMillis: 5000, max: 10, keepAlive: true, query_timeout: 60_000 });
  const db = new PrismaClient({ adapter: newAdapterFactory() }) as unknown as Db;
  try {
    await db.$queryRawUnsafe('SELECT 1');
  } catch (err) {
    await db.$disconnect().catch(() => undefined);
    throw new AppError('DB_UNAVAILABLE', `PostgreSQL at ${redactUrl(url)} is not reachable: ${(err as Error).message}. Is it running, and is DATABASE_URL right?`, { cause: err, retryable: true });
  }
  return { db, provider: 'postgres', displayUrl: redactUrl(url), newAdapterFactory, close: () => db.$disconnect() };
}
