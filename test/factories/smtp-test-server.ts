import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback (the `smtp-server` package) that keeps every message it receives, parsed. */
export interface SmtpTestServer {
  url: string;
  received: ParsedMail[];
  /** Makes the next deliveries fail with a 451 (a mail server in trouble). */
  failNext: number;
  close(): Promise<void>;
}

/**
 * `deliver` passes each accepted mail on, raw (e.g. into a Dovecot mailbox); the mail is
 * accepted only once it has been delivered.
 */
export async function startSmtpTestServer(opts: { deliver?: (raw: Buffer) => Promise<void> } = {}): Promise<SmtpTestServer> {
  const state = { received: [] as ParsedMail[], failNext: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.failNext > 0) {
          state.failNext--;
          const err = Object.assign(new Error('try again later'), { responseCode: 451 });
          return callback(err);
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then((mail) => {
          state.received.push(mail);
          return opts.deliver?.(raw);
        }).then(() => callback(), callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    get received() { return state.received; },
    get failNext() { return state.failNext; },
    set failNext(n: number) { state.failNext = n; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
