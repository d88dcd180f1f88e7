import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessMessageBus, type MessageBus } from '../shared/message-bus.js';
import { RedisMessageBus } from './redis-message-bus.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let buses: MessageBus[] = [];
afterEach(async () => {
  for (const b of buses) await b.close();
  buses = [];
});

function nextMessage(bus: MessageBus, topic: string): Promise<unknown> {
  return new Promise((resolve) => {
    void bus.subscribe(topic, resolve);
  });
}

describe('RedisMessageBus', () => {
  it('delivers a message published by one bus instance to a subscriber on another', async () => {
    const prefix = `shopdesk-test-${randomUUID()}`;
    const a = new RedisMessageBus(REDIS_URL, prefix);
    const b = new RedisMessageBus(REDIS_URL, prefix);
    buses.push(a, b);
    const received: unknown[] = [];
    await b.subscribe('webchat:v1', (d) => received.push(d));
    await a.publish('webchat:v1', { type: 'reply', text: '你好' });
    await a.publish('webchat:other', { ignored: true });
    await expect.poll(() => received, { timeout: 2000 }).toEqual([{ type: 'reply', text: '你好' }]);
  });

  it('stops delivering to a handler after it unsubscribes, keeping the others', async () => {
    const prefix = `shopdesk-test-${randomUUID()}`;
    const a = new RedisMessageBus(REDIS_URL, prefix);
    const b = new RedisMessageBus(REDIS_URL, prefix);
    buses.push(a, b);
    const first: unknown[] = [];
    const second: unknown[] = [];
    const off = await b.subscribe('t', (d) => first.push(d));
    await b.subscribe('t', (d) => second.push(d));
    await a.publish('t', 1);
    await expect.poll(() => second.length, { timeout: 2000 }).toBe(1);
    await off();
    await a.publish('t', 2);
    await expect.poll(() => second, { timeout: 2000 }).toEqual([1, 2]);
    expect(first).toEqual([1]);
  });

  it('does not cross between two prefixes (two installs on one Redis)', async () => {
    const a = new RedisMessageBus(REDIS_URL, `shopdesk-test-${randomUUID()}`);
    const b = new RedisMessageBus(REDIS_URL, `shopdesk-test-${randomUUID()}`);
    buses.push(a, b);
    const got: unknown[] = [];
    await b.subscribe('t', (d) => got.push(d));
    await a.publish('t', 'x');
    await new Promise((r) => setTimeout(r, 150));
    expect(got).toEqual([]);
  });
});

describe('InProcessMessageBus', () => {
  it('delivers a JSON copy asynchronously, not the publisher object', async () => {
    const bus = new InProcessMessageBus();
    buses.push(bus);
    const sent = { n: 1 };
    const got = nextMessage(bus, 't');
    await bus.publish('t', sent);
    const d = await got;
    expect(d).toEqual({ n: 1 });
    expect(d).not.toBe(sent);
  });
});
