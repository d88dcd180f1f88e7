import { z } from 'zod';
import { AppError } from '../shared/app-error.js';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));
const count = (max: number) => z.coerce.number().int().min(1).max(max);

/**
 * The wechaty channel's variables (spread into config.ts's schema). On when WECHATY_PUPPET names a
 * puppet module; every other variable has a default chosen to look like a person typing, not a
 * bot (README, "wechaty").
 */
export const WECHATY_ENV = {
  // an npm module name: wechaty-puppet-wechat4u, wechaty-puppet-service, @juzi/wechaty-puppet-service, wechaty-puppet-mock (tests)
  WECHATY_PUPPET: z.string().regex(/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/, 'must be the npm name of an installed wechaty puppet, like wechaty-puppet-wechat4u or wechaty-puppet-service').optional(),
  WECHATY_PUPPET_TOKEN: z.string().min(1).optional(),
  /** Room topics or ids (comma-separated) whose every message is answered; other rooms only when the bot is @mentioned. */
  WECHATY_ROOMS: z.string().optional(),
  WECHATY_SEND_PER_MINUTE: count(120).default(8),
  WECHATY_SEND_PER_HOUR: count(5000).default(120),
  WECHATY_WARMUP_HOURS: z.coerce.number().min(0).max(24 * 60).default(72),
  WECHATY_WARMUP_PER_MINUTE: count(120).default(3),
  WECHATY_WARMUP_PER_HOUR: count(5000).default(30),
  /** Pause before each send: at least the first, plus a random part up to the second (ms). */
  WECHATY_SEND_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1200),
  WECHATY_SEND_JITTER_MS: z.coerce.number().int().min(0).max(120_000).default(2500),
  /** Kill switch: nothing is sent (replies wait in the channel's outbox) while true. */
  WECHATY_SEND_PAUSED: bool.default(false),
};

type WechatyEnv = z.output<z.ZodObject<typeof WECHATY_ENV>>;

/** What the wechaty channel is built from (src/channels/wechaty/wechaty-channel.ts). */
export interface WechatyChannelConfig {
  /** The puppet module to import (any installed one). */
  puppet: string;
  token?: string;
  /** Where wechaty keeps its login (memory card), so a restart need not scan again. */
  sessionName: string;
  /** Room topics or ids answered without an @mention. */
  rooms: string[];
  limits: { perMinute: number; perHour: number };
  /** A new login sends less for its first hours (new bot-like accounts are banned first). */
  warmup: { hours: number; perMinute: number; perHour: number };
  delay: { minMs: number; jitterMs: number };
  paused: boolean;
}

export function wechatyChannelConfig(e: WechatyEnv & { DATA_DIR: string }): WechatyChannelConfig | undefined {
  if (!e.WECHATY_PUPPET) {
    const stray = (Object.keys(WECHATY_ENV) as (keyof WechatyEnv)[]).filter((k) => ['WECHATY_PUPPET_TOKEN', 'WECHATY_ROOMS'].includes(k) && e[k]);
    if (stray.length) {
      const msg = `Invalid configuration:\n  WECHATY_PUPPET: required when ${stray.join(' and ')} ${stray.length > 1 ? 'are' : 'is'} set (it turns the wechaty channel on; see README, "wechaty")`;
      throw new AppError('CONFIG_INVALID', msg, { userMessage: msg });
    }
    return undefined;
  }
  if (e.WECHATY_WARMUP_PER_MINUTE > e.WECHATY_SEND_PER_MINUTE || e.WECHATY_WARMUP_PER_HOUR > e.WECHATY_SEND_PER_HOUR) {
    const msg = 'Invalid configuration:\n  WECHATY_WARMUP_PER_MINUTE / WECHATY_WARMUP_PER_HOUR: must not be above WECHATY_SEND_PER_MINUTE / WECHATY_SEND_PER_HOUR (the warm-up is the gentler limit)';
    throw new AppError('CONFIG_INVALID', msg, { userMessage: msg });
  }
  return {
    puppet: e.WECHATY_PUPPET,
    token: e.WECHATY_PUPPET_TOKEN,
    sessionName: `${e.DATA_DIR.replace(/\/+$/, '')}/wechaty-session`,
    rooms: (e.WECHATY_ROOMS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    limits: { perMinute: e.WECHATY_SEND_PER_MINUTE, perHour: e.WECHATY_SEND_PER_HOUR },
    warmup: { hours: e.WECHATY_WARMUP_HOURS, perMinute: e.WECHATY_WARMUP_PER_MINUTE, perHour: e.WECHATY_WARMUP_PER_HOUR },
    delay: { minMs: e.WECHATY_SEND_DELAY_MS, jitterMs: e.WECHATY_SEND_JITTER_MS },
    paused: e.WECHATY_SEND_PAUSED,
  };
}
