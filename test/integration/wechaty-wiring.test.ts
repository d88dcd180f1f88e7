import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../src/cli/shopdesk-cli.js';
import { startShopdesk } from '../../src/main.js';

/**
 * The wechaty channel switched on by configuration alone: startShopdesk with WECHATY_PUPPET set
 * loads wechaty and the named puppet (wechaty-puppet-mock here) from the channel catalog under
 * its lease and shows it in /readyz waiting for a login; `shopdesk channels pause|resume wechaty`
 * flips the kill switch in the database, where the running channel reads it before every send.
 */
describe('wechaty channel enabled by WECHATY_PUPPET in the running app', () => {
  let dir: string;
  let app: Awaited<ReturnType<typeof startShopdesk>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopdesk-wechaty-wiring-'));
    app = await startShopdesk({
      env: { DATABASE_URL: `file:${dir}/shop.db`, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATA_DIR: dir, WECHATY_PUPPET: 'wechaty-puppet-mock' },
    });
  }, 120_000);

  afterAll(async () => {
    vi.unstubAllEnvs();
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the channel under its lease, waiting for a login, and pauses and resumes its sending from the CLI', async () => {
    type Ready = { status: string; channels?: { wechaty?: { state: string; detail?: string; placement: string } } };
    await expect.poll(async () => ((await (await fetch(`${app.url}/readyz`)).json()) as Ready).channels?.wechaty?.detail, { timeout: 30_000 }).toMatch(/waiting for the account to log in/);
    const ready = (await (await fetch(`${app.url}/readyz`)).json()) as Ready;
    expect(ready.status).toBe('ready');
    expect(ready.channels?.wechaty).toMatchObject({ state: 'starting', placement: 'singleton' });

    vi.stubEnv('DATABASE_URL', `file:${dir}/shop.db`);
    vi.stubEnv('DATA_DIR', dir);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await buildProgram().parseAsync(['node', 'shopdesk', 'channels', 'pause', 'wechaty']);
      expect(await app.crm.channelState('wechaty').get('paused')).toBe('1');
      await buildProgram().parseAsync(['node', 'shopdesk', 'channels', 'resume', 'wechaty']);
      expect(await app.crm.channelState('wechaty').get('paused')).toBe('0');
      await expect(buildProgram().parseAsync(['node', 'shopdesk', 'channels', 'pause', 'email'])).rejects.toThrow(/cannot be paused/);
    } finally {
      log.mockRestore();
    }
  }, 60_000);
});
