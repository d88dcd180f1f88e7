import { AppError } from '../../shared/app-error.js';
import type { AccessTokenCache, FetchedToken } from './access-token-cache.js';

/** What every WeCom/WeChat API answers (HTTP 200 even for errors). */
export interface WechatResult {
  errcode: number;
  errmsg?: string;
  [k: string]: unknown;
}

/** errcodes worth another try later: system busy (-1), API rate limit (45009), too frequent (45011). */
export const RETRYABLE_ERRCODES: ReadonlySet<number> = new Set([-1, 45009, 45011]);

export interface WechatApiOptions {
  /** https://qyapi.weixin.qq.com (WeCom) or https://api.weixin.qq.com (OA); a local stub in tests. */
  baseUrl: string;
  tokens: AccessTokenCache;
  timeoutMs?: number;
}

function toResult(json: unknown): WechatResult {
  const r = json as Partial<WechatResult> | null;
  return { ...(r ?? {}), errcode: typeof r?.errcode === 'number' ? r.errcode : 0 } as WechatResult;
}

async function request(url: string, init: RequestInit, timeoutMs: number): Promise<WechatResult> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new AppError('CHANNEL_SEND_FAILED', `WeChat API unreachable: ${(err as Error).message}`, { retryable: true, cause: err });
  }
  if (res.status >= 500 || res.status === 429) throw new AppError('CHANNEL_SEND_FAILED', `WeChat API answered HTTP ${res.status}`, { retryable: true });
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json') && !type.includes('text')) {
    // media/get answers the file itself
    return { errcode: 0, bytes: Buffer.from(await res.arrayBuffer()), contentType: type };
  }
  try {
    return toResult(await res.json());
  } catch (err) {
    throw new AppError('CHANNEL_SEND_FAILED', `WeChat API answered HTTP ${res.status} without JSON`, { retryable: res.status >= 500, cause: err });
  }
}

/**
 * Calls WeCom/WeChat APIs with the shared access token: a token errcode (40014/42001/40001)
 * refreshes it once for the cluster and repeats the call; an outage (network, HTTP 5xx,
 * errcode -1) or a rate limit (45009) becomes a retryable `CHANNEL_SEND_FAILED` so the queue
 * tries again later. Other errcodes come back as values — the caller knows what 95018 means.
 */
export class WechatApiClient {
  private readonly timeoutMs: number;

  constructor(private readonly o: WechatApiOptions) {
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  async post(path: string, body: unknown): Promise<WechatResult> {
    return this.withToken((token) => request(this.url(path, token), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, this.timeoutMs));
  }

  async get(path: string, query: Record<string, string> = {}): Promise<WechatResult> {
    return this.withToken((token) => request(this.url(path, token, query), { method: 'GET' }, this.timeoutMs));
  }

  /** `media/upload` (multipart, field `media`). */
  async upload(path: string, query: Record<string, string>, file: { bytes: Buffer; filename: string; contentType: string }): Promise<WechatResult> {
    return this.withToken((token) => {
      const form = new FormData();
      form.append('media', new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.filename);
      return request(this.url(path, token, query), { method: 'POST', body: form }, this.timeoutMs);
    });
  }

  private url(path: string, token: string, query: Record<string, string> = {}): string {
    const u = new URL(path, this.o.baseUrl);
    u.searchParams.set('access_token', token);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u.toString();
  }

  private async withToken(call: (token: string) => Promise<WechatResult>): Promise<WechatResult> {
    const r = await this.o.tokens.withToken(call, (x) => x.errcode);
    if (RETRYABLE_ERRCODES.has(r.errcode)) {
      throw new AppError('CHANNEL_SEND_FAILED', `WeChat API busy or rate limited (errcode ${r.errcode})`, { retryable: true, details: { errcode: r.errcode } });
    }
    return r;
  }
}

/** WeCom's `gettoken` (corpid + the kf/app secret). */
export function wecomTokenFetcher(baseUrl: string, corpId: string, secret: string, timeoutMs = 10_000): () => Promise<FetchedToken> {
  return async () => tokenFrom(await request(`${new URL('/cgi-bin/gettoken', baseUrl).toString()}?corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(secret)}`, { method: 'GET' }, timeoutMs));
}

/** The Official Account's `cgi-bin/token` (appid + appsecret). */
export function officialAccountTokenFetcher(baseUrl: string, appId: string, secret: string, timeoutMs = 10_000): () => Promise<FetchedToken> {
  return async () => tokenFrom(await request(`${new URL('/cgi-bin/token', baseUrl).toString()}?grant_type=client_credential&appid=${encodeURIComponent(appId)}&secret=${encodeURIComponent(secret)}`, { method: 'GET' }, timeoutMs));
}

function tokenFrom(r: WechatResult): FetchedToken {
  if (r.errcode !== 0 || typeof r.access_token !== 'string') {
    // a wrong secret will not fix itself; -1 (busy) will
    throw new AppError('CHANNEL_SEND_FAILED', `access token refused (errcode ${r.errcode})`, { retryable: RETRYABLE_ERRCODES.has(r.errcode), details: { errcode: r.errcode } });
  }
  return { token: r.access_token, expiresInSec: typeof r.expires_in === 'number' ? r.expires_in : 7200 };
}
