import { createHash, randomBytes } from 'node:crypto';
import { decrypt } from '@wecom/crypto';
import { signedCallback, type CallbackSecrets } from './wechat-callbacks.js';

/**
 * Official Account callbacks as WeChat sends them, signed with the published algorithm:
 * `signature` = sha1(sort([token, timestamp, nonce]).join('')) on every request; in safe mode
 * also `encrypt_type=aes` and `msg_signature` over the ciphertext (the WXBizMsgCrypt algorithm,
 * through @wecom/crypto in `signedCallback`).
 */
export function oaSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

let seq = 0;
export interface OaMessage { openid: string; msgType: string; fields?: Record<string, string>; msgId?: string | null; createTime?: number }

/** The plain XML of one callback (what a plain-mode server receives, and what safe mode encrypts). */
export function oaMessageXml(appOriginalId: string, m: OaMessage): string {
  const createTime = m.createTime ?? Math.floor(Date.now() / 1000);
  const msgId = m.msgId === null ? undefined : (m.msgId ?? `${Date.now()}${String(++seq).padStart(4, '0')}`);
  const fields: [string, string][] = [
    ['ToUserName', appOriginalId], ['FromUserName', m.openid], ['CreateTime', String(createTime)], ['MsgType', m.msgType],
    ...Object.entries(m.fields ?? {}), ...(msgId ? [['MsgId', msgId] as [string, string]] : []),
  ];
  return `<xml>${fields.map(([k, v]) => (/^\d+$/.test(v) && k !== 'Content' ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v}]]></${k}>`)).join('')}</xml>`;
}

export function plainOaCallback(token: string, xml: string, o: { timestamp?: number; nonce?: string } = {}): { search: string; body: string } {
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? randomBytes(6).toString('hex');
  return { search: new URLSearchParams({ signature: oaSignature(token, timestamp, nonce), timestamp, nonce, openid: 'x' }).toString(), body: xml };
}

export function safeOaCallback(s: CallbackSecrets, xml: string, o: { timestamp?: number; nonce?: string; receiverId?: string } = {}): { search: string; body: string; encrypted: string } {
  const signed = signedCallback(s, xml, o);
  const { timestamp, nonce } = signed.query;
  const q = { signature: oaSignature(s.token, timestamp, nonce), timestamp, nonce, encrypt_type: 'aes', msg_signature: signed.query.msg_signature };
  return { search: new URLSearchParams(q).toString(), body: signed.body, encrypted: signed.encrypted };
}

/** The text a passive reply carries (decrypted with the EncodingAESKey in safe mode); undefined for "success". */
export function passiveContent(body: string, aesKey?: string): string | undefined {
  if (body === 'success' || body === '') return undefined;
  let xml = body;
  if (aesKey) {
    const enc = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(body)?.[1];
    if (!enc) throw new Error(`not an encrypted reply: ${body.slice(0, 80)}`);
    xml = decrypt(aesKey, enc).message;
  }
  return /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(xml)?.[1];
}
