import { AppError } from '../shared/app-error.js';
import { otpText, type OtpMessage, type OtpSender, type SmsProvider } from '../shared/otp-sender.js';

/** One-time codes by text message through whatever gateway the shop plugs in as an `SmsProvider`. */
export class SmsOtpSender implements OtpSender {
  readonly kinds = ['sms'] as const;
  constructor(private readonly provider: SmsProvider) {}

  async send(m: OtpMessage): Promise<void> {
    if (m.to.kind !== 'sms') throw new AppError('CHANNEL_SEND_FAILED', 'the SMS sender cannot send an e-mail');
    try {
      await this.provider.send(m.to.phone, otpText(m).body);
    } catch (err) {
      throw err instanceof AppError ? err : new AppError('CHANNEL_SEND_FAILED', `the SMS provider refused the one-time code: ${(err as Error).message.slice(0, 80)}`, { retryable: true, cause: err });
    }
  }
}

/** Several senders as one: each code goes through the sender that can reach its contact kind. */
export class CombinedOtpSender implements OtpSender {
  readonly kinds: OtpSender['kinds'];
  constructor(private readonly senders: OtpSender[]) {
    this.kinds = [...new Set(senders.flatMap((s) => s.kinds))];
  }

  async send(m: OtpMessage): Promise<void> {
    const sender = this.senders.find((s) => s.kinds.includes(m.to.kind));
    if (!sender) throw new AppError('CHANNEL_SEND_FAILED', `no one-time code sender for ${m.to.kind}`);
    await sender.send(m);
  }
}
