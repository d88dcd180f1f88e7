import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import type { ChannelHealthState } from '../../shared/channel-lifecycle.js';
import type { EmailStore, ImapCursor } from './email-store.js';

export interface ImapSettings {
  host: string;
  port: number;
  /** TLS from the start (imaps); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
  /** Sync at least this often even when IDLE says nothing (servers that drop IDLE silently). */
  pollIntervalMs: number;
  /** Larger mail is not downloaded: its headers are stored, staff see that it came. */
  maxMailBytes: number;
}

export interface InboxCallbacks {
  /** Takes one raw mail in; resolves once it is stored. Throwing keeps the cursor: it is tried again. */
  take(raw: Buffer, meta: { uid: number; oversize: boolean }): Promise<void>;
  report(state: ChannelHealthState, detail?: string): void;
  count(counter: string): void;
}

/** Mail taken per sync; more waits for the next round (a backlog does not starve IDLE or stop). */
const BATCH = 50;

function describe(err: unknown): string {
  const e = err as { code?: string; responseText?: string; message?: string; authenticationFailed?: boolean };
  if (e.authenticationFailed) return 'authentication failed (check EMAIL_IMAP_URL user and password)';
  return [e.code, e.responseText ?? e.message].filter(Boolean).join(': ').slice(0, 200) || 'unknown error';
}

/**
 * The IMAP side of the e-mail channel: one connection with the mailbox selected, woken by IDLE
 * ("exists") and by a poll timer as fallback. Mail is taken by UID above a cursor that is
 * persisted with its UIDVALIDITY, and the cursor moves only after a mail is stored, one mail at a
 * time (compare-and-set): a restart or a dropped connection neither loses nor repeats a mail
 * (re-taking the last one finds its Message-ID stored). A new UIDVALIDITY (the mailbox was
 * recreated) re-reads the mail since the last one's day; Message-IDs keep that exactly once.
 * On first start the cursor begins at the mail that arrives from then on.
 * Connection trouble is reported in the channel's health and retried with backoff, never thrown.
 */
export class ImapInbox {
  private stopped = true;
  private running?: Promise<void>;
  private client?: ImapFlow;
  private wake?: () => void;
  private kicked = false;

