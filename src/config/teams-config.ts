import { AppError } from '../shared/app-error.js';
import type { Env } from './config.js';

export interface TeamsConfig {
  appId: string;
  appPassword: string;
  appType: 'SingleTenant' | 'MultiTenant';
  /** Required for SingleTenant: tokens are requested from, and activities accepted from, this tenant only. */
  tenantId?: string;
  /** The team channel handoff cards are posted in. */
  channelId: string;
}

const TEAMS_SETTINGS = ['TEAMS_APP_ID', 'TEAMS_APP_PASSWORD', 'TEAMS_APP_TENANT_ID', 'TEAMS_CHANNEL_ID'] as const;

/** Teams settings: all-or-nothing, so a half-configured bot fails at boot naming what is missing. */
export function teamsConfig(e: Env): TeamsConfig | undefined {
  if (!TEAMS_SETTINGS.some((k) => e[k])) return undefined;
  const required = TEAMS_SETTINGS.filter((k) => k !== 'TEAMS_APP_TENANT_ID' || e.TEAMS_APP_TYPE === 'SingleTenant');
  const missing = required.filter((k) => !e[k]);
  const { TEAMS_APP_ID: appId, TEAMS_APP_PASSWORD: appPassword, TEAMS_CHANNEL_ID: channelId } = e;
  if (missing.length || !appId || !appPassword || !channelId) {
    const msg = `Invalid configuration:\n${missing.map((k) => `  ${k}: required when Microsoft Teams is configured (${e.TEAMS_APP_TYPE}); see README, "Microsoft Teams"`).join('\n')}`;
    throw new AppError('CONFIG_INVALID', msg, { userMessage: msg });
  }
  return { appId, appPassword, appType: e.TEAMS_APP_TYPE, tenantId: e.TEAMS_APP_TENANT_ID, channelId };
}
