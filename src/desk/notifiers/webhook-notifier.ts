import { AppError } from '../../shared/app-error.js';
import type { StaffNotificationRow, StaffNotifier } from '../../shared/staff-notifier.js';

/** Kinds worth a post outside the desk: new work, and what the customer and staff say on it. */
export const EXTERNAL_KINDS = ['handoff', 'left_message', 'customer_message', 'staff_message', 'claim', 'transfer', 'release', 'resolve', 'leave_queue', 'reminder', 'escalation'] as const;

/**
 * POSTs each notification as JSON to a URL (DESK_NOTIFY_WEBHOOK_URL): for automation tools and
 * the simplest alert. `Idempotency-Key` is the row's dedupe key, so a receiver can drop a repeat
 * after a crash between its answer and our bookkeeping. A JSON answer's `id` becomes the row's
 * platform ref. 5xx, 429 and network errors are retried (honouring Retry-After); 4xx are not.
 */
export class WebhookNotifier implements StaffNotifier {
  readonly target = 'webhook';
  readonly kinds = EXTERNAL_KINDS;

  constructor(private readonly url: string, private readonly opts: { publicUrl?: string; timeoutMs?: number } = {}) {}

  async deliver(row: StaffNotificationRow): Promise<{ platformRef?: string }> {
    const body = {
      id: row.id, kind: row.kind, conversationId: row.conversationId, staffId: row.staffId, createdAt: row.createdAt.toISOString(),
      threadRef: row.threadRef, link: `${this.opts.publicUrl ?? ''}${row.payload.deskPath}`, ...row.payload,
    };
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': row.dedupeKey, 'User-Agent': 'shopdesk' },
        body: JSON.stringify(body), signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new AppError('CHANNEL_SEND_FAILED', `webhook unreachable: ${(err as Error).message}`, { retryable: true, cause: err });
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new AppError('CHANNEL_SEND_FAILED', `webhook answered ${res.status}`, {
        retryable: res.status >= 500 || res.status === 429 || res.status === 408,
        details: Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : undefined,
      });
    }
    let id: unknown;
    try {
      id = (JSON.parse(text) as { id?: unknown }).id;
    } catch {
      id = undefined;
    }
    return { platformRef: typeof id === 'string' || typeof id === 'number' ? String(id) : `webhook:${row.id}` };
  }
}
