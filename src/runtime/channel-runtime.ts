import type { Router } from 'express';
import type { Server } from 'node:http';
import type { ChannelRegistry } from '../conversation/engine/channel-registry.js';
import type { LeaseManager } from '../jobs/lease-types.js';
import type { ChannelHealth, ChannelInstance, ChannelPlacement, ChannelServices } from '../shared/channel-lifecycle.js';
import { logger } from '../shared/logger.js';
import type { ChannelDefinition } from './channel-catalog.js';

const log = logger('channels');
/** A singleton's lease: another process takes over about this long after its holder dies. */
export const SINGLETON_LEASE_TTL_MS = 15_000;

export interface ChannelStatus extends ChannelHealth {
  placement: ChannelPlacement;
}

export interface ChannelRuntime {
  /** Webhook routes of every channel (mount in web processes). */
  routers: Router[];
  attach(server: Server): void;
  health(): Record<string, ChannelStatus>;
  stop(): Promise<void>;
}

/**
 * Builds every catalogued channel, registers its adapter (any process may deliver its replies)
 * and runs it by placement: a `webhook` channel starts here; a `singleton` starts only while this
 * process holds the lease `channel:<id>` and stops when it loses it, so exactly one process of the
 * cluster runs its long-lived client (an IMAP connection, wechaty). Starting never throws for a
 * channel's own trouble: that shows in its health.
 */
export function startChannels(defs: ChannelDefinition[], deps: { registry: ChannelRegistry; leases: LeaseManager; services: (id: string) => ChannelServices }): ChannelRuntime {
  const running: { def: ChannelDefinition; instance: ChannelInstance; stop: () => Promise<void> }[] = [];
  for (const def of defs) {
    const instance = def.create(deps.services(def.id));
    deps.registry.register(instance.adapter);
    if (def.placement === 'webhook') {
      instance.start().catch((err: unknown) => log.error({ channel: def.id, err: (err as Error).message }, 'channel failed to start'));
      running.push({ def, instance, stop: () => instance.stop() });
      continue;
    }
    const holder = deps.leases.hold(`channel:${def.id}`, {
      ttlMs: SINGLETON_LEASE_TTL_MS,
      onAcquired: async (lease) => {
        log.info({ channel: def.id, fence: lease.fence }, 'this process runs the channel');
        await instance.start();
      },
      onLost: async () => {
        log.info({ channel: def.id }, 'channel lease lost: stopping it here');
        await instance.stop();
      },
    });
    running.push({ def, instance, stop: () => holder.stop() });
  }
  return {
    routers: running.flatMap((r) => (r.instance.router ? [r.instance.router] : [])),
    attach: (server) => { for (const r of running) r.instance.attach?.(server); },
    health: () => Object.fromEntries(running.map((r) => [r.def.id, { ...r.instance.health(), placement: r.def.placement }])),
    async stop() {
      for (const r of running.reverse()) await r.stop().catch((err: unknown) => log.warn({ channel: r.def.id, err: (err as Error).message }, 'error while stopping a channel'));
    },
  };
}
