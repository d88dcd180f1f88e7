import { EventEmitter } from 'node:events';

/**
 * Fan-out between processes: a worker delivering a web-chat reply publishes it, and every web
 * process pushes it to the browser sockets it holds for that thread. Payloads are plain JSON data.
 */
export interface MessageBus {
  publish(topic: string, data: unknown): Promise<void>;
  /** Resolves once the subscription is live; the returned function unsubscribes this handler. */
  subscribe(topic: string, handler: (data: unknown) => void): Promise<() => Promise<void>>;
  /**
   * Called after the bus reconnected and its subscriptions are live again: whatever was
   * published meanwhile was missed (pub/sub keeps nothing), so subscribers catch up from storage.
   */
  onResubscribed?(listener: () => void): void;
  close(): Promise<void>;
}

/** The single-process twin: same semantics (JSON copy, async delivery), no Redis. */
export class InProcessMessageBus implements MessageBus {
  private readonly emitter = new EventEmitter();
  private closed = false;

  constructor() {
    // one listener per open chat socket: the default limit of 10 is a false alarm here
    this.emitter.setMaxListeners(0);
  }

  async publish(topic: string, data: unknown): Promise<void> {
    if (this.closed) return;
    // JSON round-trip so subscribers never share an object with the publisher, as over Redis
    const copy: unknown = JSON.parse(JSON.stringify(data ?? null));
    queueMicrotask(() => this.emitter.emit(topic, copy));
  }

  async subscribe(topic: string, handler: (data: unknown) => void): Promise<() => Promise<void>> {
    const listener = (data: unknown): void => handler(data);
    this.emitter.on(topic, listener);
    return async () => {
      this.emitter.off(topic, listener);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.emitter.removeAllListeners();
  }
}

/** The bus topic a web-chat thread's replies travel on. */
export function webchatTopic(threadId: string): string {
  return `webchat:${threadId}`;
}
