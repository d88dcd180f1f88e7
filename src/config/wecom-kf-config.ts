import { AppError } from '../shared/app-error.js';
import type { Env } from './config.js';

export type KfHandoffMode = 'shopdesk' | 'wecom';

/** WeCom customer service (微信客服): what src/channels/wecom-kf/ is built from. */
export interface WecomKfConfig {
  corpId: string;
  /** The 微信客服 secret (or a self-built app's secret with the kf API permission). */
  secret: string;
  /** Callback Token and EncodingAESKey from the kf callback settings. */
  token: string;
  aesKey: string;
  /** https://qyapi.weixin.qq.com unless WECOM_API_BASE says otherwise (a proxy, the test stub). */
  apiBase: string;
  /** Where WeCom posts callbacks (mounted in every web process). */
  callbackPath: string;
  /** Handoff per kf account (open_kfid); accounts not listed use `defaultMode`. */
  handoff: { defaultMode: KfHandoffMode; byAccount: Record<string, KfHandoffMode>; servicerUserId?: string };
  /** Callbacks further than this from our clock are refused as stale. */
  maxSkewMs: number;
}

const REQUIRED = ['WECOM_KF_CORP_ID', 'WECOM_KF_SECRET', 'WECOM_KF_TOKEN', 'WECOM_KF_AES_KEY'] as const;

function invalid(lines: string[]): AppError {
  const msg = `Invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`;
  return new AppError('CONFIG_INVALID', msg, { userMessage: `${msg}\nSee .env.example and README, "WeCom customer service (微信客服)".` });
}

/** `wkAAA=wecom,wkBBB=shopdesk` → a map; a bad entry names itself. */
function parseHandoffMap(raw: string | undefined): Record<string, KfHandoffMode> {
  const out: Record<string, KfHandoffMode> = {};
  for (const part of (raw ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([\w-]{1,64})\s*=\s*(shopdesk|wecom)$/.exec(part);
    if (!m) throw invalid([`WECOM_KF_HANDOFF: "${part.slice(0, 80)}" is not open_kfid=shopdesk|wecom`]);
    out[m[1]] = m[2] as KfHandoffMode;
  }
  return out;
}

/** On when any of the four secrets is set; then all four must be (a half-configured channel fails at boot). */
export function wecomKfConfig(e: Env): WecomKfConfig | undefined {
  const given = REQUIRED.filter((k) => e[k]);
  if (!given.length) return undefined;
  const missing = REQUIRED.filter((k) => !e[k]);
  if (missing.length) throw invalid(missing.map((k) => `${k}: required when ${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'} set (WeCom customer service needs the corp id, the secret, the callback Token and EncodingAESKey)`));
  return {
    corpId: e.WECOM_KF_CORP_ID!,
    secret: e.WECOM_KF_SECRET!,
    token: e.WECOM_KF_TOKEN!,
    aesKey: e.WECOM_KF_AES_KEY!,
    apiBase: (e.WECOM_API_BASE ?? 'https://qyapi.weixin.qq.com').replace(/\/+$/, ''),
    callbackPath: e.WECOM_KF_CALLBACK_PATH,
    handoff: { defaultMode: e.WECOM_KF_HANDOFF_MODE, byAccount: parseHandoffMap(e.WECOM_KF_HANDOFF), servicerUserId: e.WECOM_KF_SERVICER_USERID },
    maxSkewMs: e.WECOM_KF_MAX_SKEW_SECONDS * 1000,
  };
}
