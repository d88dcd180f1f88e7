import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestChannelRouter } from '../../src/channels/rest/rest-channel-router.js';
import { storageReadiness } from '../../src/db/storage-readiness.js';
import { createHttpApp, listen } from '../../src/http/http-server.js';
import { createHarness, type Harness } from '../factories/engine-harness.js';
import { createTestDatabase, TEST_PG_URL } from '../factories/test-database.js';

let h: Harness | undefined;
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
  await h?.queue.close();
  h = undefined;
});

async function serve(harness: Harness, readiness: Parameters<typeof createHttpApp>[0]['readiness']): Promise<string> {
  const app = createHttpApp({ readiness, routers: [createRestChannelRouter({ sink: harness.engine, replyTimeoutMs: 5_000 })] });
  server = await listen(app, '127.0.0.1', 0);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('a database outage over HTTP', () => {
  it('answers 503 with a clear message, not 500, while PostgreSQL is gone; /readyz is 503 too', async () => {
    const database = await createTestDatabase('postgres');
    h = await createHarness({ seed: false, database });
    const storage = storageReadiness({ database, dataDir: tmpdir(), minFreeBytes: 0, cacheMs: 0 });
    const url = await serve(h, async () => {
      const checks = await storage();
      return { ready: Object.values(checks).every((c) => c.ok), checks };
    });
    const post = () => fetch(`${url}/api/channels/rest/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sender: 'outage-test', text: '运费怎么算' }) });
    expect((await post()).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    // the database disappears under the running app (the server is gone for this database)
    const name = new URL(database.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();

    const res = await post();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('DB_UNAVAILABLE');
    expect(body.error.message).toMatch(/temporarily unavailable/);
    expect(body.error.message).not.toMatch(/postgres|prisma|127\.0\.0\.1/i);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, { ok: boolean }> }).checks.databaseWrite.ok).toBe(false);
    await database.close().catch(() => undefined);
  });
});

describe('/readyz and the data disk', () => {
  it('is not ready while free space is below the floor, and ready again once there is room', async () => {
    const database = await createTestDatabase();
    try {
      const full = storageReadiness({ database, dataDir: tmpdir(), minFreeBytes: Number.MAX_SAFE_INTEGER, cacheMs: 0 });
      const checks = await full();
      expect(checks.disk.ok).toBe(false);
      expect(checks.disk.detail).toMatch(/disk almost full/);
      const roomy = storageReadiness({ database, dataDir: tmpdir(), minFreeBytes: 1024, cacheMs: 0 });
      expect(await roomy()).toEqual({ disk: { ok: true }, databaseWrite: { ok: true } });
    } finally {
      await database.destroy();
    }
  });
});
