import { Redis } from 'ioredis';
import { AppError } from '../shared/app-error.js';
import { logger, redactUrl } from '../shared/logger.js';
import type { MessageBus } from '../shared/message-bus.js';

const log = logger('jobs.message-bus');

/**
 * MessageBus on Redis pub/sub. A subscribed Redis connection cannot publish, so there are two:
 * one for PUBLISH and one that only SUBSCRIBEs. Delivery is at most once (pub/sub has no
 * persistence): a web process that is down misses pushes, and the browser catches up through
 * history on reconnect.
 */
export class RedisMessageBus implements MessageBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, Set<(data: unknown) => void>>();

  constructor(redisUrl: string, private readonly prefix = 'shopdesk') {
    const opts = { maxRetriesPerRequest: 3, lazyConnect: false };
    this.pub = new Redis(redisUrl, opts);
    this.sub = new Redis(redisUrl, opts);
    for (const c of [this.pub, this.sub]) {
      // without a listener ioredis prints unhandled errors; reconnects are automatic
      c.on('error', (err: Error) => log.warn({ err: err.message, url: redactUrl(redisUrl) }, 'redis bus connection error'));
    }
    this.sub.on('message', (channel: string, raw: string) => this.dispatch(channel, raw));
    // ioredis re-subscribes on every reconnect before 'ready'; the first 'ready' is the initial connect
    let connectedOnce = false;
    this.sub.on('ready', () => {
      if (connectedOnce) for (const l of this.resubscribed) l();
      connectedOnce = true;
    });
  }

  private readonly resubscribed = new Set<() => void>();

  onResubscribed(listener: () => void): void {
    this.resubscribed.add(listener);
  }

  private channel(topic: string): string {
    return `${this.prefix}:bus:${topic}`;
  }

  private dispatch(channel: string, raw: string): void {
    const set = this.handlers.get(channel);
    if (!set) return;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      log.warn({ channel }, 'ignored a bus message that is not JSON');
      return;
    }
    for (const h of set) {
      try {
        h(data);
      } catch (err) {
        log.error({ channel, err: (err as Error).message }, 'bus handler failed');
      }
    }
  }

  async publish(topic: string, data: unknown): Promise<void> {
    try {
      await this.pub.publish(this.channel(topic), JSON.stringify(data ?? null));
    } catch (err) {
      throw new AppError('QUEUE_UNAVAILABLE', `cannot publish on the message bus: ${(err as Error).message}`, { retryable: true, cause: err });
    }
  }

  async subscribe(topic: string, handler: (data: unknown) => void): Promise<() => Promise<void>> {
    const channel = this.channel(topic);
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      try {
        await this.sub.subscribe(channel);
      } catch (err) {
        this.handlers.delete(channel);
        throw new AppError('QUEUE_UNAVAILABLE', `cannot subscribe on the message bus: ${(err as Error).message}`, { retryable: true, cause: err });
      }
    }
    set.add(handler);
    return async () => {
      const s = this.handlers.get(channel);
      if (!s) return;
      s.delete(handler);
      if (s.size === 0) {
        this.handlers.delete(channel);
        // a closed connection has nothing left to unsubscribe from
        if (this.sub.status === 'ready') await this.sub.unsubscribe(channel);
      }
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}
