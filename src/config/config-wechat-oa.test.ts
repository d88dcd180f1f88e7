import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const ON = { WECHAT_OA_APP_ID: 'wx0123456789abcdef', WECHAT_OA_APP_SECRET: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6', WECHAT_OA_TOKEN: 'shopToken1' };
const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

describe('WeChat Official Account settings', () => {
  it('is off until configured, and on in plain mode with AppID, AppSecret and Token', () => {
    expect(loadConfig({}).wechatOa).toBeUndefined();
    expect(loadConfig(ON).wechatOa).toMatchObject({ mode: 'plain', verified: false, apiBase: 'https://api.weixin.qq.com', path: '/wechat/oa/callback', passiveWaitMs: 4000, messageQuota: 5, eventQuota: 3 });
  });

  it('defaults to safe mode with an EncodingAESKey, and refuses safe mode without one', () => {
    expect(loadConfig({ ...ON, WECHAT_OA_AES_KEY: KEY, WECHAT_OA_VERIFIED: 'true', WECHAT_API_BASE: 'http://127.0.0.1:9/' }).wechatOa).toMatchObject({ mode: 'safe', aesKey: KEY, verified: true, apiBase: 'http://127.0.0.1:9' });
    expect(() => loadConfig({ ...ON, WECHAT_OA_ENCODING: 'safe' })).toThrow(/WECHAT_OA_AES_KEY: required in safe mode/);
  });

  it('names what is missing or malformed', () => {
    expect(() => loadConfig({ WECHAT_OA_APP_ID: ON.WECHAT_OA_APP_ID })).toThrow(/WECHAT_OA_APP_SECRET: required[\s\S]*WECHAT_OA_TOKEN: required/);
    expect(() => loadConfig({ ...ON, WECHAT_OA_APP_ID: 'gh_123' })).toThrow(/WECHAT_OA_APP_ID/);
    expect(() => loadConfig({ ...ON, WECHAT_OA_PASSIVE_WAIT_MS: '6000' })).toThrow(/WECHAT_OA_PASSIVE_WAIT_MS/);
    expect(() => loadConfig({ ...ON, WECHAT_OA_MENU: 'no pairs here' })).toThrow(/WECHAT_OA_MENU/);
  });
});
