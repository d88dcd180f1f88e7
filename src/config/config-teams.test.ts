import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const APP = '11111111-2222-4333-8444-555555555555';
const TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

describe('config: Microsoft Teams', () => {
  it('leaves Teams off when no TEAMS_* is set', () => {
    expect(loadConfig({}).teams).toBeUndefined();
  });

  it('reads a single-tenant bot and accepts the channel id as "Get link to channel" encodes it', () => {
    const c = loadConfig({ TEAMS_APP_ID: APP, TEAMS_APP_PASSWORD: 'secret-value-1', TEAMS_APP_TENANT_ID: TENANT, TEAMS_CHANNEL_ID: '19%3aAbC123%40thread.tacv2' });
    expect(c.teams).toEqual({ appId: APP, appPassword: 'secret-value-1', appType: 'SingleTenant', tenantId: TENANT, channelId: '19:AbC123@thread.tacv2' });
  });

  it('names every missing variable of a half-configured bot, and needs the tenant only when single-tenant', () => {
    expect(() => loadConfig({ TEAMS_APP_ID: APP })).toThrow(/TEAMS_APP_PASSWORD.*\n.*TEAMS_APP_TENANT_ID.*\n.*TEAMS_CHANNEL_ID/);
    const multi = loadConfig({ TEAMS_APP_ID: APP, TEAMS_APP_PASSWORD: 'secret-value-1', TEAMS_APP_TYPE: 'MultiTenant', TEAMS_CHANNEL_ID: '19:x@thread.tacv2' });
    expect(multi.teams).toMatchObject({ appType: 'MultiTenant', tenantId: undefined });
  });

  it('refuses an app id that is not a GUID, an unknown app type and a channel id that is not one', () => {
    expect(() => loadConfig({ TEAMS_APP_ID: 'my-bot' })).toThrow(/TEAMS_APP_ID/);
    expect(() => loadConfig({ TEAMS_APP_TYPE: 'UserAssignedMsi' })).toThrow(/TEAMS_APP_TYPE/);
    expect(() => loadConfig({ TEAMS_CHANNEL_ID: 'https://teams.microsoft.com/l/channel/whatever' })).toThrow(/TEAMS_CHANNEL_ID.*19:/);
    expect(() => loadConfig({ TEAMS_CHANNEL_ID: '19:abc@thread.tacv2;messageid=1' })).toThrow(/TEAMS_CHANNEL_ID/);
  });
});
