/**
 * The composition root: builds every part from config and wires them together. Nothing imports
 * this file except the CLI. See docs/architecture.md for the map.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { loadConfig, type Config } from './config/config.js';
import { openDatabase, type Database } from './db/database-client.js';
import { migrate, migrationStatus } from './db/migrator.js';
import { createCrm, type Crm } from './crm/index.js';
import { isShopEmpty, seedShop } from './crm/seed/index.js';
import { recomputeSegments } from './crm/segments/index.js';
import { connectJobQueue } from './jobs/queue-factory.js';
import type { JobQueue } from './jobs/job-queue.js';
import type { LeaseManager, Scheduler } from './jobs/lease-types.js';
import { Reconciler } from './jobs/reconciler.js';
import { storageReadiness } from './db/storage-readiness.js';
import { RedisMessageBus } from './jobs/redis-message-bus.js';
import { InProcessMessageBus, type MessageBus } from './shared/message-bus.js';
import { ChannelRegistry } from './conversation/engine/channel-registry.js';
import { ConversationEngine } from './conversation/engine/conversation-engine.js';
import { IDLE_SWEEP_MAX_INTERVAL_MS } from './conversation/engine/idle-resolver.js';
import { createHandoffBridge } from './conversation/engine/handoff-bridge.js';
import { createDesk, createStaffNotifiers, deskSettings, type Desk } from './desk/desk-module.js';
import type { OutboxRetryPolicy } from './desk/outbox/staff-outbox-dispatcher.js';
import { loadKnowledge, type LoadedKnowledge } from './conversation/engine/knowledge-answerer.js';
import { createLlmAssistant } from './conversation/llm/llm-assistant.js';
import { llmClientFor } from './conversation/llm/openai-llm-client.js';
import { ReloadingClassifier } from './conversation/nlu/reloading-classifier.js';
import { createWebChatRouter } from './channels/web/web-chat-router.js';
import { WebChatAdapter } from './channels/web/web-chat-adapter.js';
import { createRestChannelRouter, RestChannelAdapter } from './channels/rest/rest-channel-router.js';
import { historyForThread } from './conversation/engine/thread-history.js';
import { createHttpApp, listen } from './http/http-server.js';
import { defaultWebChatLimits } from './channels/web/web-chat-limits.js';
import { FileMediaStore } from './media/file-media-store.js';
import { createMediaRouter } from './media/media-router.js';
import { RedisRateLimiter } from './jobs/redis-rate-limiter.js';
import { InProcessRateLimiter, type RateLimiter } from './shared/rate-limiter.js';
import { IMAGE_TYPES, type AuthorizeStaff, type MediaStore } from './shared/media-types.js';
import type { OtpSender, SmsProvider } from './shared/otp-sender.js';
import { SmtpOtpSender } from './otp/smtp-otp-sender.js';
import { CombinedOtpSender, SmsOtpSender } from './otp/sms-otp-sender.js';
import { HttpSmsGateway } from './otp/http-sms-gateway.js';
import { AppError } from './shared/app-error.js';
import { logger, redactUrl, rootLogger } from './shared/logger.js';
import type { ChannelAdapter, ChannelName } from './shared/message-types.js';
import type { StaffImageStore } from './desk/service/desk-ports.js';
import type { StaffNotifier } from './shared/staff-notifier.js';
import { fanOutAlerts, type StaffAlertTarget } from './shared/staff-alerts.js';
import { createAssistant } from './assistant/assistant-module.js';
import { createAskRouter } from './assistant/ask-http-router.js';
import { staffAssistantPort } from './assistant/staff-assistant-adapter.js';
import { staffToolAssistant } from './assistant/staff-tool-assistant.js';
import { channelCatalog } from './runtime/channel-catalog.js';
import { startChannels, type ChannelRuntime } from './runtime/channel-runtime.js';
import type { AssistantPort } from './shared/assistant-port.js';
import type { TeamsBot } from './channels/teams/teams-bot.js';
import type { BotFrameworkEndpoints } from './channels/teams/teams-auth.js';
import { createStaffTools } from './channels/staff-tools.js';
import type { WecomAudience } from './channels/wecom-app/wecom-app-cards.js';

const log = logger('main');

export interface StartOptions {
  /** Overrides on top of process.env (tests, CLI flags). */
  env?: Record<string, string | undefined>;
  /** Serve HTTP (false for the terminal chat). */
  http?: boolean;
  /** Extra channel adapters (the terminal chat registers its own). */
  adapters?: ChannelAdapter[];
  /** More places for operational alerts (tests record them here). */
  alertTargets?: StaffAlertTarget[];
  /**
   * Re-queue unfinished work of every channel at start (default true). The terminal chat turns
   * it off: it must not answer web chat messages through its own process.
   */
  recover?: boolean;
  /** Redis key prefix for the queue and the bus (tests and benchmarks keep to their own). */
  redisPrefix?: string;
  /** Staff desk overrides: extra notifiers, the outbox's retry timing, the sweep interval. */
  desk?: { notifiers?: StaffNotifier[]; retry?: Partial<OutboxRetryPolicy>; sweepIntervalMs?: number };
  onProgress?: (message: string) => void;
  /** How /media/:id recognises a signed-in staff member (the desk supplies it). */
  authorizeStaff?: AuthorizeStaff;
  /** The shop's text-message gateway: one-time codes then go out by SMS too. */
  smsProvider?: SmsProvider;
  /** The managers' assistant that staff tools (Slack, Teams) hand staff questions to; without it they say it is not enabled. */
  assistant?: AssistantPort;
  /** Bot Framework endpoints for Teams (tests point them at local stubs; default public Azure). */
  teamsEndpoints?: Partial<BotFrameworkEndpoints>;
}

