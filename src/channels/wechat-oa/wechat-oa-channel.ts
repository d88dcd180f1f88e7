import type { ChannelHealth, ChannelInstance, ChannelServices } from '../../shared/channel-lifecycle.js';
import { logger } from '../../shared/logger.js';
import { AccessTokenCache } from '../wechat-common/access-token-cache.js';
import { InProcessNonceStore } from '../wechat-common/callback-nonce-store.js';
import { WechatCallbackCrypto } from '../wechat-common/wechat-callback-crypto.js';
import { officialAccountTokenFetcher, WechatApiClient } from '../wechat-common/wechat-api-client.js';
import { OaAdapter, type HoldReason } from './oa-adapter.js';
import { OaApi } from './oa-api.js';
import { oaCallbackRouter } from './oa-callback-router.js';
import type { MenuAction } from './oa-decode.js';
import { takeOaCallback } from './oa-intake.js';
import { OaStore, type HeldItem } from './oa-store.js';

/** The Official Account's settings, parsed from WECHAT_OA_* by src/config/wechat-oa-config.ts. */
export interface WechatOaSettings {
  appId: string;
  appSecret: string;
  /** The callback Token (令牌) from the platform's server configuration. */
  token: string;
  /** EncodingAESKey (消息加解密密钥); required in safe mode. */
  aesKey?: string;
  mode: 'plain' | 'safe';
  /** A verified account (认证) may use the customer-service API; an unverified one answers passively. */
  verified: boolean;
  /** https://api.weixin.qq.com, or a stub in tests. */
  apiBase: string;
  /** The callback path ("server address" on the platform), e.g. /wechat/oa/callback. */
  path: string;
  welcome: string;
  menu: Record<string, MenuAction>;
  passiveWaitMs: number;
  /** Sends WeChat allows per customer message (48 hours) and per follow / scan / menu click (1 minute). */
  messageQuota: number;
  eventQuota: number;
}

/** What staff read in the conversation (an internal note by system:wechat_oa, never sent) when a reply is held. */
const NOTICE: Record<Exclude<HoldReason, 'late'>, string> = {
  window_closed: 'A reply could not be sent: more than 48 hours since the customer\'s last WeChat message. It goes out when they write again.',
  quota: 'A reply could not be sent: WeChat\'s limit of messages per customer message is used up. It goes out when they write again.',
  unauthorized: 'This Official Account cannot send on its own (not verified). The reply is shown when the customer writes again.',
};

/**
 * The WeChat Official Account channel (webhook placement: its callback runs in every web process;
 * any worker delivers). Read src/channels/README.md, "WeChat Official Account", for the flow.
 */
export function createWechatOaChannel(settings: WechatOaSettings, services: ChannelServices): ChannelInstance {
  const log = logger('channel.wechat_oa');
  const clock = services.clock ?? (() => new Date());
  const counters: Record<string, number> = { received: 0, duplicates: 0, sent: 0, held: 0, sendFailed: 0 };
  const started = clock().toISOString();
  const store = new OaStore(services.state);
  const tokens = new AccessTokenCache({
    state: services.state, key: `token:${settings.appId}`, tryLease: services.tryLease,
    fetch: officialAccountTokenFetcher(settings.apiBase, settings.appId, settings.appSecret),
  });
  const api = new OaApi(new WechatApiClient({ baseUrl: settings.apiBase, tokens }));
  const crypto = new WechatCallbackCrypto({ token: settings.token, encodingAesKey: settings.aesKey, receiverId: settings.appId }, new InProcessNonceStore(), () => clock());
  const deliveryDeps = {
    appId: settings.appId, verified: settings.verified, store, api, counters, log, clock,
    noticeHeld: async (threadId: string, item: HeldItem, reason: HoldReason) => {
      // a late passive answer hands off instead (oa-intake.ts); the rest is a note for staff, one per reply
      if (reason === 'late' || !services.sink.noteForStaff) return;
      const noted = await services.sink.noteForStaff({ channel: 'wechat_oa', threadId, key: `held:${item.id}`, kind: 'reply_held', text: NOTICE[reason] });
      if (!noted.stored) log.warn({ messageId: item.id, reason }, 'held reply: no conversation on this thread to note it on');
    },
  };
  const adapter = new OaAdapter(deliveryDeps);
  const router = oaCallbackRouter({
    path: settings.path, mode: settings.mode, crypto, counters, log, clock,
    take: (fields, startedAt) => takeOaCallback(fields, {
      ...deliveryDeps, sink: services.sink, media: services.media, menu: settings.menu, welcome: settings.welcome,
      passiveWaitMs: settings.passiveWaitMs, messageQuota: settings.messageQuota, eventQuota: settings.eventQuota,
    }, startedAt),
  });
  // degraded while sends failed in the last 5 minutes (an outage, a refused token); held replies are only reported
  const failures = { seen: 0, at: 0 };
  const health = (): ChannelHealth => {
    const refused = Object.entries(counters).filter(([k]) => k.startsWith('rejected_')).reduce((n, [, v]) => n + v, 0);
    if (counters.sendFailed > failures.seen) Object.assign(failures, { seen: counters.sendFailed, at: clock().getTime() });
    const trouble = failures.at > 0 && clock().getTime() - failures.at < 5 * 60_000;
    return {
      state: trouble ? 'degraded' : 'up',
      detail: `${settings.verified ? 'verified: customer-service API' : 'unverified: passive replies only'}, ${settings.mode} mode${counters.held ? `; ${counters.held} replies waited for the customer's next contact` : ''}${refused ? `; ${refused} callbacks rejected` : ''}`,
      since: started,
      counters: { ...counters, tokenRefreshes: tokens.refreshes },
    };
  };
  return {
    adapter,
    router,
    async start() { log.info({ verified: settings.verified, mode: settings.mode }, 'WeChat Official Account callback ready'); },
    async stop() { /* nothing held open: the callback lives in the web server */ },
    health,
  };
}
