/**
 * The channel lifecycle contract (beside `ChannelAdapter` and `InboundSink`): how a channel is
 * created from its settings, started, stopped and watched. The composition root keeps ONE list of
 * channels (src/runtime/channel-catalog.ts) and runs each by its placement:
 *
 * - `webhook`: HTTP routes mounted in every web process; replies are sent from any worker.
 * - `singleton`: a long-lived client (wechaty, an IMAP connection) that must run in exactly one
 *   process of the cluster: the runtime holds the lease `channel:<id>` and starts the instance
 *   only while it holds it (stops it when the lease is lost). Its adapter still sends from any
 *   worker where the platform allows it; otherwise sending goes through the holder.
 *
 * Settings are parsed once at boot by src/config/config.ts (a channel is enabled only when its
 * variables are set); a channel declares the TypeScript shape it receives.
 */
import type { Router } from 'express';
import type { Server } from 'node:http';
import type { MediaStore } from './media-types.js';
import type { ChannelAdapter, InboundSink } from './message-types.js';
import type { RateLimiter } from './rate-limiter.js';
import type { StaffAlerts } from './staff-alerts.js';

export type ChannelPlacement = 'webhook' | 'singleton';

export type ChannelHealthState =
  /** working */
  | 'up'
  /** starting or reconnecting */
  | 'starting'
  /** working with trouble (retries, a closed send window, throttled) */
  | 'degraded'
  /** not working; `detail` says why */
  | 'down'
  /** a singleton waiting while another process holds it */
  | 'standby';

export interface ChannelHealth {
  state: ChannelHealthState;
  /** One line for operators; never secrets or personal data. */
  detail?: string;
  /** ISO time the state began. */
  since: string;
  /** Counters worth watching (received, sent, retried, rejected signatures, …). */
  counters?: Record<string, number>;
}

/** Durable per-channel state (sync cursors, IMAP UIDs, cached access tokens), shared by all processes. */
export interface ChannelStateStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** Sets `key` to `next` only if it currently holds `expected` (undefined = absent). */
  compareAndSet(key: string, expected: string | undefined, next: string): Promise<boolean>;
}

/** A lease held by one process at a time; `fence` grows with every grant (see src/jobs). */
export interface ChannelLease {
  readonly fence: number;
  readonly lost: boolean;
  release(): Promise<void>;
}

/** What every channel instance is given. Channels still import only src/shared. */
export interface ChannelServices {
  sink: InboundSink;
  state: ChannelStateStore;
  /** Short critical sections across processes (e.g. one access-token refresh for all). */
  tryLease(name: string, ttlMs: number): Promise<ChannelLease | null>;
  /** The one media store: every file a customer sends goes here (design contract 3). */
  media: MediaStore;
  /** The one rate limiter (Redis-shared when REDIS_URL is set). */
  limiter: RateLimiter;
  /** Alerts for admins (an account logged out, a login QR code); absent = the channel only logs. */
  alerts?: StaffAlerts;
  clock?: () => Date;
}

export interface ChannelInstance {
  readonly adapter: ChannelAdapter;
  /** Webhook routes, mounted at `/` in web processes. */
  readonly router?: Router;
  /** For channels that upgrade HTTP connections (WebSockets). */
  attach?(server: Server): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): ChannelHealth;
}
