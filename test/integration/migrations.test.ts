import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database-client.js';
import { listMigrations, migrate, migrationStatus } from '../../src/db/migrator.js';
import { TEST_PG_URL, TEST_PROVIDER } from '../factories/test-database.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function emptyDatabase(): Promise<Database> {
  const id = randomUUID().replace(/-/g, '').slice(0, 10);
  if (TEST_PROVIDER === 'sqlite') {
    const file = join(tmpdir(), `shopdesk-mig-${id}.db`);
    const d = await openDatabase({ provider: 'sqlite', url: `file:${file}` });
    cleanups.push(async () => { await d.close(); for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true }); });
    return d;
  }
  const name = `shopdesk_mig_${id}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const d = await openDatabase({ provider: 'postgres', url: TEST_PG_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`) });
  cleanups.push(async () => {
    await d.close();
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  return d;
}

async function smoke(d: Database): Promise<void> {
  const c = await d.db.customer.create({ data: { name: '测试' } });
  await d.db.identity.create({ data: { customerId: c.id, channel: 'web', externalId: `v-${c.id}` } });
  await d.db.order.create({ data: { orderNumber: `SD${String(c.id).padStart(10, '0')}`, customerId: c.id, status: 'paid', subtotalCents: 1, totalCents: 1, placedAt: new Date() } });
  expect(await d.db.order.count()).toBeGreaterThan(0);
}

describe(`migrations on ${TEST_PROVIDER}`, () => {
  it('take an empty database to the current schema, and running them again changes nothing', async () => {
    const d = await emptyDatabase();
    expect((await migrationStatus(d)).current).toBe(false);
    const applied = await migrate(d);
    expect(applied).toEqual(listMigrations(d.provider).map((m) => m.name));
    expect(await migrate(d)).toEqual([]);
    expect(await migrationStatus(d)).toMatchObject({ current: true, pending: [] });
    await smoke(d);
  });

  it('upgrade a database from every earlier migration', async () => {
    const all = listMigrations(TEST_PROVIDER);
    for (let k = 1; k < all.length; k++) {
      const d = await emptyDatabase();
      await migrate(d, all.slice(0, k));
      expect((await migrationStatus(d)).pending).toEqual(all.slice(k).map((m) => m.name));
      expect(await migrate(d)).toEqual(all.slice(k).map((m) => m.name));
      await smoke(d);
    }
    expect(all.length).toBeGreaterThanOrEqual(1);
  });
});
