import { createHash, timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { AppError } from '../../shared/app-error.js';
import type { NonceStore } from './callback-nonce-store.js';

/**
 * The callback security of WeCom (企业微信, incl. 微信客服) and the WeChat Official Account in
 * safe mode (安全模式): the WXBizMsgCrypt algorithm, through `@wecom/crypto`.
 *
 *   msg_signature = sha1(sort([token, timestamp, nonce, encrypted]).join(''))
 *   encrypted     = base64(AES-256-CBC(key = base64(EncodingAESKey + '='), iv = key[0..16],
 *                   random16 ‖ uint32be(len) ‖ message ‖ receiverId, PKCS#7 to 32 bytes))
 *
 * The receiver id is the corp id (WeCom) or the app id (Official Account): a payload encrypted
 * for another receiver is refused. Checks run in the order that costs a forger most and us
 * least: signature (constant time) → timestamp window → decrypt → receiver id → nonce (last, so
 * a forged request never burns a genuine nonce).
 */
export interface CallbackCryptoSettings {
  token: string;
  /** The 43-character EncodingAESKey from the platform's callback settings. */
  encodingAesKey: string;
  /** corpid (WeCom) or appid (Official Account). */
  receiverId: string;
  /** Callbacks whose timestamp is further than this from our clock are stale (default 5 minutes). */
  maxSkewMs?: number;
}

export interface SignedQuery {
  /** `msg_signature` (safe mode) — or `signature` for the Official Account's plain URL check. */
  signature: string;
  timestamp: string;
  nonce: string;
}

export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;

/** Equal-length digests, so neither the length nor the first differing byte of a guess leaks. */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export class WechatCallbackCrypto {
  private readonly maxSkewMs: number;

  constructor(private readonly settings: CallbackCryptoSettings, private readonly nonces: NonceStore, private readonly clock: () => Date = () => new Date()) {
    if (!/^[A-Za-z0-9+/]{43}$/.test(settings.encodingAesKey)) throw new AppError('CONFIG_INVALID', 'EncodingAESKey must be 43 characters of base64');
    this.maxSkewMs = settings.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  }

  /** sha1 over the sorted parts; `encrypted` is '' for the Official Account's plain `signature`. */
  sign(timestamp: string, nonce: string, encrypted = ''): string {
    return getSignature(this.settings.token, timestamp, nonce, encrypted);
  }

  /**
   * Opens a safe-mode callback (POST body's `Encrypt`, or a WeCom GET's `echostr`): returns the
   * plaintext. Throws CALLBACK_FORGED / CALLBACK_STALE / CALLBACK_CORRUPTED / CALLBACK_REPLAYED.
   * `replayCheck: false` for the GET URL check, which the platform may repeat as it likes.
   */
  async open(q: SignedQuery, encrypted: string, opts: { replayCheck?: boolean } = {}): Promise<string> {
    this.verify(q, encrypted);
    const message = this.decrypt(encrypted);
    if (opts.replayCheck !== false) await this.claimNonce(q);
    return message;
  }

  /** Signature and timestamp only (the Official Account's plain-mode URL check, or a plain POST). */
  verify(q: SignedQuery, encrypted = ''): void {
    if (!q.signature || !q.timestamp || !q.nonce) throw new AppError('CALLBACK_FORGED', 'callback without signature, timestamp or nonce');
    if (!constantTimeEqual(this.sign(q.timestamp, q.nonce, encrypted), q.signature.toLowerCase())) {
      throw new AppError('CALLBACK_FORGED', 'callback signature does not match');
    }
    const ts = Number(q.timestamp) * 1000;
    if (!Number.isFinite(ts) || Math.abs(this.clock().getTime() - ts) > this.maxSkewMs) {
      throw new AppError('CALLBACK_STALE', 'callback timestamp outside the accepted window', { details: { maxSkewMs: this.maxSkewMs } });
    }
  }

  /** Records the nonce (per timestamp); a second sighting within the window is a replay. */
  async claimNonce(q: Pick<SignedQuery, 'timestamp' | 'nonce'>): Promise<void> {
    const first = await this.nonces.claim(`${q.timestamp}:${q.nonce}`, Number(q.timestamp) * 1000, this.maxSkewMs * 2);
    if (!first) throw new AppError('CALLBACK_REPLAYED', 'callback nonce already seen');
  }

  decrypt(encrypted: string): string {
    if (!encrypted || encrypted.length % 4 !== 0 || !BASE64.test(encrypted)) throw new AppError('CALLBACK_CORRUPTED', 'encrypted payload is not base64');
    let opened: { message: string; id: string };
    try {
      opened = decrypt(this.settings.encodingAesKey, encrypted);
    } catch (err) {
      throw new AppError('CALLBACK_CORRUPTED', 'encrypted payload does not decrypt', { cause: err });
    }
    // a garbled block scrambles the length field or the tail: the receiver id cannot survive it
    if (opened.id !== this.settings.receiverId) {
      throw new AppError('CALLBACK_CORRUPTED', 'decrypted payload does not name our receiver id (corrupted, or encrypted for someone else)');
    }
    return opened.message;
  }

  /** Encrypts a passive reply (Official Account) and signs it: the four fields of the reply XML. */
  seal(message: string, timestamp: string, nonce: string): { Encrypt: string; MsgSignature: string; TimeStamp: string; Nonce: string } {
    const sealed = encrypt(this.settings.encodingAesKey, message, this.settings.receiverId);
    return { Encrypt: sealed, MsgSignature: this.sign(timestamp, nonce, sealed), TimeStamp: timestamp, Nonce: nonce };
  }
}
