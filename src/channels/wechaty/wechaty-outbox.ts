import { z } from 'zod';
import type { ChannelStateStore } from '../../shared/channel-lifecycle.js';
import type { OutboundMessage } from '../../shared/message-types.js';
import type { RateLimiter } from '../../shared/rate-limiter.js';

/**
 * The wechaty channel's outbox, in the channel's durable state (table ChannelState), shared by
 * every process: the adapter in any worker appends a reply; the one process that holds the
 * wechaty login sends them in order, paced (see `SendPolicy`). A reply the limits hold back waits
 * here — across restarts — and is delayed, never dropped. Each reply is marked `sent:<id>` before
 * it leaves the queue, so a crash between the two does not send it twice.
 */
export const OutboxItem = z.object({
  messageId: z.string(),
  threadId: z.string(),
  message: z.custom<OutboundMessage>((v) => typeof v === 'object' && v !== null && 'type' in v),
  queuedAt: z.string(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;
const Queue = z.array(OutboxItem);

const KEY = 'outbox';
/** Compare-and-set retries before giving up on one append (other processes appending at once). */
const CAS_TRIES = 50;

export class WechatyOutbox {
  constructor(private readonly state: ChannelStateStore) {}

  private async read(): Promise<{ raw: string | undefined; items: OutboxItem[] }> {
    const raw = await this.state.get(KEY);
    if (!raw) return { raw, items: [] };
    const parsed = Queue.safeParse(JSON.parse(raw));
    return { raw, items: parsed.success ? parsed.data : [] };
  }

  private async update(change: (items: OutboxItem[]) => OutboxItem[] | undefined): Promise<void> {
    for (let i = 0; i < CAS_TRIES; i++) {
      const { raw, items } = await this.read();
      const next = change(items);
      if (!next) return;
      if (await this.state.compareAndSet(KEY, raw, JSON.stringify(next))) return;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
    }
    throw new Error('the wechaty outbox is too busy to update');
  }

  /** Adds a reply unless it is queued or sent already (a re-run delivery job). */
  async enqueue(item: OutboxItem): Promise<void> {
    if (await this.state.get(`sent:${item.messageId}`)) return;
    await this.update((items) => (items.some((i) => i.messageId === item.messageId) ? undefined : [...items, item]));
  }

  async head(): Promise<OutboxItem | undefined> {
    return (await this.read()).items[0];
  }

  async size(): Promise<number> {
    return (await this.read()).items.length;
  }

  async isSent(messageId: string): Promise<boolean> {
    return Boolean(await this.state.get(`sent:${messageId}`));
  }

  /** Marks a reply sent, then takes it off the queue. */
  async done(messageId: string): Promise<void> {
    await this.state.set(`sent:${messageId}`, '1');
    await this.update((items) => (items.some((i) => i.messageId === messageId) ? items.filter((i) => i.messageId !== messageId) : undefined));
  }
}

export interface SendLimits {
  limits: { perMinute: number; perHour: number };
  warmup: { hours: number; perMinute: number; perHour: number };
  delay: { minMs: number; jitterMs: number };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * How fast the account may send: a token bucket per minute and per hour (the shared rate
 * limiter, so every process counts the same sends), gentler during the warm-up after the
 * account's first login here, and a human-looking pause with jitter before each message.
 * Keys carry the rule, as the limiter asks (one key, one rule).
 */
export class SendPolicy {
  constructor(private readonly s: SendLimits, private readonly limiter: RateLimiter, private readonly random: () => number = Math.random) {}

  rules(warm: boolean): { perMinute: number; perHour: number } {
    return warm ? { perMinute: this.s.warmup.perMinute, perHour: this.s.warmup.perHour } : this.s.limits;
  }

  /** True while the account is within its warm-up hours of its first login. */
  warming(firstLoginAt: Date | undefined, now: Date): boolean {
    return Boolean(firstLoginAt) && now.getTime() - firstLoginAt!.getTime() < this.s.warmup.hours * HOUR_MS;
  }

  /** Takes one send from both buckets, or says how long to wait (with jitter, so a backlog does not go out in a burst). */
  async take(account: string, warm: boolean): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number; window: 'minute' | 'hour' }> {
    const r = this.rules(warm);
    // the minute first: a poll while the minute is spent costs nothing; one while the hour is
    // spent costs a minute token, which comes back within seconds (the other order would drain
    // the hour's bucket with every look)
    const minute = await this.limiter.consume(`wechaty:send:${account}:m${r.perMinute}`, { points: r.perMinute, perMs: MINUTE_MS });
    if (!minute.allowed) return { allowed: false, retryAfterMs: minute.retryAfterMs + this.jitter(), window: 'minute' };
    const hour = await this.limiter.consume(`wechaty:send:${account}:h${r.perHour}`, { points: r.perHour, perMs: HOUR_MS });
    if (!hour.allowed) return { allowed: false, retryAfterMs: hour.retryAfterMs + this.jitter(), window: 'hour' };
    return { allowed: true };
  }

  /** The pause before one message: at least the minimum, plus a random part. */
  pauseMs(): number {
    return this.s.delay.minMs + this.jitter();
  }

  private jitter(): number {
    return Math.floor(this.random() * this.s.delay.jitterMs);
  }
}
