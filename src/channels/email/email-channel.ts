import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { ChannelHealth, ChannelHealthState, ChannelInstance, ChannelServices } from '../../shared/channel-lifecycle.js';
import { logger } from '../../shared/logger.js';
import { EmailAdapter } from './email-adapter.js';
import { intakeMail } from './email-intake.js';
import { EmailStore } from './email-store.js';
import { ImapInbox, type ImapSettings } from './imap-inbox.js';

/** The e-mail channel's settings, parsed from EMAIL_* by src/config/config.ts. */
export interface EmailSettings {
  /** The shop's support address: the From: of every reply, and never answered itself. */
  address: string;
  /** Shown with the address ("Demo Shop <support@…>"). */
  fromName: string;
  imap: ImapSettings;
  /** smtp(s)://user:pass@host:port — nodemailer's URL form. */
  smtpUrl: string;
  /** Automatic replies one sender gets per hour at most (mail loops with robots that ignore RFC 3834). */
  autoreplyPerHour: number;
}

/**
 * The e-mail channel (singleton placement: one IMAP connection per cluster, held by the runtime's
 * lease `channel:email`). Its adapter sends from any process. Read src/channels/README.md,
 * "E-mail", for the flow.
 */
export function createEmailChannel(settings: EmailSettings, services: ChannelServices, opts: { transport?: Transporter } = {}): ChannelInstance {
  const log = logger('channel.email');
  const clock = services.clock ?? (() => new Date());
  const store = new EmailStore(services.state);
  const counters: Record<string, number> = { received: 0, duplicates: 0, silent: 0, foreign: 0, oversize: 0, failed: 0, reconnects: 0, sent: 0, sendFailed: 0 };
  let health: ChannelHealth = { state: 'standby', detail: 'not started in this process', since: clock().toISOString() };
  const report = (state: ChannelHealthState, detail?: string) => {
    if (health.state !== state || health.detail !== detail) health = { state, detail, since: clock().toISOString() };
  };
  const transport = opts.transport ?? nodemailer.createTransport(settings.smtpUrl);
  const adapter = new EmailAdapter({ transport, store, media: services.media, address: settings.address, fromName: settings.fromName, counters });
  const inbox = new ImapInbox(settings.imap, store, {
    take: async (raw, meta) => {
      const r = await intakeMail(raw, {
        sink: services.sink, store, media: services.media, limiter: services.limiter, address: settings.address,
        autoreplyPerHour: settings.autoreplyPerHour, log, clock,
      }, { oversize: meta.oversize });
      if (r.duplicate) counters.duplicates++;
      if (r.silent) counters.silent++;
      if (r.foreign) counters.foreign++;
      log.info({ uid: meta.uid, threadId: r.threadId, duplicate: r.duplicate, silent: r.silent }, 'mail taken in');
    },
    report,
    count: (c) => { counters[c] = (counters[c] ?? 0) + 1; },
  }, log);
  return {
    adapter,
    async start() {
      report('starting', 'connecting to IMAP');
      inbox.start();
    },
    async stop() {
      await inbox.stop();
      report('standby', 'stopped in this process');
    },
    health: () => ({ ...health, counters: { ...counters } }),
  };
}
