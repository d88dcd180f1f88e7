import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import type { AccessTokenCache } from '../wechat-common/access-token-cache.js';
import type { WecomAppMessage } from './wecom-app-cards.js';
import type { WecomAppSender } from './wecom-app-notifier.js';

const Answer = z.object({ errcode: z.number().default(0), errmsg: z.string().optional() }).passthrough();
const SendAnswer = Answer.extend({ msgid: z.string().optional(), invaliduser: z.string().optional() });
const UploadAnswer = Answer.extend({ media_id: z.string().optional() });
const TokenAnswer = Answer.extend({ access_token: z.string().optional(), expires_in: z.number().optional() });

/** errcodes worth another try, and how long to wait: busy, over the API's frequency limits. */
const RETRY: Record<number, number | undefined> = { [-1]: undefined, 45009: 60_000, 45033: 5_000, 45047: 60_000 };
/** errcodes that a setting on WeCom's side fixes: tried again after a pause so a fix takes effect without a restart. */
const SETUP: Record<number, string> = {
  60020: 'the server\'s IP is not in the app\'s trusted IPs (企业可信IP)',
  48002: 'the app may not call this API (check the app\'s permissions)',
  301002: 'the app\'s visible range (可见范围) does not include this user',
};

export interface WecomAppApiOptions {
  apiBase: string;
  corpId: string;
  agentId: number;
  secret: string;
  tokens: AccessTokenCache;
  timeoutMs?: number;
}

/** Asks gettoken for the app's access token (the secret is the app's own, so the token is per app). */
export function fetchAppToken(o: { apiBase: string; corpId: string; secret: string; timeoutMs?: number }) {
  return async (): Promise<{ token: string; expiresInSec: number }> => {
    const url = `${o.apiBase}/cgi-bin/gettoken?corpid=${encodeURIComponent(o.corpId)}&corpsecret=${encodeURIComponent(o.secret)}`;
    const a = TokenAnswer.parse(await getJson(url, o.timeoutMs));
    if (a.errcode !== 0 || !a.access_token) {
      throw new AppError('CHANNEL_SEND_FAILED', `WeCom gettoken errcode ${a.errcode}${a.errcode === 40001 ? ' (check WECOM_APP_CORP_ID and WECOM_APP_SECRET)' : ''}`, { retryable: a.errcode === -1 });
    }
    return { token: a.access_token, expiresInSec: a.expires_in ?? 7200 };
  };
}

async function getJson(url: string, timeoutMs = 10_000, init?: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    // the URL carries the token or the secret: only the error's name
    throw new AppError('CHANNEL_SEND_FAILED', `WeCom API unreachable: ${(err as Error).name}`, { retryable: true });
  }
  if (!res.ok) throw new AppError('CHANNEL_SEND_FAILED', `WeCom API answered HTTP ${res.status}`, { retryable: res.status >= 500 || res.status === 429 });
  try {
    return await res.json();
  } catch {
    throw new AppError('CHANNEL_SEND_FAILED', 'WeCom API answered something that is not JSON', { retryable: true });
  }
}

function failure(api: string, errcode: number, errmsg = ''): AppError {
  if (errcode in RETRY) {
    const wait = RETRY[errcode];
    return new AppError('CHANNEL_SEND_FAILED', `WeCom ${api} errcode ${errcode} (busy or rate limited)`, { retryable: true, details: wait ? { retryAfterMs: wait } : undefined });
  }
  const setup = SETUP[errcode];
  if (setup) return new AppError('CHANNEL_SEND_FAILED', `WeCom ${api} errcode ${errcode}: ${setup}`, { retryable: true, details: { retryAfterMs: 5 * 60_000 } });
  return new AppError('CHANNEL_SEND_FAILED', `WeCom ${api} errcode ${errcode}: ${errmsg.slice(0, 120)}`, { retryable: false });
}

/**
 * The WeCom server API as the self-built app uses it: message/send and media/upload, with the
 * app's access token from the cluster-shared cache (a stale token is refreshed once and the call
 * repeated). Errors become `AppError('CHANNEL_SEND_FAILED')`: busy and rate limits are retryable,
 * setup problems (trusted IP, permissions) retried after a pause, anything else not.
 */
export class WecomAppApi implements WecomAppSender {
  constructor(private readonly o: WecomAppApiOptions) {}

  private async call<T extends z.infer<typeof Answer>>(api: string, schema: z.ZodType<T>, init: (token: string) => { url: string; init: RequestInit }): Promise<T> {
    const a = await this.o.tokens.withToken(async (token) => {
      const r = init(token);
      const parsed = schema.safeParse(await getJson(r.url, this.o.timeoutMs, r.init));
      if (!parsed.success) throw new AppError('CHANNEL_SEND_FAILED', `WeCom ${api} answered an unexpected shape`, { retryable: true });
      return parsed.data;
    }, (x) => x.errcode);
    if (a.errcode !== 0) throw failure(api, a.errcode, a.errmsg);
    return a;
  }

  async send(touser: string[], message: WecomAppMessage): Promise<{ msgid?: string; invalidUsers: string[] }> {
    // WeCom's own duplicate check: the same content to the same users within 30 minutes is sent once
    const body = JSON.stringify({ touser: touser.join('|'), agentid: this.o.agentId, ...message, safe: 0, enable_duplicate_check: 1, duplicate_check_interval: 1800 });
    const a = await this.call('message/send', SendAnswer, (token) => ({
      url: `${this.o.apiBase}/cgi-bin/message/send?access_token=${encodeURIComponent(token)}`,
      init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body },
    }));
    return { msgid: a.msgid, invalidUsers: a.invaliduser ? a.invaliduser.split('|').filter(Boolean) : [] };
  }

  /** Uploads a PNG as temporary media (3 days) and returns its media_id. */
  async uploadImage(png: Uint8Array, filename = 'chart.png'): Promise<string> {
    const a = await this.call('media/upload', UploadAnswer, (token) => {
      const form = new FormData();
      form.append('media', new Blob([new Uint8Array(png)], { type: 'image/png' }), filename);
      return { url: `${this.o.apiBase}/cgi-bin/media/upload?access_token=${encodeURIComponent(token)}&type=image`, init: { method: 'POST', body: form } };
    });
    if (!a.media_id) throw new AppError('CHANNEL_SEND_FAILED', 'WeCom media/upload answered without a media_id', { retryable: true });
    return a.media_id;
  }
}
