import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database-client.js';
import { migrate } from '../../src/db/migrator.js';

/** The provider integration tests run on: `SHOPDESK_TEST_DB=postgres` switches the same suite to PostgreSQL. */
export const TEST_PROVIDER: 'sqlite' | 'postgres' = process.env.SHOPDESK_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
export const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends Database { url: string; destroy(): Promise<void> }

/** A fresh, migrated database of its own: a temp SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(provider = TEST_PROVIDER): Promise<TestDatabase> {
  const id = randomUUID().replace(/-/g, '').slice(0, 12);
  if (provider === 'sqlite') {
    const file = join(tmpdir(), `shopdesk-test-${id}.db`);
    const database = await openDatabase({ provider, url: `file:${file}` });
    await migrate(database);
    return {
      ...database,
      url: `file:${file}`,
      destroy: async () => {
        await database.close();
        for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
      },
    };
  }
  const name = `shopdesk_test_${id}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = TEST_PG_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  const database = await openDatabase({ provider, url });
  await migrate(database);
  return {
    ...database,
    url,
    destroy: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
