import { describe, expect, it } from 'vitest';
import { channelCatalog } from '../runtime/channel-catalog.js';
import { loadConfig } from './config.js';

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const ALL = { WECOM_KF_CORP_ID: 'ww0123456789abcdef', WECOM_KF_SECRET: 'kf-secret-value', WECOM_KF_TOKEN: 'Tok3n', WECOM_KF_AES_KEY: KEY };

describe('config: WeCom customer service (微信客服)', () => {
  it('leaves the channel off (and out of the catalog) when no WECOM_KF_* secret is set', async () => {
    const c = loadConfig({});
    expect(c.wecomKf).toBeUndefined();
    expect((await channelCatalog(c)).map((d) => d.id)).not.toContain('wecom_kf');
  });

  it('turns it on with the four secrets, as a webhook channel with per-account handoff modes', async () => {
    const c = loadConfig({ ...ALL, WECOM_KF_HANDOFF: 'wkAAA=wecom, wkBBB=shopdesk', WECOM_API_BASE: 'http://127.0.0.1:9999/' });
    expect(c.wecomKf).toMatchObject({
      corpId: 'ww0123456789abcdef', apiBase: 'http://127.0.0.1:9999', callbackPath: '/wecom/kf/callback', maxSkewMs: 300_000,
      handoff: { defaultMode: 'shopdesk', byAccount: { wkAAA: 'wecom', wkBBB: 'shopdesk' } },
    });
    const def = (await channelCatalog(c)).find((d) => d.id === 'wecom_kf');
    expect(def?.placement).toBe('webhook');
  });

  it('names what is missing, a malformed key and a bad handoff entry', () => {
    expect(() => loadConfig({ WECOM_KF_CORP_ID: ALL.WECOM_KF_CORP_ID })).toThrow(/WECOM_KF_SECRET: required[\s\S]*WECOM_KF_AES_KEY: required/);
    expect(() => loadConfig({ ...ALL, WECOM_KF_AES_KEY: 'short' })).toThrow(/WECOM_KF_AES_KEY: must be the 43-character/);
    expect(() => loadConfig({ ...ALL, WECOM_KF_HANDOFF: 'wkAAA=robots' })).toThrow(/WECOM_KF_HANDOFF: "wkAAA=robots"/);
  });
});
