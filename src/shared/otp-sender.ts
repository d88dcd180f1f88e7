/**
 * Sending one-time codes (issue 6 item 6): a guest who asks to return, cancel or change an order
 * they are not signed in for can prove they own it with a code sent to the order owner's own
 * contact. The conversation engine sees only this interface; implementations live in src/otp/
 * (e-mail over SMTP, SMS through any `SmsProvider`) and are chosen in src/main.ts from config.
 */
export type OtpContact = { kind: 'email'; address: string } | { kind: 'sms'; phone: string };

export interface OtpMessage {
  to: OtpContact;
  code: string;
  lang: 'zh' | 'en';
  shopName: string;
  /** What the code unlocks, for the text: the order it is for. */
  orderNumber: string;
  ttlMinutes: number;
}

export interface OtpSender {
  /** The contact kinds this sender can reach (codes go only to contacts of these kinds). */
  readonly kinds: readonly OtpContact['kind'][];
  /** Sends the code; throws AppError('CHANNEL_SEND_FAILED') when the provider refuses or is down. */
  send(message: OtpMessage): Promise<void>;
}

/** The seam for a text-message gateway (Aliyun, Tencent Cloud, Twilio, …): one message, one number. */
export interface SmsProvider {
  send(phone: string, text: string): Promise<void>;
}

/** The code's text, the same for every sender: who it is from, what for, how long, and not to share it. */
export function otpText(m: OtpMessage): { subject: string; body: string } {
  if (m.lang === 'zh') {
    return {
      subject: `【${m.shopName}】订单 ${m.orderNumber} 验证码`,
      body: `【${m.shopName}】您的验证码是 ${m.code}，用于在客服对话中办理订单 ${m.orderNumber}，${m.ttlMinutes} 分钟内有效。请勿告诉任何人。如非本人操作，请忽略。`,
    };
  }
  return {
    subject: `${m.shopName}: your code for order ${m.orderNumber}`,
    body: `${m.shopName}: your code is ${m.code}. It lets you act on order ${m.orderNumber} in our chat and is valid for ${m.ttlMinutes} minutes. Do not share it with anyone. If you did not ask for it, ignore this message.`,
  };
}
