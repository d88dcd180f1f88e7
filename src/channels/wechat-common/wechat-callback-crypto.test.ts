import { describe, expect, it } from 'vitest';
import { InProcessChannelStateStore } from '../../shared/in-process-channel-state.js';
import { newAesKey, signedCallback, signedEchostr } from '../../../test/factories/wechat-callbacks.js';
import { InProcessNonceStore, StateNonceStore, type NonceStore } from './callback-nonce-store.js';
import { WechatCallbackCrypto } from './wechat-callback-crypto.js';
import { EncryptedEnvelope, parseWechatXml } from './wechat-xml.js';

const secrets = { token: 'tok3n', aesKey: newAesKey(), receiverId: 'wwcorp123' };
const inner = '<xml><ToUserName><![CDATA[wwcorp123]]></ToUserName><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[abc]]></Token></xml>';

function crypto(now = () => new Date(), nonces: NonceStore = new InProcessNonceStore()) {
  return new WechatCallbackCrypto({ token: secrets.token, encodingAesKey: secrets.aesKey, receiverId: secrets.receiverId }, nonces, now);
}

function open(c: WechatCallbackCrypto, cb: ReturnType<typeof signedCallback>) {
  const env = parseWechatXml(cb.body, EncryptedEnvelope);
  return c.open({ signature: cb.query.msg_signature, timestamp: cb.query.timestamp, nonce: cb.query.nonce }, env.Encrypt);
}