/** Microsoft Teams as a staff tool when TEAMS_* is configured (src/channels/teams/); botbuilder takes a second to load, so only then. */
async function teamsBot(config: Config, crm: Crm, endpoints?: Partial<BotFrameworkEndpoints>): Promise<TeamsBot | undefined> {
  if (!config.teams) return undefined;
  const { createTeamsBot } = await import('./channels/teams/teams-bot.js');
  const { appId, appPassword, appType, tenantId, channelId } = config.teams;
  return createTeamsBot({
    app: { appId, appPassword, appType, tenantId }, channelId, locale: config.shop.defaultLocale, publicUrl: config.desk.publicUrl,
    references: crm.teamsReferences, endpoints,
  });
}

/** What the WeCom app reads of the CRM: who is bound to which WeCom user id (`shopdesk staff link NAME wecom USERID`). */
function wecomAppDeps(crm: Crm, leases: LeaseManager) {
  return {
    recipients: (a: WecomAudience) => crm.staff.toolRecipients('wecom', a.kind === 'staff' ? { staffId: a.staffId } : { roles: a.kind === 'managers' ? ['manager', 'admin'] : ['agent', 'manager', 'admin'] }),
    isStaff: async (user: string) => Boolean((await crm.staff.byIdentity('wecom', user))?.active),
    state: crm.channelState('wecom-app'),
    tryLease: (name: string, ttlMs: number) => leases.tryAcquire(name, ttlMs),
  };
}

