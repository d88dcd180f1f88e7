import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startShopdesk } from '../../src/main.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';
import { startWebhookStub } from '../factories/webhook-stub.js';

const ROOT = join(import.meta.dirname, '..', '..');

let db: TestDatabase | undefined;
afterAll(async () => {
  await db?.destroy();
});

describe('a crash between a handoff and its notification', () => {
  it('still delivers exactly one notification after a kill -9 and a restart', async () => {
    db = await createTestDatabase();
    let crashed = false;
    // while the first process runs, the receiver takes the request and never answers
    const stub = await startWebhookStub(() => (crashed ? { status: 200, body: { id: 'posted-after-restart' } } : 'hang'));
    try {
      // node itself with the tsx loader (not the tsx wrapper, whose own child a SIGKILL would orphan)
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'handoff-then-die.ts'), db.url, stub.url, join(ROOT, 'data')], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      // the handoff is committed and its webhook notification is on the wire
      await expect.poll(() => stub.requests.length, { timeout: 60_000, interval: 100 }).toBe(1);
      expect(stub.requests[0].body).toMatchObject({ kind: 'handoff' });
      child.kill('SIGKILL');
      await exited;
      crashed = true;
      const row = await db.db.staffNotification.findFirstOrThrow({ where: { target: 'webhook', kind: 'handoff' } });
      expect(row).toMatchObject({ status: 'pending', platformRef: null });
      expect(await db.db.conversation.findFirstOrThrow({ where: { threadId: 'crash-thread' } })).toMatchObject({ mode: 'waiting' });

      const app = await startShopdesk({
        http: false,
        env: { DATABASE_URL: db.url, DESK_NOTIFY_WEBHOOK_URL: stub.url, DATA_DIR: join(ROOT, 'data'), SEED_DEMO: 'false', LOG_LEVEL: 'silent', SERVICE_HOURS: 'always', DESK_AUTO_ASSIGN: 'false' },
        desk: { retry: { leaseMs: 1500 } },
      });
      try {
        await expect.poll(async () => (await db!.db.staffNotification.findUniqueOrThrow({ where: { id: row.id } })).status, { timeout: 20_000, interval: 100 }).toBe('sent');
        expect(await db.db.staffNotification.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ platformRef: 'posted-after-restart' });
        // the same notification, recognisable by its key: the receiver got one answerable delivery of it
        expect(stub.requests.filter((r) => r.key === row.dedupeKey)).toHaveLength(2);
        expect(stub.delivered().filter((k) => k === row.dedupeKey)).toHaveLength(1);
        await app.queue.drain(10_000);
        // and no second handoff row or event was written
        expect(await db.db.staffNotification.count({ where: { kind: 'handoff' } })).toBe(2); // desk + webhook
        expect(await db.db.conversationEvent.count({ where: { type: 'handoff' } })).toBe(1);
      } finally {
        await app.stop();
      }
    } finally {
      await stub.close();
    }
  }, 120_000);
});
