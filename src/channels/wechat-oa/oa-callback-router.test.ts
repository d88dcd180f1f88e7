import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../shared/logger.js';
import { InProcessNonceStore } from '../wechat-common/callback-nonce-store.js';
import { WechatCallbackCrypto } from '../wechat-common/wechat-callback-crypto.js';
import { newAesKey } from '../../../test/factories/wechat-callbacks.js';
import { oaMessageXml, passiveContent, safeOaCallback } from '../../../test/factories/wechat-oa-callbacks.js';
import { oaCallbackRouter } from './oa-callback-router.js';
import type { OaCallbackFields } from './oa-decode.js';

/** The router alone on loopback, with an intake that answers what the test says. */
describe('oaCallbackRouter in safe mode', () => {
  const secrets = { token: 'routerToken', aesKey: newAesKey(), receiverId: 'wx00000000000000aa' };
  const taken: OaCallbackFields[] = [];
  const counters: Record<string, number> = {};
  let answer: string | undefined;
  let failNext = false;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const crypto = new WechatCallbackCrypto({ token: secrets.token, encodingAesKey: secrets.aesKey, receiverId: secrets.receiverId }, new InProcessNonceStore());
    const app = express();
    app.use(oaCallbackRouter({
      path: '/wechat/oa/callback', mode: 'safe', crypto, counters, log: logger('test'), clock: () => new Date(),
      take: async (fields) => {
        if (failNext) { failNext = false; throw new Error('database away'); }
        taken.push(fields);
        return { result: 'message', passive: answer };
      },
    }));
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat/oa/callback`;
  });
  afterAll(async () => { await new Promise((r) => server.close(r)); });

  const post = async (cb: { search: string; body: string }) => {
    const res = await fetch(`${base}?${cb.search}`, { method: 'POST', body: cb.body });
    return { status: res.status, body: await res.text() };
  };

  it('seals a passive reply so the platform can open it with the EncodingAESKey', async () => {
    answer = '您好，订单已发货。';
    const res = await post(safeOaCallback(secrets, oaMessageXml('gh_router', { openid: 'oR1', msgType: 'text', fields: { Content: '发货了吗' } })));
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/<MsgSignature><!\[CDATA\[[0-9a-f]{40}\]\]><\/MsgSignature>/);
    expect(passiveContent(res.body, secrets.aesKey)).toBe('您好，订单已发货。');
    expect(taken.at(-1)).toMatchObject({ FromUserName: 'oR1', Content: '发货了吗' });
    answer = undefined;
  });

  it('refuses a body that is not the expected XML, and answers 503 (WeChat retries) when we cannot take it', async () => {
    const signed = safeOaCallback(secrets, '<xml><Nothing>here</Nothing></xml>');
    expect((await post(signed)).status).toBe(400);
    const tooBig = safeOaCallback(secrets, oaMessageXml('gh_router', { openid: 'oR2', msgType: 'text', fields: { Content: 'x' } }));
    expect((await post({ ...tooBig, body: `${tooBig.body}${' '.repeat(70 * 1024)}` })).status).toBe(400);
    failNext = true;
    const ours = await post(safeOaCallback(secrets, oaMessageXml('gh_router', { openid: 'oR3', msgType: 'text', fields: { Content: 'x' } })));
    expect(ours.status).toBe(503);
    expect(counters).toMatchObject({ rejected_CALLBACK_CORRUPTED: 2, failed: 1 });
  });
});
