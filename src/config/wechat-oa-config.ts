import { AppError } from '../shared/app-error.js';
import type { Env } from './config.js';

export interface WechatOaConfig {
  appId: string;
  appSecret: string;
  token: string;
  aesKey?: string;
  mode: 'plain' | 'safe';
  verified: boolean;
  apiBase: string;
  path: string;
  welcome: string;
  /** WECHAT_OA_MENU as given; src/channels/wechat-oa parses it. */
  menu?: string;
  passiveWaitMs: number;
  messageQuota: number;
  eventQuota: number;
}

const REQUIRED = ['WECHAT_OA_APP_ID', 'WECHAT_OA_APP_SECRET', 'WECHAT_OA_TOKEN'] as const;
const WECHAT_API = 'https://api.weixin.qq.com';

/**
 * The Official Account is on when any of AppID, AppSecret and Token is set; then all three must
 * be. The encoding mode defaults to safe when an EncodingAESKey is given, and safe mode needs one.
 */
export function wechatOaConfig(e: Env, shopName: string): WechatOaConfig | undefined {
  const given = REQUIRED.filter((k) => e[k]);
  if (!given.length) return undefined;
  const problems = REQUIRED.filter((k) => !e[k]).map((k) => `  ${k}: required when ${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'} set (README, "WeChat Official Account")`);
  const mode = e.WECHAT_OA_ENCODING ?? (e.WECHAT_OA_AES_KEY ? 'safe' : 'plain');
  if (mode === 'safe' && !e.WECHAT_OA_AES_KEY) problems.push('  WECHAT_OA_AES_KEY: required in safe mode (WECHAT_OA_ENCODING=safe): the EncodingAESKey from 基本配置 → 服务器配置');
  if (problems.length || !e.WECHAT_OA_APP_ID || !e.WECHAT_OA_APP_SECRET || !e.WECHAT_OA_TOKEN) {
    const msg = `Invalid configuration:\n${problems.join('\n')}`;
    throw new AppError('CONFIG_INVALID', msg, { userMessage: `${msg}\nSee .env.example for every variable.` });
  }
  return {
    appId: e.WECHAT_OA_APP_ID, appSecret: e.WECHAT_OA_APP_SECRET, token: e.WECHAT_OA_TOKEN,
    aesKey: e.WECHAT_OA_AES_KEY, mode, verified: e.WECHAT_OA_VERIFIED,
    apiBase: (e.WECHAT_API_BASE ?? WECHAT_API).replace(/\/$/, ''),
    path: e.WECHAT_OA_PATH,
    welcome: e.WECHAT_OA_WELCOME ?? `欢迎关注${shopName}！直接发消息即可查询订单、退换货和常见问题，回复"转人工"找客服。\nWelcome to ${shopName}! Send us a message about an order, a return or a question; "talk to a person" reaches one of us.`,
    menu: e.WECHAT_OA_MENU,
    passiveWaitMs: e.WECHAT_OA_PASSIVE_WAIT_MS,
    messageQuota: e.WECHAT_OA_MESSAGE_QUOTA,
    eventQuota: e.WECHAT_OA_EVENT_QUOTA,
  };
}
