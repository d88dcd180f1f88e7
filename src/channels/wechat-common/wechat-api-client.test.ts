import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessLeaseManager } from '../../jobs/in-process-lease-manager.js';
import { InProcessChannelStateStore } from '../../shared/in-process-channel-state.js';
import { startWechatStub, type WechatStub } from '../../../test/factories/wechat-stub-server.js';
import { AccessTokenCache } from './access-token-cache.js';
import { officialAccountTokenFetcher, WechatApiClient, wecomTokenFetcher } from './wechat-api-client.js';

let stub: WechatStub;
let api: WechatApiClient;
beforeAll(async () => {
  stub = await startWechatStub();
  const leases = new InProcessLeaseManager();
  const tokens = new AccessTokenCache({ state: new InProcessChannelStateStore(), key: 'token', fetch: wecomTokenFetcher(stub.baseUrl, stub.corpId, stub.secret), tryLease: (n, t) => leases.tryAcquire(n, t) });
  api = new WechatApiClient({ baseUrl: stub.baseUrl, tokens });
});
afterAll(async () => { await stub.close(); });

const state = { open_kfid: 'wk1', external_userid: 'wm1' };

describe('WeChat API client against the stub', () => {
  it('calls with the cached token and gets the published answer', async () => {
    expect(await api.post('/cgi-bin/kf/service_state/get', state)).toMatchObject({ errcode: 0, service_state: 0 });
  });

  it('refreshes an expired token (42001) and repeats the call', async () => {
    stub.expireTokens();
    expect(await api.post('/cgi-bin/kf/service_state/get', state)).toMatchObject({ errcode: 0 });
    expect(stub.callsTo('/cgi-bin/kf/service_state/get').slice(-2).map((c) => c.answer?.errcode)).toEqual([42001, 0]);
  });

  it('turns an outage (HTTP 500, errcode -1) and a rate limit (45009) into retryable errors', async () => {
    stub.inject('/cgi-bin/kf/send_msg', { status: 500 });
    await expect(api.post('/cgi-bin/kf/send_msg', {})).rejects.toMatchObject({ code: 'CHANNEL_SEND_FAILED', retryable: true });
    stub.inject('/cgi-bin/kf/send_msg', { errcode: -1 });
    await expect(api.post('/cgi-bin/kf/send_msg', {})).rejects.toMatchObject({ code: 'CHANNEL_SEND_FAILED', retryable: true });
    stub.inject('/cgi-bin/kf/send_msg', { errcode: 45009 });
    await expect(api.post('/cgi-bin/kf/send_msg', {})).rejects.toMatchObject({ retryable: true, details: { errcode: 45009 } });
  });

  it('returns other errcodes as values (a closed window is the caller\'s to handle)', async () => {
    stub.closeWindow('wm9');
    expect(await api.post('/cgi-bin/kf/send_msg', { touser: 'wm9', open_kfid: 'wk1', msgtype: 'text', text: { content: 'hi' } })).toMatchObject({ errcode: 95018 });
  });

  it('uploads media as multipart and fetches it back', async () => {
    const up = await api.upload('/cgi-bin/media/upload', { type: 'image' }, { bytes: Buffer.from('PNGDATA'), filename: 'a.png', contentType: 'image/png' });
    expect(up).toMatchObject({ errcode: 0, media_id: expect.any(String) });
    const got = await api.get('/cgi-bin/media/get', { media_id: String(up.media_id) });
    expect((got.bytes as Buffer).toString()).toBe('PNGDATA');
  });

  it('refuses a wrong secret without retrying, and fetches the Official Account token', async () => {
    await expect(wecomTokenFetcher(stub.baseUrl, stub.corpId, 'wrong')()).rejects.toMatchObject({ retryable: false, details: { errcode: 40001 } });
    await expect(officialAccountTokenFetcher(stub.baseUrl, stub.appId, stub.appSecret)()).resolves.toMatchObject({ token: expect.any(String), expiresInSec: 7200 });
  });
});
