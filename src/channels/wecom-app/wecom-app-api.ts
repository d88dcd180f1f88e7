import { AppError } from '../../shared/app-error.js';
import type { WechatApiClient, WechatResult } from '../wechat-common/wechat-api-client.js';
import type { WecomAppMessage } from './wecom-app-cards.js';
import type { WecomAppSender } from './wecom-app-notifier.js';

/** Too many messages to one user at once (45033): a short pause. Busy and API rate limits are the client's. */
const TOO_MANY_AT_ONCE = 45033;
/** errcodes that a setting on WeCom's side fixes: tried again after a pause, so a fix takes effect without a restart. */
const SETUP: Record<number, string> = {
  60020: 'the server\'s IP is not in the app\'s trusted IPs (企业可信IP)',
  48002: 'the app may not call this API (check the app\'s permissions)',
  301002: 'the app\'s visible range (可见范围) does not include this user',
};
const SETUP_RETRY_MS = 5 * 60_000;

function check(api: string, r: WechatResult): WechatResult {
  if (r.errcode === 0) return r;
  if (r.errcode === TOO_MANY_AT_ONCE) return fail(`WeCom ${api} errcode ${r.errcode} (too many at once)`, true, 5_000);
  const setup = SETUP[r.errcode];
  if (setup) return fail(`WeCom ${api} errcode ${r.errcode}: ${setup}`, true, SETUP_RETRY_MS);
  return fail(`WeCom ${api} errcode ${r.errcode}: ${String(r.errmsg ?? '').slice(0, 120)}`, false);
}

function fail(message: string, retryable: boolean, retryAfterMs?: number): never {
  throw new AppError('CHANNEL_SEND_FAILED', message, { retryable, details: retryAfterMs ? { retryAfterMs } : undefined });
}

/**
 * The WeCom server API as the self-built app uses it — `message/send` and `media/upload` — on
 * wechat-common's client (the app's token from the cluster-shared cache, refreshed once on a token
 * errcode; outages and rate limits retryable). Setup errors (trusted IP, permissions, visible
 * range) are retried after 5 minutes; any other errcode is final for that message.
 */
export class WecomAppApi implements WecomAppSender {
  constructor(private readonly o: { client: WechatApiClient; agentId: number }) {}

  /**
   * `dedupe`: WeCom's own duplicate check (the same content to the same users within 30 minutes is
   * sent once) — for notifications, whose content is unique per row; not for answers in a chat,
   * where the same words twice ("not linked", "已接手") are meant twice.
   */
  async send(touser: string[], message: WecomAppMessage, opts: { dedupe?: boolean } = {}): Promise<{ msgid?: string; invalidUsers: string[] }> {
    const r = check('message/send', await this.o.client.post('/cgi-bin/message/send', {
      touser: touser.join('|'), agentid: this.o.agentId, ...message, ...(opts.dedupe ? { enable_duplicate_check: 1, duplicate_check_interval: 1800 } : {}),
    }));
    const invalid = typeof r.invaliduser === 'string' ? r.invaliduser.split('|').filter(Boolean) : [];
    return { msgid: typeof r.msgid === 'string' ? r.msgid : undefined, invalidUsers: invalid };
  }

  /**
   * Replaces the buttons of a tapped card with `label` for everyone who got it (`atall`), with the
   * tap's one-time `response_code`: a card that was claimed shows it to the whole team.
   */
  async updateCardButtons(responseCode: string, label: string): Promise<void> {
    check('message/update_template_card', await this.o.client.post('/cgi-bin/message/update_template_card', {
      atall: 1, agentid: this.o.agentId, response_code: responseCode, button: { replace_name: label },
    }));
  }

  /** Uploads a PNG as temporary media (kept 3 days by WeCom) and returns its media_id. */
  async uploadImage(png: Uint8Array, filename = 'chart.png'): Promise<string> {
    const r = check('media/upload', await this.o.client.upload('/cgi-bin/media/upload', { type: 'image' }, { bytes: Buffer.from(png), filename, contentType: 'image/png' }));
    if (typeof r.media_id !== 'string') fail('WeCom media/upload answered without a media_id', true);
    return r.media_id as string;
  }
}
