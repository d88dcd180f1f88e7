import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessLeaseManager } from '../../jobs/in-process-lease-manager.js';
import { InProcessChannelStateStore } from '../../shared/in-process-channel-state.js';
import { startWechatStub, type WechatStub } from '../../../test/factories/wechat-stub-server.js';
import { AccessTokenCache, type FetchedToken } from './access-token-cache.js';

let stub: WechatStub;
beforeAll(async () => { stub = await startWechatStub(); });
afterAll(async () => { await stub.close(); });

/** The real gettoken over HTTP against the stub. */
async function gettoken(): Promise<FetchedToken> {
  const r = await fetch(`${stub.baseUrl}/cgi-bin/gettoken?corpid=${stub.corpId}&corpsecret=${stub.secret}`);
  const j = (await r.json()) as { errcode: number; access_token: string; expires_in: number };
  if (j.errcode !== 0) throw new Error(`gettoken ${j.errcode}`);
  return { token: j.access_token, expiresInSec: j.expires_in };
}

async function syncMsg(token: string): Promise<{ errcode: number }> {
  const r = await fetch(`${stub.baseUrl}/cgi-bin/kf/service_state/get?access_token=${token}`, { method: 'POST', body: JSON.stringify({ open_kfid: 'wk1', external_userid: 'wm1' }), headers: { 'content-type': 'application/json' } });
  return (await r.json()) as { errcode: number };
}

describe('access token cache', () => {
  it('refreshes once for many processes asking at the same moment', async () => {
    const state = new InProcessChannelStateStore();
    const leases = new InProcessLeaseManager();
    const before = stub.callsTo('/cgi-bin/gettoken').length;
    // five "processes": own cache objects, one shared store and lease manager
    const caches = Array.from({ length: 5 }, () => new AccessTokenCache({ state, key: 'token:a', fetch: gettoken, tryLease: (n, t) => leases.tryAcquire(n, t) }));
    const tokens = await Promise.all(caches.flatMap((c) => [c.get(), c.get()]));
    expect(new Set(tokens).size).toBe(1);
    expect(stub.callsTo('/cgi-bin/gettoken').length - before).toBe(1);
  });

  it('refreshes early, before the platform expiry', async () => {
    let now = 1_000_000;
    const state = new InProcessChannelStateStore();
    const leases = new InProcessLeaseManager();
    let n = 0;
    const cache = new AccessTokenCache({ state, key: 'token:b', fetch: async () => ({ token: `t${++n}`, expiresInSec: 7200 }), tryLease: (x, t) => leases.tryAcquire(x, t), clock: () => now, earlyMs: 300_000 });
    expect(await cache.get()).toBe('t1');
    now += 7200_000 - 300_001;
    expect(await cache.get()).toBe('t1');
    now += 2;
    expect(await cache.get()).toBe('t2');
  });

  it('replaces an expired token (42001) at once and retries the call once', async () => {
    const state = new InProcessChannelStateStore();
    const leases = new InProcessLeaseManager();
    const a = new AccessTokenCache({ state, key: 'token:c', fetch: gettoken, tryLease: (x, t) => leases.tryAcquire(x, t) });
    const b = new AccessTokenCache({ state, key: 'token:c', fetch: gettoken, tryLease: (x, t) => leases.tryAcquire(x, t) });
    const first = await a.get();
    await b.get();
    stub.expireTokens();
    const before = stub.callsTo('/cgi-bin/gettoken').length;
    const r = await a.withToken(syncMsg, (x) => x.errcode);
    expect(r.errcode).toBe(0);
    expect(await a.get()).not.toBe(first);
    // the other process learns the new token from the store instead of fetching its own
    const rb = await b.withToken(syncMsg, (x) => x.errcode);
    expect(rb.errcode).toBe(0);
    expect(stub.callsTo('/cgi-bin/gettoken').length - before).toBe(1);
  });

  it('a process that cannot get the lease waits for the holder\'s token', async () => {
    const state = new InProcessChannelStateStore();
    const leases = new InProcessLeaseManager();
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const slow = new AccessTokenCache({ state, key: 'token:d', fetch: async () => { await gate; return { token: 'slow', expiresInSec: 7200 }; }, tryLease: (x, t) => leases.tryAcquire(x, t) });
    const other = new AccessTokenCache({ state, key: 'token:d', fetch: async () => ({ token: 'other', expiresInSec: 7200 }), tryLease: (x, t) => leases.tryAcquire(x, t) });
    const p1 = slow.get();
    await new Promise((r) => setTimeout(r, 10));
    const p2 = other.get();
    setTimeout(release, 50);
    expect(await Promise.all([p1, p2])).toEqual(['slow', 'slow']);
    expect(other.refreshes).toBe(0);
  });

  it('gives up with a retryable error when the holder never finishes', async () => {
    const state = new InProcessChannelStateStore();
    const leases = new InProcessLeaseManager();
    await leases.tryAcquire('token:e:refresh', 60_000);
    const c = new AccessTokenCache({ state, key: 'token:e', fetch: async () => ({ token: 'x', expiresInSec: 7200 }), tryLease: (x, t) => leases.tryAcquire(x, t), waitMs: 100 });
    await expect(c.get()).rejects.toMatchObject({ code: 'CHANNEL_SEND_FAILED', retryable: true });
  });
});
