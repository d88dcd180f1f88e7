import { describe, expect, it } from 'vitest';
import { InProcessChannelStateStore } from '../../shared/in-process-channel-state.js';
import { logger } from '../../shared/logger.js';
import { InProcessRateLimiter } from '../../shared/rate-limiter.js';
import { SendPolicy, WechatyOutbox, type OutboxItem, type SendLimits } from './wechaty-outbox.js';
import { WechatySender, type SendHold } from './wechaty-sender.js';

const LIMITS: SendLimits = { limits: { perMinute: 10, perHour: 100 }, warmup: { hours: 24, perMinute: 2, perHour: 20 }, delay: { minMs: 0, jitterMs: 0 } };
const HOUR = 3_600_000;

function item(n: number): OutboxItem {
  return { messageId: String(n), threadId: 'wx:shop|wx:alice', message: { type: 'text', text: `reply ${n}` }, queuedAt: new Date().toISOString() };
}

async function until(fn: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function rig(o: { paused?: boolean; firstLoginAt?: Date; now: () => number }) {
  const state = new InProcessChannelStateStore();
  const outbox = new WechatyOutbox(state);
  const sent: string[] = [];
  const holds: (SendHold | undefined)[] = [];
  const sender = new WechatySender({
    outbox, policy: new SendPolicy(LIMITS, new InProcessRateLimiter(o.now)), paused: async () => o.paused ?? (await state.get('paused')) === '1',
    session: () => ({ account: 'wx:shop', firstLoginAt: o.firstLoginAt }),
    send: async (i) => { sent.push(i.messageId); }, log: logger('test'), clock: () => new Date(o.now()), count: () => undefined,
    onHold: (h) => holds.push(h), pollMs: 10,
  });
  return { state, outbox, sent, holds, sender };
}

describe('WechatyOutbox', () => {
  it('keeps a reply once, however often it is queued, and not again once sent', async () => {
    const outbox = new WechatyOutbox(new InProcessChannelStateStore());
    await outbox.enqueue(item(1));
    await outbox.enqueue(item(1));
    await outbox.enqueue(item(2));
    expect(await outbox.size()).toBe(2);
    await outbox.done('1');
    await outbox.enqueue(item(1));
    expect((await outbox.head())?.messageId).toBe('2');
    expect(await outbox.size()).toBe(1);
  });
});

describe('WechatySender', () => {
  it('sends nothing while the kill switch is on, and keeps every reply queued', async () => {
    const r = rig({ paused: true, now: Date.now });
    for (const n of [1, 2, 3]) await r.outbox.enqueue(item(n));
    r.sender.start();
    await until(() => r.holds.some((h) => h?.kind === 'paused'));
    await new Promise((res) => setTimeout(res, 50));
    await r.sender.stop();
    expect(r.sent).toEqual([]);
    expect(await r.outbox.size()).toBe(3);
    expect(r.holds.at(-1)).toEqual({ kind: 'paused', waiting: 3 });
  });

  it('obeys a pause set at run time and sends what waited once resumed', async () => {
    const r = rig({ now: Date.now });
    await r.state.set('paused', '1');
    await r.outbox.enqueue(item(1));
    r.sender.start();
    await until(() => r.holds.some((h) => h?.kind === 'paused'));
    expect(r.sent).toEqual([]);
    await r.state.set('paused', '0');
    await until(() => r.sent.length === 1);
    await r.sender.stop();
  });

  it('sends a new login at the warm-up limit, then at the full limit once the warm-up hours are over', async () => {
    let now = Date.now();
    const r = rig({ firstLoginAt: new Date(now - HOUR), now: () => now });
    for (const n of [1, 2, 3, 4, 5]) await r.outbox.enqueue(item(n));
    r.sender.start();
    await until(() => r.sent.length === 2 && r.holds.at(-1)?.kind === 'throttled');
    expect(r.holds.at(-1)).toMatchObject({ kind: 'throttled', window: 'minute', warm: true, waiting: 3 });
    now += 24 * HOUR;
    await until(() => r.sent.length === 5);
    await r.sender.stop();
    expect(r.sent).toEqual(['1', '2', '3', '4', '5']);
    expect(await r.outbox.size()).toBe(0);
  });

  it('does not send a reply again that was marked sent before a crash took it off the queue', async () => {
    const r = rig({ now: Date.now });
    await r.outbox.enqueue(item(1));
    await r.outbox.enqueue(item(2));
    await r.state.set('sent:1', '1');
    r.sender.start();
    await until(() => r.sent.length === 1);
    await r.sender.stop();
    expect(r.sent).toEqual(['2']);
  });

  it('spaces messages by the pause plus jitter', () => {
    const policy = new SendPolicy({ ...LIMITS, delay: { minMs: 1000, jitterMs: 2000 } }, new InProcessRateLimiter(), () => 0.5);
    expect(policy.pauseMs()).toBe(2000);
    expect(policy.warming(undefined, new Date())).toBe(false);
  });
});
