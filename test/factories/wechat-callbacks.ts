import { randomBytes } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';

/**
 * Builds callbacks the way WeCom / the Official Account do in safe mode, with the published
 * algorithm (@wecom/crypto directly, not our wrapper): the inner XML encrypted with the
 * EncodingAESKey for the receiver id, wrapped in `<xml><ToUserName/><Encrypt/></xml>`, and the
 * query's `msg_signature` over token, timestamp, nonce and the ciphertext.
 */
export interface CallbackSecrets { token: string; aesKey: string; receiverId: string }

/** A random 43-character EncodingAESKey, as the platform's "random" button makes one. */
export function newAesKey(): string {
  return randomBytes(32).toString('base64').slice(0, 43);
}

export function signedCallback(s: CallbackSecrets, innerXml: string, o: { timestamp?: number; nonce?: string; receiverId?: string } = {}) {
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? randomBytes(6).toString('hex');
  const encrypted = encrypt(s.aesKey, innerXml, o.receiverId ?? s.receiverId);
  const body = `<xml><ToUserName><![CDATA[${s.receiverId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`;
  const query = { msg_signature: getSignature(s.token, timestamp, nonce, encrypted), timestamp, nonce };
  return { query, body, encrypted, search: new URLSearchParams(query).toString() };
}

/** WeCom's GET URL check: `echostr` encrypted, signed like a message. */
export function signedEchostr(s: CallbackSecrets, plain = randomBytes(8).toString('hex')) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(6).toString('hex');
  const echostr = encrypt(s.aesKey, plain, s.receiverId);
  const query = { msg_signature: getSignature(s.token, timestamp, nonce, echostr), timestamp, nonce, echostr };
  return { plain, query, search: new URLSearchParams(query).toString() };
}

/** The `kf_msg_or_event` callback of 微信客服: it only signals that sync_msg has something. */
export function kfEventXml(corpId: string, token: string, openKfid: string): string {
  return `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[${token}]]></Token><OpenKfId><![CDATA[${openKfid}]]></OpenKfId></xml>`;
}
