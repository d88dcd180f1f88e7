import type { Logger } from 'pino';
import type { OutboxItem, SendPolicy, WechatyOutbox } from './wechaty-outbox.js';

/** Why the sender is holding replies back, for the channel's health. */
export type SendHold =
  | { kind: 'paused'; waiting: number }
  | { kind: 'throttled'; window: 'minute' | 'hour'; waiting: number; retryAfterMs: number; warm: boolean };

export interface SenderDeps {
  outbox: WechatyOutbox;
  policy: SendPolicy;
  /** The logged-in account and when it first logged in here; undefined while logged out. */
  session: () => { account: string; firstLoginAt?: Date } | undefined;
  /** The kill switch: WECHATY_SEND_PAUSED, or `shopdesk channels pause wechaty` (read before every send). */
  paused: () => Promise<boolean>;
  send: (item: OutboxItem) => Promise<void>;
  log: Logger;
  clock: () => Date;
  count: (counter: string) => void;
  onHold: (hold: SendHold | undefined) => void;
  /** Longest single wait before looking again (a kick ends it sooner). */
  pollMs: number;
}

/** Tries per reply before it is set aside (a contact that deleted the account, a room it left). */
const MAX_TRIES = 5;

/**
 * Drains the outbox in the process that holds the login: one reply at a time, in order, each
 * after the policy allows it and a human-looking pause. Held replies stay queued (delayed, never
 * dropped); only a reply the platform refuses five times is set aside, logged and counted.
 */
export class WechatySender {
  private running = false;
  private wake?: () => void;
  private loop?: Promise<void>;
  private readonly tries = new Map<string, number>();

  constructor(private readonly d: SenderDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err: unknown) => this.d.log.error({ err: (err as Error).message }, 'the wechaty sender stopped'));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
  }

  /** Something was queued, or the login came back: look now. */
  kick(): void {
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() { clearTimeout(t); resolve(); }
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.step();
      } catch (err) {
        // the state store briefly away: the queue is durable, so look again shortly
        this.d.log.warn({ err: (err as Error).message }, 'wechaty outbox unavailable; retrying');
        await this.sleep(this.d.pollMs);
      }
    }
  }

  private async step(): Promise<void> {
    const { outbox, policy } = this.d;
    const item = await outbox.head();
    const session = this.d.session();
    if (!item || !session) {
      this.d.onHold(undefined);
      await this.sleep(this.d.pollMs);
      return;
    }
    if (await this.d.paused()) {
      this.d.onHold({ kind: 'paused', waiting: await outbox.size() });
      await this.sleep(this.d.pollMs);
      return;
    }
    if (await outbox.isSent(item.messageId)) {
      await outbox.done(item.messageId);
      return;
    }
    const warm = policy.warming(session.firstLoginAt, this.d.clock());
    const go = await policy.take(session.account, warm);
    if (!go.allowed) {
      this.d.count('throttled');
      this.d.onHold({ kind: 'throttled', window: go.window, waiting: await outbox.size(), retryAfterMs: go.retryAfterMs, warm });
      await this.sleep(Math.min(go.retryAfterMs, this.d.pollMs));
      return;
    }
    this.d.onHold(undefined);
    await this.sleep(policy.pauseMs());
    if (!this.running) return;
    try {
      await this.d.send(item);
    } catch (err) {
      const n = (this.tries.get(item.messageId) ?? 0) + 1;
      this.tries.set(item.messageId, n);
      this.d.count('sendFailed');
      this.d.log.warn({ messageId: item.messageId, tries: n, err: (err as Error).message }, 'wechaty send failed');
      if (n < MAX_TRIES) {
        await this.sleep(Math.min(500 * 2 ** n, 30_000));
        return;
      }
      this.d.count('setAside');
      this.d.log.error({ messageId: item.messageId, threadId: item.threadId }, 'a wechaty reply failed on every try: set aside');
      this.tries.delete(item.messageId);
      await outbox.done(item.messageId);
      return;
    }
    this.tries.delete(item.messageId);
    this.d.count('sent');
    await outbox.done(item.messageId);
  }
}
