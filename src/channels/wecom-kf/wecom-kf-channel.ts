import type { ChannelHealth, ChannelHealthState, ChannelInstance, ChannelServices } from '../../shared/channel-lifecycle.js';
import { logger } from '../../shared/logger.js';
import { AccessTokenCache } from '../wechat-common/access-token-cache.js';
import { StateNonceStore } from '../wechat-common/callback-nonce-store.js';
import { WechatApiClient, wecomTokenFetcher } from '../wechat-common/wechat-api-client.js';
import { WechatCallbackCrypto } from '../wechat-common/wechat-callback-crypto.js';
import { KfAdapter, type KfHandoffMode } from './kf-adapter.js';
import { kfCallbackRouter } from './kf-callback-router.js';
import { KfPuller } from './kf-puller.js';
import { KfStore } from './kf-store.js';

/** The kf channel's settings, parsed from WECOM_KF_* by src/config/wecom-kf-config.ts. */
export interface WecomKfSettings {
  corpId: string;
  secret: string;
  token: string;
  aesKey: string;
  apiBase: string;
  callbackPath: string;
  handoff: { defaultMode: KfHandoffMode; byAccount: Record<string, KfHandoffMode>; servicerUserId?: string };
  maxSkewMs: number;
}

/** How often each process checks for signals another process's pull may have missed (and after a restart). */
const CATCH_UP_MS = 30_000;

/**
 * WeCom customer service (微信客服), webhook placement: the callback route runs in every web
 * process and acknowledges at once; the pull (kf/sync_msg) runs under a per-account lease in
 * whichever process got the callback; replies go out from any worker. Flow and platform setup:
 * src/channels/README.md, "WeCom customer service".
 */
export function createWecomKfChannel(settings: WecomKfSettings, services: ChannelServices): ChannelInstance {
  const log = logger('channel.wecom_kf');
  const clock = services.clock ?? (() => new Date());
  const store = new KfStore(services.state);
  const counters: Record<string, number> = {
    callbacks: 0, rejectedForged: 0, rejectedStale: 0, rejectedCorrupted: 0, replayed: 0, pulls: 0, received: 0, duplicates: 0,
    sent: 0, sendFailed: 0, held: 0, flushed: 0, handedToWecom: 0, recordedOnly: 0, tokenRefreshes: 0,
  };
  let health: ChannelHealth = { state: 'starting', since: clock().toISOString() };
  const report = (state: ChannelHealthState, detail?: string) => {
    if (health.state !== state || health.detail !== detail) health = { state, detail, since: clock().toISOString() };
  };
  const tokens = new AccessTokenCache({
    state: services.state, key: `token:${settings.corpId}`, tryLease: services.tryLease, clock: () => clock().getTime(),
    fetch: wecomTokenFetcher(settings.apiBase, settings.corpId, settings.secret),
  });
  const api = new WechatApiClient({ baseUrl: settings.apiBase, tokens });
  const crypto = new WechatCallbackCrypto({ token: settings.token, encodingAesKey: settings.aesKey, receiverId: settings.corpId, maxSkewMs: settings.maxSkewMs }, new StateNonceStore(services.state), clock);
  const adapter = new KfAdapter({
    api, store, media: services.media, counters, report, log, clock, servicerUserId: settings.handoff.servicerUserId,
    noteForStaff: services.sink.noteForStaff?.bind(services.sink),
    modeOf: (kf) => settings.handoff.byAccount[kf] ?? settings.handoff.defaultMode,
  });
  const puller = new KfPuller({ api, store, sink: services.sink, media: services.media, tryLease: services.tryLease, corpId: settings.corpId, counters, report, log, clock, flushHeld: (t) => adapter.flushHeld(t) });
  const pull = (kf: string) => {
    puller.pull(kf).then(
      () => { if (health.state === 'starting' || (health.state === 'degraded' && health.detail?.startsWith('kf/sync_msg'))) report('up'); },
      (err: unknown) => {
        report('degraded', `pull failed: ${(err as { code?: string }).code ?? 'INTERNAL'} (retried on the next callback or within ${CATCH_UP_MS / 1000} s)`);
        log.warn({ code: (err as { code?: string }).code, err: (err as Error).message }, 'kf pull failed; the cursor stays, nothing is lost');
      },
    );
  };
  const known = new Set<string>();
  const router = kfCallbackRouter(settings.callbackPath, {
    crypto, counters, log, pull,
    signal: async (kf, token) => {
      await store.saveSignal(kf, { token, at: clock().getTime() });
      // the account list changes once per kf account: not a read on every callback
      if (!known.has(kf)) {
        await store.addAccount(kf);
        known.add(kf);
      }
    },
  });
  let timer: NodeJS.Timeout | undefined;
  return {
    adapter,
    router,
    async start() {
      report('up');
      // a signal stored before a crash (acknowledged, never pulled) is pulled now
      const catchUp = () => puller.catchUp().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'kf catch-up failed; tried again in a while'));
      void catchUp();
      timer = setInterval(() => void catchUp(), CATCH_UP_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      report('standby', 'stopped in this process');
    },
    health: () => ({ ...health, counters: { ...counters, tokenRefreshes: tokens.refreshes } }),
  };
}
