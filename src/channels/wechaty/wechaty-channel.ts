import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Contact, Message, Wechaty, WechatyOptions } from 'wechaty';
import type { ChannelHealth, ChannelHealthState, ChannelInstance, ChannelServices } from '../../shared/channel-lifecycle.js';
import { logger } from '../../shared/logger.js';
import { WechatyAdapter } from './wechaty-adapter.js';
import { accountKeyOf, intakeMessage } from './wechaty-intake.js';
import { alertLogin, alertLogout, alertProblem, alertQrCode } from './wechaty-alerts.js';
import { SendPolicy, WechatyOutbox, type SendLimits } from './wechaty-outbox.js';
import { deliverItem } from './wechaty-deliver.js';
import { WechatySender, type SendHold } from './wechaty-sender.js';

/** The wechaty channel's settings, parsed from WECHATY_* by src/config/wechaty-config.ts. */
export interface WechatySettings extends SendLimits {
  /** The puppet module's npm name (any installed puppet). */
  puppet: string;
  token?: string;
  /** wechaty's memory card (the login kept across restarts): a path without extension. */
  sessionName: string;
  rooms: string[];
  /** Kill switch: nothing is sent while true (replies wait in the outbox). */
  paused: boolean;
}

export interface WechatyChannelOptions {
  /** A puppet instance instead of loading `settings.puppet` by name (tests: a PuppetMock with its mocker). */
  puppet?: object;
  /** Where the login QR code is printed for the operator (default: stderr). */
  print?: (line: string) => void;
  /** Longest wait of the sender before it looks at the outbox again. */
  pollMs?: number;
  random?: () => number;
}

/** Set by `shopdesk channels pause|resume wechaty` (src/cli/channels-command.ts). */
export const PAUSED_KEY = 'paused';
const SCAN_WAITING = 2;
const SCAN_TIMEOUT = 5;

/**
 * A personal WeChat or WeCom account through wechaty (singleton placement: one login per
 * cluster, held by the runtime's lease `channel:wechaty`). Customers' 1:1 messages, and room
 * messages that @mention the bot or come from an allow-listed room, go to the engine; replies go
 * through a durable outbox, paced by per-minute and per-hour limits with a warm-up and jitter.
 * Read src/channels/README.md, "wechaty", and the README's warning: this is against WeChat's
 * terms for personal accounts.
 */
