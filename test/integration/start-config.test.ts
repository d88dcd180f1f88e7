import { describe, expect, it } from 'vitest';
import { startShopdesk } from '../../src/main.js';

describe('starting split roles', () => {
  it('refuses a web or worker process without REDIS_URL', async () => {
    await expect(startShopdesk({ env: { ROLE: 'worker', REDIS_URL: '', LOG_LEVEL: 'silent' } })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('REDIS_URL') });
  });

  it('refuses a web or worker process without one shared WEBCHAT_SECRET', async () => {
    await expect(startShopdesk({ env: { ROLE: 'web', REDIS_URL: 'redis://127.0.0.1:6379', WEBCHAT_SECRET: '', LOG_LEVEL: 'silent' } })).rejects.toMatchObject({
      code: 'CONFIG_INVALID', message: expect.stringContaining('WEBCHAT_SECRET'),
    });
  });
});
