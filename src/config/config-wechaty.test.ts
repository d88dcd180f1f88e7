import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { channelCatalog } from '../runtime/channel-catalog.js';

describe('config: the wechaty channel', () => {
  it('is off unless a puppet is named, and gentle by default when on', async () => {
    expect(loadConfig({}).wechaty).toBeUndefined();
    expect((await channelCatalog(loadConfig({}))).map((d) => d.id)).not.toContain('wechaty');
    const c = loadConfig({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_TOKEN: 'tok', WECHATY_ROOMS: 'VIP 客户群, r1@chatroom', DATA_DIR: '/var/shopdesk/' });
    expect(c.wechaty).toEqual({
      puppet: 'wechaty-puppet-service', token: 'tok', sessionName: '/var/shopdesk/wechaty-session', rooms: ['VIP 客户群', 'r1@chatroom'],
      limits: { perMinute: 8, perHour: 120 }, warmup: { hours: 72, perMinute: 3, perHour: 30 }, delay: { minMs: 1200, jitterMs: 2500 }, paused: false,
    });
    expect(loadConfig({ WECHATY_PUPPET: '@juzi/wechaty-puppet-service', WECHATY_SEND_PAUSED: 'true' }).wechaty).toMatchObject({ puppet: '@juzi/wechaty-puppet-service', paused: true });
    expect((await channelCatalog(c)).filter((d) => d.id === 'wechaty').map((d) => d.placement)).toEqual(['singleton']);
  });

  it('names what is wrong: a token without a puppet, a warm-up above the limits, a puppet that is no module name', () => {
    expect(() => loadConfig({ WECHATY_PUPPET_TOKEN: 'tok' })).toThrow(/WECHATY_PUPPET: required when WECHATY_PUPPET_TOKEN is set/);
    expect(() => loadConfig({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_WARMUP_PER_MINUTE: '20' })).toThrow(/WECHATY_WARMUP_PER_MINUTE/);
    expect(() => loadConfig({ WECHATY_PUPPET: '../../etc/passwd' })).toThrow(/WECHATY_PUPPET: must be the npm name/);
  });
});
