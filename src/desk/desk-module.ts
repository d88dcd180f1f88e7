import type { Server } from 'node:http';
import type express from 'express';
import type { Crm } from '../crm/index.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { MessageBus } from '../shared/message-bus.js';
import { createServiceHours } from '../shared/service-hours.js';
import type { StaffNotifier } from '../shared/staff-notifier.js';
import { InProcessRateLimiter, type RateLimiter } from '../shared/rate-limiter.js';
import { StaffAuth } from './auth/staff-auth.js';
import { createDeskRouter } from './http/desk-router.js';
import { DeskSockets } from './http/desk-socket.js';
import { DeskLiveNotifier } from './notifiers/desk-live-notifier.js';
import { StaffNotifierRegistry } from './notifiers/staff-notifier-registry.js';
import { WebhookNotifier } from './notifiers/webhook-notifier.js';
import type { IncomingMessage } from 'node:http';
import { authenticateRequest } from './auth/staff-auth-middleware.js';
import { DeskSweeper, SWEEP_INTERVAL_MS } from './outbox/desk-sweeper.js';
import { StaffOutboxDispatcher, type OutboxRetryPolicy } from './outbox/staff-outbox-dispatcher.js';
import type { CustomerDelivery, DeskSettings, HandoffBridgePort, StaffImageStore } from './service/desk-ports.js';
import { DeskService } from './service/desk-service.js';
import { ExternalStaffActions } from './service/external-staff-actions.js';

export interface DeskConfig {
  publicUrl?: string;
  serviceHours: string;
  timeZone: string;
  remindAfterMs: number;
  escalateAfterMs: number;
  autoAssign: boolean;
  maxChatsPerAgent: number;
  sessionHours: number;
  notifyWebhookUrl?: string;
}

/**
 * The staff notifiers of this installation. Built before the engine, which writes outbox rows for
 * their targets; Slack and the WeCom robot come in `extra` when configured (src/channels/staff-tools.ts).
 */
export function createStaffNotifiers(bus: MessageBus, cfg: Pick<DeskConfig, 'notifyWebhookUrl' | 'publicUrl'>, extra: StaffNotifier[] = []): StaffNotifierRegistry {
  const registry = new StaffNotifierRegistry().register(new DeskLiveNotifier(bus));
  if (cfg.notifyWebhookUrl) registry.register(new WebhookNotifier(cfg.notifyWebhookUrl, { publicUrl: cfg.publicUrl }));
  for (const n of extra) registry.register(n);
  return registry;
}

export function deskSettings(cfg: DeskConfig): DeskSettings {
  return {
    serviceHours: createServiceHours(cfg.serviceHours, cfg.timeZone), autoAssign: cfg.autoAssign, maxChatsPerAgent: cfg.maxChatsPerAgent,
    remindAfterMs: cfg.remindAfterMs, escalateAfterMs: cfg.escalateAfterMs, publicUrl: cfg.publicUrl ?? '',
  };
}

/** The cluster scheduler of design.md contract 1 (trust-ops), as far as the desk uses it. */
export interface SchedulerLike {
  every(name: string, intervalMs: number, task: (c: { fence: number; now: Date }) => Promise<void>): void;
}

export interface DeskModuleDeps {
  crm: Crm;
  queue: JobQueue;
  bus: MessageBus;
  registry: StaffNotifierRegistry;
  config: DeskConfig;
  bridge: HandoffBridgePort;
  delivery: CustomerDelivery;
  images?: StaffImageStore;
  shop: { name: string; currency: string };
  uploadMaxBytes: number;
  /** The one rate limiter (Redis-shared with REDIS_URL, so sign-in limits hold across processes); an in-process one when omitted. */
  limiter?: RateLimiter;
  retry?: Partial<OutboxRetryPolicy>;
}

/** Everything of the staff desk, wired: the service, auth, the outbox worker, the sweeper, HTTP and the socket. */
export function createDesk(deps: DeskModuleDeps) {
  const settings = deskSettings(deps.config);
  const { crm, queue, registry } = deps;
  const service = new DeskService({ crm, queue, targetsFor: registry.targetsFor, bridge: deps.bridge, delivery: deps.delivery, images: deps.images, settings });
  const dispatcher = new StaffOutboxDispatcher({ crm, queue, registry, retry: deps.retry });
  const sweeper = new DeskSweeper({ crm, queue, service, dispatcher, settings, targetsFor: registry.targetsFor });
  const auth = new StaffAuth({ crm, limiter: deps.limiter ?? new InProcessRateLimiter(), sessionHours: deps.config.sessionHours });
  const allowedOrigins = deps.config.publicUrl ? [new URL(deps.config.publicUrl).origin] : [];
  const actions = new ExternalStaffActions({ crm, service });
  let sockets: DeskSockets | undefined;
  let timer: { stop(): Promise<void> } | undefined;

  return {
    settings, service, dispatcher, sweeper, auth, actions, registry,
    router(): express.Router {
      return createDeskRouter({
        crm, auth, service, settings, shop: deps.shop, images: deps.images, uploadMaxBytes: deps.uploadMaxBytes, allowedOrigins,
        health: async () => ({ process: dispatcher.counters, targets: registry.targets() }),
      });
    },
    attach(server: Server): void {
      sockets ??= new DeskSockets({ crm, auth, bus: deps.bus, allowedOrigins });
      sockets.attach(server);
    },
    /** The worker side: deliver notifications, pick up what a crash left, run the periodic sweep. */
    async startWorkers(opts: { concurrency?: number; sweepIntervalMs?: number; recover?: boolean } = {}): Promise<{ requeued: number }> {
      dispatcher.start({ concurrency: opts.concurrency });
      await crm.desk.canned.ensureDefaults();
      if (opts.recover === false) return { requeued: 0 };
      const requeued = await dispatcher.recover({ startup: true });
      timer = sweeper.startTimer(opts.sweepIntervalMs);
      return { requeued };
    },
    /**
     * Runs the sweep under the cluster scheduler (one process at a time) instead of this
     * process's timer. For the composition root once the scheduler is on main.
     */
    scheduleWith(scheduler: SchedulerLike, intervalMs = SWEEP_INTERVAL_MS): void {
      void timer?.stop();
      timer = undefined;
      scheduler.every('desk-sweep', intervalMs, async ({ now }) => { await sweeper.tick(now); });
    },
    /** For the media store (contract 3): may this request see staff-only media? A desk session or a staff token. */
    async authorizeStaff(req: IncomingMessage): Promise<{ staffId: number } | undefined> {
      const r = await authenticateRequest(auth, req);
      return r.ok && !(r.via === 'session' && r.session.mustChangePassword) ? { staffId: r.principal.staffId } : undefined;
    },
    async stop(): Promise<void> {
      await timer?.stop();
      await sockets?.close();
    },
  };
}

export type Desk = ReturnType<typeof createDesk>;
