import { AppError } from '../shared/app-error.js';
import type { Env } from './config.js';

export interface WecomAppConfig {
  corpId: string;
  agentId: number;
  secret: string;
  /** Callback Token and EncodingAESKey of the app's "Receive messages" (接收消息) settings. */
  token: string;
  aesKey: string;
  /** The server API root without a trailing slash (https://qyapi.weixin.qq.com). */
  apiBase: string;
  /** PUBLIC_URL: every card links to the conversation in /desk. */
  publicUrl: string;
}

const REQUIRED = ['WECOM_APP_CORP_ID', 'WECOM_APP_AGENT_ID', 'WECOM_APP_SECRET', 'WECOM_APP_TOKEN', 'WECOM_APP_AES_KEY'] as const;
export const WECOM_API_DEFAULT = 'https://qyapi.weixin.qq.com';

/** The WeCom app's settings: all-or-nothing, so a half-configured app fails at boot naming what is missing. */
export function wecomAppConfig(e: Env): WecomAppConfig | undefined {
  const given = REQUIRED.filter((k) => e[k]);
  if (!given.length) return undefined;
  const missing: string[] = REQUIRED.filter((k) => !e[k]).map((k) => `${k}: required when ${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} set (see README, "WeCom app for staff")`);
  if (!e.PUBLIC_URL) missing.push('PUBLIC_URL: required with the WeCom app (its cards link to the conversation in /desk)');
  if (missing.length) {
    const msg = `Invalid configuration:\n${missing.map((m) => `  ${m}`).join('\n')}`;
    throw new AppError('CONFIG_INVALID', msg, { userMessage: msg });
  }
  return {
    corpId: e.WECOM_APP_CORP_ID!, agentId: Number(e.WECOM_APP_AGENT_ID), secret: e.WECOM_APP_SECRET!, token: e.WECOM_APP_TOKEN!, aesKey: e.WECOM_APP_AES_KEY!,
    apiBase: (e.WECOM_API_BASE ?? WECOM_API_DEFAULT).replace(/\/+$/, ''), publicUrl: e.PUBLIC_URL!,
  };
}
