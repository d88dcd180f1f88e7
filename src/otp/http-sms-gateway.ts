import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../shared/app-error.js';
import type { SmsProvider } from '../shared/otp-sender.js';

/**
 * Text messages through the shop's own HTTP gateway (SMS_GATEWAY_URL + SMS_GATEWAY_TOKEN): most
 * shops already have one in front of Aliyun, Tencent Cloud or Twilio. One message is one request:
 *
 *   POST <SMS_GATEWAY_URL>
 *   Authorization: Bearer <SMS_GATEWAY_TOKEN>
 *   Content-Type: application/json
 *   Idempotency-Key: <a key per message>
 *   {"to": "13800138000", "text": "【Demo Shop】您的验证码是 …"}
 *
 * Any 2xx accepts it (a JSON body `{"id": "…"}` is read when present); 429 and 5xx are retryable
 * failures, other statuses are not. Neither the number nor the text ever reaches an error or a log.
 */
export class HttpSmsGateway implements SmsProvider {
  private readonly timeoutMs: number;

  constructor(private readonly opts: { url: string; token: string; timeoutMs?: number; fetch?: typeof fetch }) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  async send(phone: string, text: string): Promise<void> {
    // a retried request carries the same key, so a gateway that honours it sends one message
    const idempotencyKey = randomUUID();
    let res: Response;
    try {
      res = await (this.opts.fetch ?? fetch)(this.opts.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.opts.token}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify({ to: phone, text }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new AppError('CHANNEL_SEND_FAILED', `SMS gateway unreachable: ${(err as Error).name}`, { retryable: true, cause: err });
    }
    const body = await res.text().catch(() => '');
    if (res.ok) {
      // a body is optional; one that says it failed is believed
      const parsed = Accepted.safeParse(safeJson(body));
      if (parsed.success && parsed.data.ok === false) throw new AppError('CHANNEL_SEND_FAILED', 'SMS gateway answered ok: false', { retryable: false });
      return;
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new AppError('CHANNEL_SEND_FAILED', `SMS gateway answered HTTP ${res.status}`, {
      retryable: res.status === 429 || res.status >= 500,
      details: Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : undefined,
    });
  }
}

const Accepted = z.object({ ok: z.boolean().optional(), id: z.string().optional() }).loose();

function safeJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
