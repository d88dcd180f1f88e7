/**
 * Sending one-time codes: a guest who asks to return, cancel or change an order they are not
 * signed in for proves they own it with a code sent to the order owner's own contact (issue 6
 * item 6), and a sender on any channel links it to their customer account with a code sent to
 * the phone or e-mail on file (issue 10 item 7). The conversation engine sees only this
 * interface; implementations live in src/otp/ (e-mail over SMTP, SMS through any `SmsProvider`,
 * e.g. the HTTP gateway of SMS_GATEWAY_URL) and are chosen in src/main.ts from config. A shop
 * with no SMS gateway has no `sms` kind: the bot says phone codes are unavailable and offers
 * e-mail — a code is never written to a log instead.
 */
export type OtpContact = { kind: 'email'; address: string } | { kind: 'sms'; phone: string };

export interface OtpMessage {
  to: OtpContact;
  code: string;
  lang: 'zh' | 'en';
  shopName: string;
  /** What the code unlocks, for the text: the order it is for; absent for a code that links the sender's chat to their account. */
  orderNumber?: string;
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
  if (m.orderNumber === undefined) {
    if (m.lang === 'zh') {
      return {
        subject: `【${m.shopName}】账户验证码`,
        body: `【${m.shopName}】您的验证码是 ${m.code}，用于把客服对话关联到您的账户，${m.ttlMinutes} 分钟内有效。请勿告诉任何人，客服不会向您索要验证码。如非本人操作，请忽略。`,
      };
    }
    return {
      subject: `${m.shopName}: your account verification code`,
      body: `${m.shopName}: your code is ${m.code}. It links our chat with you to your customer account and is valid for ${m.ttlMinutes} minutes. Do not share it with anyone; we never ask for it. If you did not ask for it, ignore this message.`,
    };
  }
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
