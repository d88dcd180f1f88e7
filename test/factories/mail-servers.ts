import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import { startSmtpTestServer, type SmtpTestServer } from './smtp-test-server.js';

/**
 * Real mail servers on loopback for the e-mail channel's tests:
 *
 * - `startDovecot()` — Debian's Dovecot (`apt-get install dovecot-imapd`; .ci/run installs it) as a
 *   private instance: its own config, a passwd-file of users, Maildirs in a temp folder, IMAP on a
 *   random high port, no TLS. Run as root it keeps mail as `nobody`; as any other user, as that user.
 * - `startSmtpToImap()` — a real SMTP server (`smtp-server`) that receives our replies and puts
 *   each one, byte for byte, into a Dovecot user's INBOX with IMAP APPEND: the reply lands in the
 *   customer's mailbox, where the test reads it back over IMAP.
 * - `customerMail()` — a customer's plain-text RFC 5322 mail to the shop, to append to its INBOX.
 */
export const DOVECOT_BINARY = '/usr/sbin/dovecot';
export const dovecotInstalled = (): boolean => existsSync(DOVECOT_BINARY);

export interface DovecotServer {
  port: number;
  /** imap://user:pass@127.0.0.1:port/INBOX for a user. */
  urlFor(user: string): string;
  client(user: string): Promise<ImapFlow>;
  /** Puts a raw mail into a user's INBOX; its UID. */
  append(user: string, raw: Buffer | string, mailbox?: string): Promise<number>;
  /** Every mail in a user's INBOX, parsed, oldest first. */
  messages(user: string): Promise<{ uid: number; mail: ParsedMail; raw: Buffer }[]>;
  /** Rebuilds a user's INBOX index while the server is down: the mail stays, with new UIDs under a new UIDVALIDITY. */
  rebuildInbox(user: string): Promise<void>;
  stop(): Promise<void>;
  /** Starts it again on the same port and data (an IMAP server restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export const MAIL_PASSWORD = 'test-password-1';

/** Dovecot process groups still running; killed when the test process exits, whatever happened. */
const running = new Set<number>();
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
process.once('exit', () => { for (const pid of running) killGroup(pid); });

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('data', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not answer on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startDovecot(users: string[]): Promise<DovecotServer> {
  const dir = mkdtempSync(join(tmpdir(), 'shopdesk-dovecot-'));
  // dovecot's own processes (auth as user `dovecot`) read the config and the passwd file
  chmodSync(dir, 0o755);
  const root = process.getuid?.() === 0;
  const me = userInfo();
  const uid = root ? 65534 : me.uid;
  const gid = root ? 65534 : me.gid;
  const mailDir = join(dir, 'mail');
  mkdirSync(mailDir);
  if (root) chownSync(mailDir, uid, gid);
  writeFileSync(join(dir, 'passwd'), users.map((u) => `${u}:{PLAIN}${MAIL_PASSWORD}`).join('\n') + '\n', { mode: 0o644 });
  const port = await freePort();
  const conf = [
    `base_dir = ${dir}/run`, `state_dir = ${dir}/state`, `log_path = ${dir}/dovecot.log`, `instance_name = shopdesk-${port}`,
    'protocols = imap', 'listen = 127.0.0.1', 'ssl = no', 'disable_plaintext_auth = no', 'auth_mechanisms = plain login',
    'first_valid_uid = 1', 'first_valid_gid = 1',
    ...(root ? [] : [`default_login_user = ${me.username}`, `default_internal_user = ${me.username}`]),
    'passdb {', '  driver = passwd-file', `  args = scheme=PLAIN username_format=%u ${dir}/passwd`, '}',
    'userdb {', '  driver = static', `  args = uid=${uid} gid=${gid} home=${mailDir}/%u`, '}',
    `mail_location = maildir:${mailDir}/%u/Maildir`,
    'service imap-login {', '  inet_listener imap {', '    address = 127.0.0.1', `    port = ${port}`, '  }', '  inet_listener imaps {', '    port = 0', '  }', '}',
  ].join('\n');
  writeFileSync(join(dir, 'dovecot.conf'), conf + '\n', { mode: 0o644 });
  mkdirSync(join(dir, 'state'), { recursive: true });

  let child: ChildProcess | undefined;
  const launch = async () => {
    // its own process group: stopping it takes its imap processes (and so our connections) down too
    child = spawn(DOVECOT_BINARY, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: 'ignore', detached: true });
    running.add(child.pid!);
    await waitForPort(port, 10_000);
  };
  const halt = async () => {
    const c = child;
    child = undefined;
    if (!c?.pid) return;
    running.delete(c.pid);
    const exited = c.exitCode === null ? new Promise<void>((resolve) => c.once('exit', () => resolve())) : Promise.resolve();
    killGroup(c.pid);
    await exited;
  };
  await launch();

  const client = async (user: string) => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: MAIL_PASSWORD }, logger: false });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };
  const server: DovecotServer = {
    port,
    urlFor: (user) => `imap://${user}:${MAIL_PASSWORD}@127.0.0.1:${port}/INBOX`,
    client,
    async append(user, raw, mailbox = 'INBOX') {
      const c = await client(user);
      try {
        const r = await c.append(mailbox, typeof raw === 'string' ? Buffer.from(raw) : raw);
        return r ? Number(r.uid) : 0;
      } finally {
        await c.logout();
      }
    },
    async messages(user) {
      const c = await client(user);
      try {
        const lock = await c.getMailboxLock('INBOX');
        try {
          if (!c.mailbox || c.mailbox.exists === 0) return [];
          const out: { uid: number; mail: ParsedMail; raw: Buffer }[] = [];
          for (const m of await c.fetchAll('1:*', { uid: true, source: true }, { uid: true })) out.push({ uid: m.uid, raw: m.source!, mail: await simpleParser(m.source!) });
          return out.sort((a, b) => a.uid - b.uid);
        } finally {
          lock.release();
        }
      } finally {
        await c.logout();
      }
    },
    async rebuildInbox(user) {
      await halt();
      const maildir = join(mailDir, user, 'Maildir');
      for (const f of readdirSync(maildir)) if (f.startsWith('dovecot')) rmSync(join(maildir, f), { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 1_100)); // UIDVALIDITY is a timestamp in seconds
      await launch();
    },
    stop: halt,
    restart: launch,
    async close() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** A real SMTP server whose every accepted mail is appended to `user`'s INBOX on `dovecot`. */
export function startSmtpToImap(dovecot: DovecotServer, user: string): Promise<SmtpTestServer> {
  return startSmtpTestServer({ deliver: async (raw) => { await dovecot.append(user, raw); } });
}

let mailSeq = 0;
/** A customer's plain-text UTF-8 mail to `to`, threaded by `inReplyTo`/`references` when given; the raw text and its Message-ID. */
export function customerMail(o: { from: string; to: string; subject?: string; body: string; id?: string; inReplyTo?: string; references?: string[]; headers?: string[] }): { raw: string; id: string } {
  const id = o.id ?? `<t${Date.now().toString(36)}.${++mailSeq}@customer.example>`;
  const lines = [
    `From: ${o.from}`, `To: ${o.to}`, `Subject: ${o.subject ?? 'Question'}`, `Date: ${new Date().toUTCString()}`, `Message-ID: ${id}`,
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`] : []), ...(o.references ? [`References: ${o.references.join(' ')}`] : []),
    ...(o.headers ?? []), 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', o.body, '',
  ];
  return { raw: lines.join('\r\n'), id };
}
