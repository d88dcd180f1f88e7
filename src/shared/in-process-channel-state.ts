import type { ChannelStateStore } from './channel-lifecycle.js';

/** `ChannelStateStore` in a Map: the single-process twin of the database store (tests, the terminal). */
export class InProcessChannelStateStore implements ChannelStateStore {
  private readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async compareAndSet(key: string, expected: string | undefined, next: string): Promise<boolean> {
    if (this.values.get(key) !== expected) return false;
    this.values.set(key, next);
    return true;
  }
}