describe('WeChat callback crypto (WXBizMsgCrypt)', () => {
  it('opens a callback signed and encrypted with the published algorithm', async () => {
    await expect(open(crypto(), signedCallback(secrets, inner))).resolves.toBe(inner);
  });

  it('opens the GET URL check echostr without counting its nonce', async () => {
    const c = crypto();
    const e = signedEchostr(secrets);
    const q = { signature: e.query.msg_signature, timestamp: e.query.timestamp, nonce: e.query.nonce };
    await expect(c.open(q, e.query.echostr, { replayCheck: false })).resolves.toBe(e.plain);
    await expect(c.open(q, e.query.echostr, { replayCheck: false })).resolves.toBe(e.plain);
  });

  it('refuses a forged signature, a wrong token and a missing one as CALLBACK_FORGED', async () => {
    const cb = signedCallback(secrets, inner);
    const c = crypto();
    await expect(c.open({ signature: 'f'.repeat(40), timestamp: cb.query.timestamp, nonce: cb.query.nonce }, cb.encrypted)).rejects.toMatchObject({ code: 'CALLBACK_FORGED' });
    const other = signedCallback({ ...secrets, token: 'not-ours' }, inner);
    await expect(open(c, other)).rejects.toMatchObject({ code: 'CALLBACK_FORGED' });
    await expect(c.open({ signature: '', timestamp: cb.query.timestamp, nonce: cb.query.nonce }, cb.encrypted)).rejects.toMatchObject({ code: 'CALLBACK_FORGED' });
    // the signature covers the ciphertext: a swapped payload is forged too
    const swapped = signedCallback(secrets, '<xml><A>other</A></xml>');
    await expect(c.open({ signature: cb.query.msg_signature, timestamp: cb.query.timestamp, nonce: cb.query.nonce }, swapped.encrypted)).rejects.toMatchObject({ code: 'CALLBACK_FORGED' });
  });

  it('refuses stale and future timestamps outside the window as CALLBACK_STALE', async () => {
    const c = crypto();
    await expect(open(c, signedCallback(secrets, inner, { timestamp: Math.floor(Date.now() / 1000) - 301 }))).rejects.toMatchObject({ code: 'CALLBACK_STALE' });
    await expect(open(c, signedCallback(secrets, inner, { timestamp: Math.floor(Date.now() / 1000) + 301 }))).rejects.toMatchObject({ code: 'CALLBACK_STALE' });
    await expect(open(c, signedCallback(secrets, inner, { timestamp: Math.floor(Date.now() / 1000) - 290 }))).resolves.toBe(inner);
  });

  it('refuses a replayed nonce as CALLBACK_REPLAYED, in one process and across processes sharing the state store', async () => {
    const cb = signedCallback(secrets, inner);
    const c = crypto();
    await open(c, cb);
    await expect(open(c, cb)).rejects.toMatchObject({ code: 'CALLBACK_REPLAYED' });
    const state = new InProcessChannelStateStore();
    const a = crypto(undefined, new StateNonceStore(state));
    const b = crypto(undefined, new StateNonceStore(state));
    await open(a, cb);
    await expect(open(b, cb)).rejects.toMatchObject({ code: 'CALLBACK_REPLAYED' });
  });

  it('refuses a corrupted payload, one for another receiver and a non-base64 one as CALLBACK_CORRUPTED', async () => {
    const c = crypto();
    const cb = signedCallback(secrets, inner);
    const bytes = Buffer.from(cb.encrypted, 'base64');
    bytes[20] ^= 0xff;
    const corrupted = bytes.toString('base64');
    const sig = c.sign(cb.query.timestamp, cb.query.nonce, corrupted);
    await expect(c.open({ signature: sig, timestamp: cb.query.timestamp, nonce: cb.query.nonce }, corrupted)).rejects.toMatchObject({ code: 'CALLBACK_CORRUPTED' });
    const truncated = cb.encrypted.slice(0, 40);
    await expect(c.open({ signature: c.sign(cb.query.timestamp, cb.query.nonce, truncated), timestamp: cb.query.timestamp, nonce: cb.query.nonce }, truncated)).rejects.toMatchObject({ code: 'CALLBACK_CORRUPTED' });
    await expect(open(c, signedCallback(secrets, inner, { receiverId: 'wwsomeoneelse' }))).rejects.toMatchObject({ code: 'CALLBACK_CORRUPTED' });
    await expect(c.open({ signature: c.sign('1', '2', 'not base64!'), timestamp: String(Math.floor(Date.now() / 1000)), nonce: '2' }, 'not base64!')).rejects.toMatchObject({ code: 'CALLBACK_FORGED' });
  });

  it('seals a passive reply that the published algorithm opens again', async () => {
    const c = crypto();
    const ts = String(Math.floor(Date.now() / 1000));
    const sealed = c.seal('<xml><Content><![CDATA[hi]]></Content></xml>', ts, 'n1');
    await expect(c.open({ signature: sealed.MsgSignature, timestamp: ts, nonce: 'n1' }, sealed.Encrypt)).resolves.toContain('hi');
  });

  it('refuses an EncodingAESKey of the wrong shape at construction', () => {
    expect(() => new WechatCallbackCrypto({ token: 't', encodingAesKey: 'short', receiverId: 'x' }, new InProcessNonceStore())).toThrow(/EncodingAESKey/);
  });
});

describe('nonce stores', () => {
  it('forgets a nonce after its time to live (in process)', async () => {
    let now = 1_000_000;
    const s = new InProcessNonceStore(() => now);
    expect(await s.claim('a', now, 600_000)).toBe(true);
    expect(await s.claim('a', now, 600_000)).toBe(false);
    now += 600_001;
    expect(await s.claim('a', now, 600_000)).toBe(true);
  });

  it('keeps the state store to a fixed ring of rows and lets racing writers both record their nonce', async () => {
    const state = new InProcessChannelStateStore();
    const s = new StateNonceStore(state);
    const ttl = 600_000;
    const at = 1_700_000_000_000;
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => s.claim(`n${i}`, at, ttl)));
    expect(results.every(Boolean)).toBe(true);
    expect(await s.claim('n7', at, ttl)).toBe(false);
    // three buckets later the slot is recycled: rows never grow past 3 × 16
    expect(await s.claim('n7', at + 3 * ttl, ttl)).toBe(true);
    const keys = [...(state as unknown as { values: Map<string, string> }).values.keys()];
    expect(keys.length).toBeLessThanOrEqual(48);
  });
});
