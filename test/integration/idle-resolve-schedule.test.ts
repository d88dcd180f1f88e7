import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopdesk } from '../../src/main.js';
import { PLAIN, RecordingChannel, textOf } from '../factories/engine-harness.js';

/**
 * The idle sweep as main.ts schedules it: a finished request nobody followed up on for
 * CONVERSATION_RESOLVE_AFTER_MINUTES is resolved by the bot and asked the satisfaction question,
 * once, without anyone calling the engine.
 */
describe('the scheduled idle sweep', () => {
  let dir: string;
  let app: Awaited<ReturnType<typeof startShopdesk>>;
  const channel = new RecordingChannel('terminal', PLAIN);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopdesk-idle-'));
    // the trained intent model, so the process does not train its own
    const cache = join(import.meta.dirname, '..', '..', 'data', 'cache');
    if (existsSync(cache)) cpSync(cache, join(dir, 'cache'), { recursive: true });
    app = await startShopdesk({
      env: { DATABASE_URL: `file:${dir}/idle.db`, LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATA_DIR: dir, SERVICE_HOURS: 'always', CONVERSATION_RESOLVE_AFTER_MINUTES: '0.02' },
      http: false, adapters: [channel],
    });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves an answered conversation after the quiet time and asks the satisfaction question once', async () => {
    await app.engine.accept({ channel: 'terminal', platformMessageId: 'idle-1', threadId: 'idle-thread', sender: { id: 'idle-visitor' }, receivedAt: new Date(), content: { type: 'text', text: '运费怎么算' } });
    await expect.poll(() => channel.forThread('idle-thread').length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(textOf(channel.forThread('idle-thread'))).not.toMatch(/1–5/);
    const conversation = () => app.database.db.conversation.findFirstOrThrow({ where: { threadId: 'idle-thread' } });
    await expect.poll(async () => (await conversation()).status, { timeout: 15_000, interval: 200 }).toBe('resolved');
    expect(await conversation()).toMatchObject({ resolvedBy: 'bot', mode: 'bot' });
    await expect.poll(() => textOf(channel.forThread('idle-thread')), { timeout: 10_000 }).toMatch(/1–5/);
    // later sweeps leave it alone
    await new Promise((r) => setTimeout(r, 2_500));
    expect(channel.forThread('idle-thread').filter((m) => /1–5/.test(textOf([m])))).toHaveLength(1);
  });
});
