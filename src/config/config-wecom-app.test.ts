import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const KEY = 'a'.repeat(43);
const FULL = {
  WECOM_APP_CORP_ID: 'ww0123456789abcdef', WECOM_APP_AGENT_ID: '1000002', WECOM_APP_SECRET: 'S3cr3t-0123456789abcdefghij',
  WECOM_APP_TOKEN: 'callbackToken1', WECOM_APP_AES_KEY: KEY, PUBLIC_URL: 'https://help.example.com',
};

describe('config: the WeCom self-built app', () => {
  it('leaves the app off when no WECOM_APP_* is set', () => {
    expect(loadConfig({}).wecomApp).toBeUndefined();
  });

  it('reads a complete app, with WeCom\'s API unless WECOM_API_BASE says otherwise', () => {
    expect(loadConfig(FULL).wecomApp).toEqual({
      corpId: 'ww0123456789abcdef', agentId: 1000002, secret: 'S3cr3t-0123456789abcdefghij', token: 'callbackToken1', aesKey: KEY,
      apiBase: 'https://qyapi.weixin.qq.com', publicUrl: 'https://help.example.com',
    });
    expect(loadConfig({ ...FULL, WECOM_API_BASE: 'http://127.0.0.1:9000/' }).wecomApp?.apiBase).toBe('http://127.0.0.1:9000');
  });

  it('names every missing variable of a half-configured app, PUBLIC_URL included', () => {
    expect(() => loadConfig({ WECOM_APP_CORP_ID: FULL.WECOM_APP_CORP_ID })).toThrow(/WECOM_APP_AGENT_ID[\s\S]*WECOM_APP_SECRET[\s\S]*WECOM_APP_TOKEN[\s\S]*WECOM_APP_AES_KEY[\s\S]*PUBLIC_URL/);
  });

  it('refuses values that cannot be the console\'s', () => {
    expect(() => loadConfig({ ...FULL, WECOM_APP_AES_KEY: 'short' })).toThrow(/WECOM_APP_AES_KEY.*43/);
    expect(() => loadConfig({ ...FULL, WECOM_APP_AGENT_ID: 'shopdesk' })).toThrow(/WECOM_APP_AGENT_ID/);
    expect(() => loadConfig({ ...FULL, WECOM_API_BASE: 'https://qyapi.weixin.qq.com/cgi-bin' })).toThrow(/WECOM_API_BASE/);
  });
});
