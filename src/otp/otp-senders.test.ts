import { describe, expect, it } from 'vitest';
import type { SmsProvider } from '../shared/otp-sender.js';
import { CombinedOtpSender, SmsOtpSender } from './sms-otp-sender.js';

/** An SMS gateway twin: a real SmsProvider whose network is an array. */
class RecordingSmsGateway implements SmsProvider {
  readonly sent: { phone: string; text: string }[] = [];
  down = false;
  async send(phone: string, text: string): Promise<void> {
    if (this.down) throw new Error('gateway 503');
    this.sent.push({ phone, text });
  }
}

const message = { code: '123456', lang: 'zh' as const, shopName: '示例商城', orderNumber: 'SD2501019001', ttlMinutes: 10 };

describe('one-time code senders', () => {
  it('sends an SMS through the pluggable provider, with the code, the order and the validity', async () => {
    const gateway = new RecordingSmsGateway();
    await new SmsOtpSender(gateway).send({ ...message, to: { kind: 'sms', phone: '13800138000' } });
    expect(gateway.sent).toEqual([{ phone: '13800138000', text: expect.stringMatching(/【示例商城】您的验证码是 123456.*SD2501019001.*10 分钟/) }]);
  });

  it('routes each code to the sender for its contact kind, and reports a provider failure as a send failure', async () => {
    const gateway = new RecordingSmsGateway();
    const combined = new CombinedOtpSender([new SmsOtpSender(gateway)]);
    expect(combined.kinds).toEqual(['sms']);
    await expect(combined.send({ ...message, to: { kind: 'email', address: 'a@example.com' } })).rejects.toMatchObject({ code: 'CHANNEL_SEND_FAILED' });
    gateway.down = true;
    await expect(combined.send({ ...message, to: { kind: 'sms', phone: '13800138000' } })).rejects.toMatchObject({ code: 'CHANNEL_SEND_FAILED', retryable: true });
  });
});