export function createWechatyChannel(settings: WechatySettings, services: ChannelServices, opts: WechatyChannelOptions = {}): ChannelInstance {
  const log = logger('channel.wechaty');
  const clock = services.clock ?? (() => new Date());
  const counters: Record<string, number> = { received: 0, duplicates: 0, roomIgnored: 0, unstableIds: 0, partFailed: 0, failed: 0, sent: 0, sendFailed: 0, setAside: 0, throttled: 0, logins: 0, logouts: 0, errors: 0 };
  const count = (c: string) => { counters[c] = (counters[c] ?? 0) + 1; };
  let health: ChannelHealth = { state: 'standby', detail: 'not started in this process', since: clock().toISOString() };
  const report = (state: ChannelHealthState, detail?: string) => {
    if (health.state !== state || health.detail !== detail) health = { state, detail, since: clock().toISOString() };
  };
  let hold: SendHold | undefined;
  let holdSince: string | undefined;
  const outbox = new WechatyOutbox(services.state);
  let session: { account: string; firstLoginAt?: Date } | undefined;
  let bot: Wechaty | undefined;
  const policy = new SendPolicy(settings, services.limiter, opts.random);
  const sender = new WechatySender({
    outbox, policy, session: () => session,
    // the kill switch: the setting, or `shopdesk channels pause wechaty` at run time (no restart)
    paused: async () => settings.paused || (await services.state.get(PAUSED_KEY)) === '1', log, clock, count, pollMs: opts.pollMs ?? 1_000,
    send: (item) => deliverItem(item, { bot: () => bot, state: services.state, media: services.media }),
    onHold: (h) => {
      if (Boolean(h) !== Boolean(hold)) holdSince = h ? clock().toISOString() : undefined;
      hold = h;
    },
  });
  const adapter = new WechatyAdapter(outbox, () => sender.kick(), clock);
  const alerts = { alerts: services.alerts, media: services.media, log, clock };
  let typeName: (n: number) => string = String;
  let intake: Promise<unknown> = Promise.resolve();

  async function onLogin(user: Contact): Promise<void> {
    const account = accountKeyOf(user);
    const key = `firstLogin:${account}`;
    await services.state.compareAndSet(key, undefined, clock().toISOString());
    const first = await services.state.get(key);
    const wasDown = health.state === 'down';
    session = { account, firstLoginAt: first ? new Date(first) : undefined };
    count('logins');
    report('up', policy.warming(session.firstLoginAt, clock()) ? 'logged in (warm-up: lower send limits)' : 'logged in');
    log.info({ warmUp: policy.warming(session.firstLoginAt, clock()) }, 'wechaty account logged in');
    if (wasDown) await alertLogin(alerts);
    sender.kick();
  }

  function onMessage(msg: Message): void {
    const account = session?.account;
    if (!account) return;
    // one at a time: a thread's messages are stored in the order they came
    intake = intake.then(async () => {
      try {
        const r = await intakeMessage(msg, account, { sink: services.sink, state: services.state, media: services.media, log, clock, rooms: settings.rooms, typeName, count });
        if (r === 'stored') count('received');
        // messages flow again after a puppet error while logged in
        if (r !== 'ignored' && health.state === 'degraded') report('up', 'logged in');
        if (r === 'duplicate') count('duplicates');
      } catch (err) {
        count('failed');
        log.error({ err: (err as Error).message }, 'a wechaty message could not be stored');
      }
    });
  }

  return {
    adapter,
    async start() {
      report('starting', `loading wechaty and ${opts.puppet ? 'the given puppet' : settings.puppet}`);
      try {
        const wechaty = await import('wechaty');
        typeName = (n) => wechaty.types.Message[n] ?? 'Unknown';
        mkdirSync(dirname(settings.sessionName), { recursive: true });
        // wechaty's type lists the official puppets; it imports any installed module by name
        const puppet = (opts.puppet ?? settings.puppet) as WechatyOptions['puppet'];
        bot = wechaty.WechatyBuilder.build({ name: settings.sessionName, puppet, ...(settings.token ? { puppetOptions: { token: settings.token } } : {}) });
        bot.on('scan', (qrcode: string, status: number) => {
          if (status !== SCAN_WAITING && status !== SCAN_TIMEOUT) return;
          report('starting', 'waiting for the login QR code to be scanned');
          // the code is a login credential for a minute: the operator's terminal, never the log
          log.info({ status }, 'login QR code printed');
          (opts.print ?? ((l: string) => process.stderr.write(`${l}\n`)))(`wechaty: scan this login QR code with the shop's WeChat account (its text):\n${qrcode}`);
          void alertQrCode(alerts, qrcode);
        });
        bot.on('login', (user: Contact) => { void onLogin(user).catch((err: unknown) => log.error({ err: (err as Error).message }, 'login bookkeeping failed')); });
        bot.on('logout', (_user: Contact, reason?: string) => {
          session = undefined;
          count('logouts');
          report('down', `logged out${reason ? ` (${String(reason).slice(0, 80)})` : ''}: scan the QR code again`);
          void alertLogout(alerts, reason);
        });
        bot.on('error', (err: Error) => {
          count('errors');
          const loggedIn = Boolean(bot?.isLoggedIn);
          // an error while logged in (a payload it could not fetch) is trouble; logged out it is an outage
          report(loggedIn ? 'degraded' : 'down', `${loggedIn ? 'puppet error' : 'puppet error, not logged in'}: ${err.message.slice(0, 120)}`);
          void alertProblem(alerts, err.message, loggedIn);
        });
        bot.on('message', onMessage);
        await bot.start();
        if (!session) report('starting', 'waiting for the account to log in (scan the QR code)');
        sender.start();
      } catch (err) {
        report('down', `could not start wechaty with ${settings.puppet}: ${(err as Error).message.slice(0, 160)}`);
        void alertProblem(alerts, (err as Error).message, false);
      }
    },
    async stop() {
      await sender.stop();
      await intake;
      session = undefined;
      await bot?.stop().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'wechaty did not stop cleanly'));
      bot = undefined;
      report('standby', 'stopped in this process');
    },
    health: () => {
      const base = { ...health, counters: { ...counters, waiting: hold?.waiting ?? 0 } };
      if (base.state !== 'up' || !hold) return base;
      const detail = hold.kind === 'paused'
        ? `sending paused (WECHATY_SEND_PAUSED or shopdesk channels pause wechaty): ${hold.waiting} replies waiting`
        : `throttled (${hold.warm ? 'warm-up ' : ''}per-${hold.window} limit): ${hold.waiting} replies waiting, next in ${Math.ceil(hold.retryAfterMs / 1000)} s`;
      return { ...base, state: 'degraded', detail, since: holdSince ?? base.since };
    },
  };
}
