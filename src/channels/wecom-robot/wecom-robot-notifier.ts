import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import type { StaffAlert, StaffAlertTarget } from '../../shared/staff-alerts.js';
import type { StaffNotificationRow, StaffNotifier } from '../../shared/staff-notifier.js';
import { robotAlertMarkdown, robotMarkdown } from './wecom-robot-markdown.js';

/** What the robot posts: new work and the alarms about it. Conversation detail stays in /desk. */
export const WECOM_ROBOT_KINDS = ['handoff', 'left_message', 'reminder', 'escalation'] as const;

const Answer = z.object({ errcode: z.number(), errmsg: z.string().optional() });

/** errcodes worth another try: system busy, over the robot's 20 messages a minute, too many at once. */
const BUSY = -1;
const RATE_LIMITED = 45009;
const TOO_MANY_AT_ONCE = 45033;

/**
 * A WeCom group robot (企业微信群机器人) as a handoff alert target: each handoff, message left,
 * reminder and escalation is one markdown message in the group, with the customer's contact
 * masked and a link to the conversation in /desk (PUBLIC_URL + deskPath). WeCom answers HTTP 200
 * with an errcode: 45009 (the robot's rate limit) and -1 (busy) are retried after a pause; a bad
 * key (93000) or message is not. The webhook URL holds the robot's key: it never reaches a log.
 */
export class WecomRobotNotifier implements StaffNotifier, StaffAlertTarget {
  readonly target = 'wecom-robot';
  readonly kinds = WECOM_ROBOT_KINDS;

  /** `rateLimitRetryMs`: the pause after 45009 (the robot's limit is per minute). */
  constructor(private readonly opts: { webhookUrl: string; publicUrl: string; timeoutMs?: number; rateLimitRetryMs?: number }) {}

  async deliver(row: StaffNotificationRow): Promise<{ platformRef?: string }> {
    const content = robotMarkdown(row.kind, row.payload, this.opts.publicUrl);
    if (!content) return {};
    await this.post(content);
    return { platformRef: `wecom:${row.id}` };
  }

  /** An operational alert (an account logged out, a login QR code) as one markdown message. */
  async postAlert(alert: StaffAlert): Promise<void> {
    await this.post(robotAlertMarkdown(alert, this.opts.publicUrl));
  }

  private async post(content: string): Promise<void> {
    let res: Response;
    try {
      res = await fetch(this.opts.webhookUrl, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }), signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      // the URL carries the key: the cause's message is enough (fetch errors do not repeat the URL)
      throw new AppError('CHANNEL_SEND_FAILED', `WeCom robot unreachable: ${(err as Error).name}`, { retryable: true });
    }
    const body = await res.text().catch(() => '');
    if (!res.ok) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new AppError('CHANNEL_SEND_FAILED', `WeCom robot answered HTTP ${res.status}`, {
        retryable: res.status >= 500 || res.status === 429 || res.status === 408,
        details: Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : undefined,
      });
    }
    let answer: z.infer<typeof Answer>;
    try {
      answer = Answer.parse(JSON.parse(body));
    } catch {
      throw new AppError('CHANNEL_SEND_FAILED', 'WeCom robot answered something that is not its JSON', { retryable: true });
    }
    if (answer.errcode !== 0) {
      const retryable = [BUSY, RATE_LIMITED, TOO_MANY_AT_ONCE].includes(answer.errcode);
      const wait = answer.errcode === RATE_LIMITED ? (this.opts.rateLimitRetryMs ?? 60_000) : answer.errcode === TOO_MANY_AT_ONCE ? 5_000 : undefined;
      const hint = answer.errcode === 93000 ? ' (the webhook key is wrong or the robot was removed: check WECOM_ROBOT_WEBHOOK_URL)' : '';
      throw new AppError('CHANNEL_SEND_FAILED', `WeCom robot errcode ${answer.errcode}: ${(answer.errmsg ?? '').slice(0, 120)}${hint}`, { retryable, details: wait ? { retryAfterMs: wait } : undefined });
    }
  }
}
