import type express from 'express';
import { ASSISTANT_NOT_ENABLED, type AssistantPort } from '../../shared/assistant-port.js';
import type { ChannelLease, ChannelStateStore } from '../../shared/channel-lifecycle.js';
import type { StaffActionSink } from '../../shared/staff-notifier.js';
import { AccessTokenCache } from '../wechat-common/access-token-cache.js';
import { StateNonceStore } from '../wechat-common/callback-nonce-store.js';
import { WechatCallbackCrypto } from '../wechat-common/wechat-callback-crypto.js';
import { WechatApiClient, wecomTokenFetcher } from '../wechat-common/wechat-api-client.js';
import { WecomAppApi } from './wecom-app-api.js';
import { createWecomAppCallbackRouter } from './wecom-app-callback-router.js';
import { WecomAppNotifier, type WecomRecipients } from './wecom-app-notifier.js';
import { SelectedConversations, WecomAppResponder } from './wecom-app-responder.js';

export interface WecomAppSettings {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  aesKey: string;
  apiBase: string;
  publicUrl: string;
}

/** What the composition root lends the app: the staff directory (from the CRM) and shared state. */
export interface WecomAppDeps {
  /** The WeCom user ids bound to the staff a notification is for. */
  recipients: WecomRecipients;
  /** Whether a WeCom user id is bound to an active staff member. */
  isStaff: (user: string) => Promise<boolean>;
  /** Durable state of this tool (access token, nonces, each user's selected conversation), shared by all processes. */
  state: ChannelStateStore;
  tryLease: (name: string, ttlMs: number) => Promise<ChannelLease | null>;
}

/**
 * The WeCom self-built app (企业微信自建应用) as a staff tool, in the two halves Slack has: the
 * notifier (registered with the desk before the engine starts) and the callback router (mounted
 * once the desk — the StaffActionSink — exists).
 */
export function createWecomAppStaffTool(settings: WecomAppSettings, deps: WecomAppDeps) {
  const tokens = new AccessTokenCache({
    state: deps.state, key: `token:${settings.corpId}:${settings.agentId}`, tryLease: deps.tryLease,
    // the app's own secret, so a token of its own (not the kf account's)
    fetch: wecomTokenFetcher(settings.apiBase, settings.corpId, settings.secret),
  });
  const api = new WecomAppApi({ client: new WechatApiClient({ baseUrl: settings.apiBase, tokens }), agentId: settings.agentId });
  const notifier = new WecomAppNotifier({ sender: api, recipients: deps.recipients, publicUrl: settings.publicUrl });
  return {
    api,
    notifier,
    /** GET/POST /wecom/app/callback. `assistant` answers staff questions (a stand-in says it is not enabled until wired). */
    router(sink: StaffActionSink, assistant: AssistantPort = ASSISTANT_NOT_ENABLED): express.Router {
      const crypto = new WechatCallbackCrypto({ token: settings.token, encodingAesKey: settings.aesKey, receiverId: settings.corpId }, new StateNonceStore(deps.state));
      const responder = new WecomAppResponder({
        sink, assistant, selected: new SelectedConversations(deps.state), isStaff: deps.isStaff,
        send: async (user, message) => { await api.send([user], message); },
        uploadImage: (png) => api.uploadImage(png),
        updateCard: (code, label) => api.updateCardButtons(code, label),
      });
      return createWecomAppCallbackRouter({ crypto, agentId: settings.agentId, handle: (inbound) => responder.respond(inbound) });
    },
  };
}

export type WecomAppStaffTool = ReturnType<typeof createWecomAppStaffTool>;
