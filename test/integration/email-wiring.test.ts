import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../src/cli/shopdesk-cli.js';
import { startShopdesk } from '../../src/main.js';
import { dovecotInstalled, startDovecot, startSmtpToImap, type DovecotServer } from '../factories/mail-servers.js';
import type { SmtpTestServer } from '../factories/smtp-test-server.js';

/**
 * The e-mail channel switched on by configuration alone: startShopdesk with EMAIL_* set runs it
 * from the channel catalog under its lease, shows its health in /readyz and in
 * `shopdesk channels status`, and answers a mail end to end.
 */
describe.skipIf(!dovecotInstalled())('e-mail channel enabled by EMAIL_* in the running app', () => {
  let dir: string;
  let dovecot: DovecotServer;
  let smtp: SmtpTestServer;
  let app: Awaited<ReturnType<typeof startShopdesk>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopdesk-email-wiring-'));
    dovecot = await startDovecot(['shop', 'customer']);
    smtp = await startSmtpToImap(dovecot, 'customer');
    app = await startShopdesk({
      env: {
        DATABASE_URL: `file:${dir}/shop.db`, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATA_DIR: dir, SERVICE_HOURS: 'always', SMTP_URL: '', SMTP_FROM: '',
        EMAIL_IMAP_URL: dovecot.urlFor('shop'), EMAIL_SMTP_URL: smtp.url, EMAIL_ADDRESS: 'support@shop.example', EMAIL_POLL_SECONDS: '1',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await smtp?.close();
    await dovecot?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the channel under its lease, reports it in /readyz and answers a mail', async () => {
    await expect.poll(async () => ((await (await fetch(`${app.url}/readyz`)).json()) as { channels?: { email?: { state: string } } }).channels?.email?.state, { timeout: 15_000 }).toBe('up');
    const ready = (await (await fetch(`${app.url}/readyz`)).json()) as { status: string; channels: { email: { placement: string; detail: string } } };
    expect(ready.status).toBe('ready');
    expect(ready.channels.email.placement).toBe('singleton');
    // the health line names the server, never the password
    expect(JSON.stringify(ready)).not.toContain('test-password-1');

    await dovecot.append('shop', ['From: Gina <gina@customer.example>', 'To: support@shop.example', 'Subject: Hello', 'Message-ID: <wired-1@customer.example>', 'Content-Type: text/plain; charset=utf-8', '', 'Hello, do you ship to Hong Kong?', ''].join('\r\n'));
    await expect.poll(async () => (await dovecot.messages('customer')).filter((m) => m.mail.inReplyTo === '<wired-1@customer.example>').length, { timeout: 20_000 }).toBe(1);
    expect(smtp.received).toHaveLength(1);

    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
    try {
      await buildProgram().parseAsync(['node', 'shopdesk', 'channels', 'status', '--url', app.url!]);
    } finally {
      log.mockRestore();
    }
    expect(lines.join('\n')).toMatch(/^email\s+up\s+singleton .*IMAP 127\.0\.0\.1:\d+ INBOX\n\s+received=1 .*sent=1/m);
  }, 60_000);
});