/** Images between staff and customers live in the one media store, owned by the conversation's thread. */
function staffImageStore(media: MediaStore): StaffImageStore {
  return {
    store: async (c, bytes, declaredType) => {
      const put = await media.put({ bytes, declaredType, owner: { channel: c.channel as ChannelName, threadId: c.threadId, uploadedBy: 'staff' }, allow: IMAGE_TYPES });
      return put.ok ? { ok: true, url: media.pathOf(put.media.id) } : { ok: false, message: put.message };
    },
    open: async (url) => {
      const id = /\/media\/([a-f0-9]{32})(?:[?#].*)?$/.exec(url)?.[1];
      const found = id ? await media.open(id) : undefined;
      return found ? { bytes: found.bytes, mimeType: found.media.mimeType } : undefined;
    },
  };
}

/** One-time code senders from config (SMTP, SMS_GATEWAY_URL) or the SMS provider passed in, if any. */
function otpSender(config: Config, smsProvider: SmsProvider | undefined): OtpSender | undefined {
  const senders: OtpSender[] = [];
  if (config.smtp) senders.push(new SmtpOtpSender(config.smtp));
  // without SMTP_URL the e-mail channel's own SMTP sends the codes, from the support address
  else if (config.email) senders.push(new SmtpOtpSender({ url: config.email.smtpUrl, from: `${config.shop.name} <${config.email.address}>` }));
  // no gateway, no phone codes: the bot says so and offers e-mail (a code is never logged instead)
  const sms = smsProvider ?? (config.sms ? new HttpSmsGateway(config.sms) : undefined);
  if (sms) senders.push(new SmsOtpSender(sms));
  return senders.length ? new CombinedOtpSender(senders) : undefined;
}

export interface RunningShopdesk {
  config: Config;
  database: Database;
  crm: Crm;
  engine: ConversationEngine;
  queue: JobQueue;
  /** Leases shared by the cluster (Redis) or this process: `hold` for clients one process must run (wechaty, IMAP, token refresh). */
  leases: LeaseManager;
  /** Periodic tasks, one process of the cluster at a time (already started). */
  scheduler: Scheduler;
  /** Re-queues stale work of every registered recoverable (absent on ROLE=web and the terminal chat). */
  reconciler?: Reconciler;
  knowledge: LoadedKnowledge;
  /** The one rate limiter (Redis-shared with REDIS_URL) and media store, for the other pieces. */
  limiter: RateLimiter;
  media: MediaStore;
  desk: Desk;
  /** The lifecycle channels of this process (e-mail, …) and their health; absent without HTTP. */
  channels?: ChannelRuntime;
  url?: string;
  stop(): Promise<void>;
}

/** The per-install web chat secret: configured, or made once and kept in DATA_DIR. */
function webchatSecret(config: Config): string {
  if (config.webchatSecret) return config.webchatSecret;
  const file = join(config.dataDir, 'webchat-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export async function startShopdesk(opts: StartOptions = {}): Promise<RunningShopdesk> {
  const config = loadConfig({ ...process.env, ...opts.env });
  rootLogger().level = config.logLevel;
  const progress = opts.onProgress ?? ((m: string) => log.info(m));
  if (config.role !== 'all' && !config.redisUrl) {
    throw new AppError('CONFIG_INVALID', `ROLE=${config.role} needs REDIS_URL: web and worker processes share work through Redis`);
  }
  if (config.role !== 'all' && !config.webchatSecret) {
    // each process would otherwise make its own secret, and a visitor's cookie would fail on the next
    throw new AppError('CONFIG_INVALID', `ROLE=${config.role} needs WEBCHAT_SECRET, the same on every process (and DATA_DIR on shared storage for the media store)`);
  }
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err) => log.warn({ err: (err as Error).message }, 'error while stopping'));
  };
  try {
    const database = await openDatabase(config.database);
    stops.push(() => database.close());
    const applied = await migrate(database);
    if (applied.length) progress(`applied migrations: ${applied.join(', ')}`);
    const crm = createCrm(database.db);
    if (config.seedDemo && config.role !== 'web' && (await isShopEmpty(database.db))) {
      progress('seeding the demo shop (first start)…');
      const summary = await seedShop(database.db, { timeZone: config.shop.timeZone, afterSeed: (db) => recomputeSegments(db, { now: new Date(), timeZone: config.shop.timeZone }).then(() => undefined) });
      progress(`demo shop ready: ${summary.customers} customers, ${summary.orders} orders`);
    }
    const { queue, lock, leases, scheduler } = await connectJobQueue({
      redisUrl: config.redisUrl, prefix: opts.redisPrefix, attempts: config.queue.attempts, backoffMs: config.queue.backoffMs, concurrency: config.queue.concurrency, lockTtlMs: config.queue.lockTtlMs,
    });
    stops.push(() => queue.close());
    const bus: MessageBus = config.redisUrl ? new RedisMessageBus(config.redisUrl, opts.redisPrefix) : new InProcessMessageBus();
    stops.push(() => bus.close());
    const limiter: RateLimiter = config.redisUrl ? new RedisRateLimiter(config.redisUrl) : new InProcessRateLimiter();
    stops.push(async () => limiter.close?.());
    const secret = webchatSecret(config);
    const media = new FileMediaStore(join(resolve(config.dataDir), 'media'), config.media, secret);
    const imported = await media.importLegacyUploads(join(resolve(config.dataDir), 'uploads'));
    if (imported) progress(`moved ${imported} web chat uploads into the media store`);

    const kbDir = resolve(config.kbDir);
    // retrained in a worker when the shop labels lines (`nlu review`), picked up by every process
    const classifier = await ReloadingClassifier.load({ intentsDir: join(kbDir, 'intents'), cacheDir: join(resolve(config.dataDir), 'cache') });
    const stopWatchingIntents = classifier.watch();
    stops.push(async () => stopWatchingIntents());
    const knowledge = await loadKnowledge(join(kbDir, 'faq'));
    stops.push(async () => knowledge.stopWatching());

    const channels = new ChannelRegistry();
    channels.register(new WebChatAdapter(bus));
    channels.register(new RestChannelAdapter());
    for (const a of opts.adapters ?? []) channels.register(a);
    // staff desk: notifier targets first (the engine writes an outbox row per target)
    const deskConfig = { ...config.desk, timeZone: config.shop.timeZone };
    const teams = await teamsBot(config, crm, opts.teamsEndpoints);
    // Slack and the WeCom robot, when configured: their notifiers now, Slack's events route with the desk
    const staffTools = await createStaffTools(
      { slack: config.slack, wecomRobot: config.wecomRobot, wecomApp: config.wecomApp, publicUrl: config.desk.publicUrl },
      { media, contacts: (id) => crm.customers.profile(id), wecomApp: config.wecomApp ? wecomAppDeps(crm, leases) : undefined },
    );
    // operational alerts of the lifecycle channels (an account logged out, a login QR code): the robot, and always the log
    const alerts = fanOutAlerts([...staffTools.alertTargets, ...(opts.alertTargets ?? [])], logger('alerts'));
    const staffNotifiers = createStaffNotifiers(bus, deskConfig, [...staffTools.notifiers, ...(opts.desk?.notifiers ?? []), ...(teams ? [teams.notifier] : [])]);
    // the managers' assistant (issue 9): the staff REST endpoint, the /desk Ask box, Slack/Teams questions, staff on staff channels
    const assistant = createAssistant(crm, config, { warmUpCharts: opts.http !== false });
    const toolAssistant = opts.assistant ?? staffToolAssistant(assistant, crm);
    // an optional model for messages the classifier is unsure of (off unless OPENAI_* are set)
    const llm = createLlmAssistant({ client: llmClientFor(config.llm), intents: classifier.classifier.intents, orderNumberPattern: config.shop.orderNumberPattern });
    if (llm) progress(`LLM on for low-confidence messages (${config.llm?.model})`);
    const engine = new ConversationEngine({
      staffAssistant: staffAssistantPort(assistant), llm,
      crm, queue, lock, channels, classifier, kb: knowledge.answerer, otp: otpSender(config, opts.smsProvider), lockTtlMs: config.queue.lockTtlMs,
      policy: { ...config.shop, defaultLocale: config.shop.defaultLocale },
      handoff: { serviceHours: deskSettings(deskConfig).serviceHours, targetsFor: staffNotifiers.targetsFor },
    });
    const desk = createDesk({
      crm, queue, bus, registry: staffNotifiers, config: deskConfig, bridge: createHandoffBridge(), shop: { name: config.shop.name, currency: config.shop.currency },
      uploadMaxBytes: config.uploadMaxBytes, retry: opts.desk?.retry, limiter,
      delivery: {
        capabilities: (channel) => channels.get(channel)?.capabilities,
        deliver: (o) => engine.enqueueDelivery({ messageId: o.id, channel: o.channel, threadId: o.threadId, payload: o.payload, createdAt: o.createdAt.toISOString() }),
      },
      images: staffImageStore(media),
    });
    stops.push(() => desk.stop());
    // lifecycle channels (e-mail, …) from the one catalog; not in the terminal chat (no HTTP)
    let channelRuntime: ChannelRuntime | undefined;
    if (opts.http !== false) {
      const runtime = startChannels(await channelCatalog(config), {
        registry: channels, leases,
        services: (id) => ({ sink: engine, state: crm.channelState(id), tryLease: (name, ttlMs) => leases.tryAcquire(name, ttlMs), media, limiter, alerts }),
      });
      channelRuntime = runtime;
      stops.push(() => runtime.stop());
    }
    let reconciler: Reconciler | undefined;
    if (config.role !== 'web') {
      engine.startWorkers({ concurrency: config.queue.concurrency });
      const recover = opts.recover !== false;
      if (recover) {
        // with the in-process queue everything unfinished; with Redis only work older than the
        // stale age (the rest still has its job), claimed so concurrent starts split it
        const recovered = await engine.recover({ staleMs: queue.driver === 'in-process' ? 0 : config.reconcile.staleMs });
        if (recovered.threads || recovered.outbound) progress(`picked up ${recovered.threads} unfinished threads and ${recovered.outbound} undelivered replies`);
        reconciler = new Reconciler(scheduler, config.reconcile);
        reconciler.register(engine.recoverable());
      }
      const staff = await desk.startWorkers({ concurrency: config.queue.concurrency, sweepIntervalMs: opts.desk?.sweepIntervalMs, recover });
      if (staff.requeued) progress(`picked up ${staff.requeued} undelivered staff notifications`);
      // the desk's sweep (outbox re-queue, reminders, escalation, assignment) in one process of the cluster
      if (recover) desk.scheduleWith(scheduler, opts.desk?.sweepIntervalMs);
      // finished requests nobody followed up on are resolved (and asked the satisfaction question once)
      const idleMs = config.conversation.resolveAfterMs;
      if (recover && idleMs > 0) {
        scheduler.every('conversation-idle-resolve', Math.min(IDLE_SWEEP_MAX_INTERVAL_MS, Math.max(1_000, idleMs / 4)), async ({ now }) => { await engine.resolveIdle({ idleMs, now }); });
      }
    }
    // the assistant's summaries (issue 9): one process of the cluster, incremental after the first run
    if (config.role !== 'web' && config.assistant.summaryRefreshMs > 0) {
      scheduler.every('ask-summaries', config.assistant.summaryRefreshMs, async () => { await crm.analytics.refreshSummaries({ timeZone: config.shop.timeZone }); });
    }
    scheduler.start();
    stops.push(() => scheduler.stop());

    let url: string | undefined;
    if (opts.http !== false) {
      const web = createWebChatRouter({
        sink: engine, bus, secret, customerTokenSecret: config.customerTokenSecret, customerTokenMaxTtlS: config.customerTokenMaxTtlS,
        visitors: crm.webVisitors, media, limiter, uploadMaxBytes: config.uploadMaxBytes,
        limits: defaultWebChatLimits({ messagesPerMinute: config.webchat.messagesPerMinute, ipMessagesPerMinute: config.webchat.ipMessagesPerMinute }),
        allowedOrigins: config.webchat.allowedOrigins, frameAncestors: config.webchat.frameAncestors,
        history: (threadId) => historyForThread(crm, 'web', threadId),
      });
      stops.push(() => web.close());
      const rest = createRestChannelRouter({ sink: engine, apiToken: config.restApiToken, limiter, messagesPerMinute: config.rest.messagesPerMinute });
      const storage = storageReadiness({ database, dataDir: resolve(config.dataDir), minFreeBytes: config.readyMinFreeBytes });
      const app = createHttpApp({
        routers: config.role === 'worker' ? [] : [
          web.router, rest, ...(channelRuntime?.routers ?? []), desk.router(), createMediaRouter({ media, authorizeStaff: opts.authorizeStaff ?? ((req) => desk.authorizeStaff(req)) }),
          createAskRouter({ auth: desk.auth, assistant, limiter, allowedOrigins: config.desk.publicUrl ? [new URL(config.desk.publicUrl).origin] : [] }),
          ...(teams ? [teams.router({ sink: desk.actions, assistant: toolAssistant })] : []), ...staffTools.routers(desk.actions, toolAssistant),
        ],
        readiness: async () => {
          const checks: Record<string, { ok: boolean; detail?: string }> = await storage();
          try {
            await database.db.$queryRawUnsafe('SELECT 1');
            const m = await migrationStatus(database);
            checks.database = { ok: true };
            checks.migrations = { ok: m.current, detail: m.current ? undefined : `pending: ${m.pending.join(', ')}` };
          } catch (err) {
            // the reason goes to the log, not to whoever asks /readyz
            log.warn({ err: (err as Error).message.slice(0, 300) }, 'readiness: database check failed');
            checks.database = { ok: false, detail: 'database unreachable' };
          }
          return { ready: Object.values(checks).every((c) => c.ok), checks, channels: channelRuntime?.health() };
        },
      });
      const server: Server = await listen(app, config.host, config.port);
      web.attach(server);
      if (config.role !== 'worker') desk.attach(server);
      if (config.role !== 'worker') channelRuntime?.attach(server);
      // upgraded (WebSocket) connections are not HTTP connections any more: closeAllConnections
      // leaves them open and server.close would wait for them forever, so the sockets are tracked
      const open = new Set<Socket>();
      server.on('connection', (s: Socket) => { open.add(s); s.once('close', () => open.delete(s)); });
      stops.push(async () => {
        await web.close();
        await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections?.(); for (const s of open) s.destroy(); });
      });
      const addr = server.address() as AddressInfo;
      url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${addr.port}`;
      progress(`shopdesk (${config.role}) listening on ${url} — database ${database.provider === 'sqlite' ? database.displayUrl : redactUrl(database.displayUrl)}, queue ${queue.driver}`);
    }
    return { config, database, crm, engine, queue, leases, scheduler, reconciler, knowledge, limiter, media, desk, channels: channelRuntime, url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