  constructor(private readonly settings: ImapSettings, private readonly store: EmailStore, private readonly on: InboxCallbacks, private readonly log: Logger) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
    const client = this.client;
    if (client?.usable) await Promise.race([client.logout().catch(() => client.close()), new Promise((r) => setTimeout(r, 2_000))]);
    client?.close();
    await this.running;
  }

  /** Syncs now (a new mail announced by IDLE, or a test). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  private async pause(ms: number): Promise<void> {
    if (this.kicked || this.stopped) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() { clearTimeout(timer); resolve(); }
      this.wake = done;
    });
    this.wake = undefined;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.session(() => { failures = 0; });
      } catch (err) {
        if (this.stopped) break;
        failures++;
        this.on.count('reconnects');
        const waitMs = Math.min(1_000 * 2 ** Math.min(failures - 1, 6), 60_000);
        this.on.report(failures >= 3 ? 'down' : 'starting', `IMAP ${this.settings.host}:${this.settings.port}: ${describe(err)}; retrying in ${Math.round(waitMs / 1000)} s`);
        this.log.warn({ err: describe(err), failures, waitMs }, 'IMAP connection failed; retrying');
        await this.pause(waitMs);
        this.kicked = false;
      }
    }
    this.on.report('down', 'stopped');
  }

  private async session(connected: () => void): Promise<void> {
    const s = this.settings;
    const client = new ImapFlow({
      host: s.host, port: s.port, secure: s.secure, auth: { user: s.user, pass: s.pass },
      logger: false, emitLogs: false, maxIdleTime: 5 * 60_000, connectionTimeout: 30_000, greetingTimeout: 15_000,
    });
    this.client = client;
    let closed = false;
    client.on('close', () => { closed = true; this.kick(); });
    // emitted at most once, then 'close': the session loop sees it and reconnects
    client.on('error', (err: Error) => this.log.warn({ err: describe(err) }, 'IMAP connection error'));
    client.on('exists', () => this.kick());
    await client.connect();
    const lock = await client.getMailboxLock(s.mailbox);
    try {
      connected();
      let healthy = false;
      while (!this.stopped && !closed) {
        this.kicked = false;
        try {
          const more = await this.sync(client);
          if (!healthy) this.on.report('up', `IMAP ${s.host}:${s.port} ${s.mailbox}`);
          healthy = true;
          if (more) this.kicked = true;
        } catch (err) {
          if (closed || !client.usable) throw err;
          // storage away (a database outage), not the connection: keep the cursor, try again later
          healthy = false;
          this.on.count('failed');
          this.on.report('degraded', `could not store mail: ${describe(err)}; retrying`);
          this.log.error({ err: describe(err) }, 'taking mail in failed; the cursor stays, it is tried again');
        }
        await this.pause(this.kicked ? 0 : s.pollIntervalMs);
      }
    } finally {
      lock.release();
    }
    if (!this.stopped) throw Object.assign(new Error('connection closed by the server'), { code: 'CLOSED' });
  }

  /** Takes in what is new above the cursor; true when more is waiting than one batch. */
  private async sync(client: ImapFlow): Promise<boolean> {
    const mailbox = this.settings.mailbox;
    const box = client.mailbox;
    if (!box) throw Object.assign(new Error('mailbox not selected'), { code: 'NOMAILBOX' });
    const uidValidity = box.uidValidity.toString();
    let { cursor, raw } = await this.store.cursor(mailbox);
    if (!cursor) {
      const first: ImapCursor = { uidValidity, lastUid: Math.max(0, box.uidNext - 1), lastDate: new Date().toISOString() };
      raw = (await this.store.moveCursor(mailbox, raw, first)).raw;
      cursor = first;
      this.log.info({ lastUid: first.lastUid }, 'e-mail channel starts with the mail that arrives from now on');
    }
    let uids: number[];
    let lastUid = cursor.lastUid;
    if (cursor.uidValidity !== uidValidity) {
      const since = new Date(new Date(cursor.lastDate ?? Date.now()).getTime() - 86_400_000);
      this.log.warn({ since: since.toISOString() }, 'UIDVALIDITY changed (mailbox recreated): re-reading recent mail, Message-IDs keep it once');
      uids = (await client.search({ since }, { uid: true })) || [];
      lastUid = 0;
    } else {
      uids = ((await client.search({ uid: `${cursor.lastUid + 1}:*` }, { uid: true })) || []).filter((u) => u > cursor.lastUid);
    }
    uids.sort((a, b) => a - b);
    const batch = uids.slice(0, BATCH);
    if (!batch.length) return false;
    const sizes = new Map<number, { size: number; date?: string }>();
    for (const m of await client.fetchAll(batch.join(','), { uid: true, size: true, internalDate: true }, { uid: true })) {
      sizes.set(m.uid, { size: m.size ?? 0, date: m.internalDate ? new Date(m.internalDate).toISOString() : undefined });
    }
    for (const uid of batch) {
      if (this.stopped) return false;
      const meta = sizes.get(uid);
      const oversize = (meta?.size ?? 0) > this.settings.maxMailBytes;
      const msg = meta ? await client.fetchOne(String(uid), oversize ? { uid: true, headers: true } : { uid: true, source: true }, { uid: true }) : false;
      const bytes = msg ? (oversize ? Buffer.concat([msg.headers ?? Buffer.alloc(0), Buffer.from('\r\n')]) : msg.source) : undefined;
      if (bytes?.length) {
        await this.on.take(bytes, { uid, oversize });
        this.on.count(oversize ? 'oversize' : 'received');
      }
      // expunged before we read it: nothing to take, move on
      lastUid = Math.max(lastUid, uid);
      const next: ImapCursor = { uidValidity, lastUid, lastDate: meta?.date ?? cursor.lastDate };
      const moved = await this.store.moveCursor(mailbox, raw, next);
      if (!moved.moved) throw Object.assign(new Error('the IMAP cursor was moved by another process'), { code: 'CURSOR_RACE' });
      raw = moved.raw;
    }
    return uids.length > batch.length;
  }
}
