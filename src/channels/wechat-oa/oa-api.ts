import { AppError } from '../../shared/app-error.js';
import { TOKEN_ERRCODES } from '../wechat-common/access-token-cache.js';
import type { WechatApiClient } from '../wechat-common/wechat-api-client.js';

/** Why WeChat would not take a customer-service message. */
export type OaRefusal =
  /** 45015: more than 48 hours since the customer's last interaction (or they unfollowed). */
  | 'window_closed'
  /** 45047: the sends allowed for this interaction are used up. */
  | 'quota'
  /** 48001: the account may not use the customer-service API (not verified). */
  | 'unauthorized'
  /** 43004 / 40003: not a follower any more, or an openid of another account. */
  | 'gone';

export type OaSendOutcome = { ok: true } | { ok: false; reason: OaRefusal; errcode: number };

const REFUSALS: Record<number, OaRefusal> = { 45015: 'window_closed', 45047: 'quota', 48001: 'unauthorized', 43004: 'gone', 40003: 'gone' };

/**
 * The Official Account's server API, on the shared WeChat client (src/channels/wechat-common):
 * the access token is cached once for all processes and refreshed once on 40001/42001/40014,
 * outages (network, HTTP 5xx, -1, 45009) are retryable errors for the queue. What WeChat's
 * answer means for a reply — window closed, quota used, not allowed — comes back as a value.
 */
export class OaApi {
  constructor(private readonly client: WechatApiClient) {}

  /** `message/custom/send`, text. */
  async sendText(openid: string, text: string): Promise<OaSendOutcome> {
    const r = await this.client.post('/cgi-bin/message/custom/send', { touser: openid, msgtype: 'text', text: { content: text } });
    if (r.errcode === 0) return { ok: true };
    const reason = REFUSALS[r.errcode];
    if (reason) return { ok: false, reason, errcode: r.errcode };
    // a token refused even after one refresh: a rotated AppSecret or an IP not on the allow-list (40164) — kept for later, not lost
    const retryable = TOKEN_ERRCODES.has(r.errcode) || r.errcode === 40164;
    throw new AppError('CHANNEL_SEND_FAILED', `WeChat refused the message (errcode ${r.errcode}${r.errcode === 40164 ? ': this server\'s IP is not on the account\'s IP allow-list' : ''})`, { retryable, details: { errcode: r.errcode } });
  }

  /** `media/get`: a file the customer sent (images), or undefined when WeChat has none. */
  async media(mediaId: string): Promise<{ bytes: Buffer; contentType: string } | undefined> {
    const r = await this.client.get('/cgi-bin/media/get', { media_id: mediaId });
    if (r.errcode !== 0 || !Buffer.isBuffer(r.bytes)) return undefined;
    return { bytes: r.bytes, contentType: typeof r.contentType === 'string' ? r.contentType : 'application/octet-stream' };
  }
}
