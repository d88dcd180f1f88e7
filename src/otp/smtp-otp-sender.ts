import nodemailer, { type Transporter } from 'nodemailer';
import { AppError } from '../shared/app-error.js';
import { otpText, type OtpMessage, type OtpSender } from '../shared/otp-sender.js';

/** One-time codes by e-mail over SMTP (SMTP_URL, SMTP_FROM), with nodemailer. */
export class SmtpOtpSender implements OtpSender {
  readonly kinds = ['email'] as const;
  private readonly transport: Transporter;

  constructor(private readonly opts: { url: string; from: string; transport?: Record<string, unknown> }) {
    // options in the URL's query (e.g. ?ignoreTLS=true) apply too; `transport` adds options in code
    this.transport = nodemailer.createTransport({ url: opts.url, ...(opts.transport ?? {}) });
  }

  async send(m: OtpMessage): Promise<void> {
    if (m.to.kind !== 'email') throw new AppError('CHANNEL_SEND_FAILED', 'the e-mail sender cannot send a text message');
    const { subject, body } = otpText(m);
    try {
      await this.transport.sendMail({ from: this.opts.from, to: m.to.address, subject, text: body });
    } catch (err) {
      // the address and the code stay out of the error: personal data and a secret
      throw new AppError('CHANNEL_SEND_FAILED', `SMTP refused the one-time code e-mail: ${(err as { responseCode?: number }).responseCode ?? (err as Error).message.slice(0, 80)}`, { retryable: true, cause: err });
    }
  }

  close(): void {
    this.transport.close();
  }
}
