import { describe, expect, it } from 'vitest';
import { InProcessChannelStateStore } from '../../shared/in-process-channel-state.js';
import { OaStore } from './oa-store.js';

const H = 3_600_000;
const t0 = new Date('2026-12-01T08:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('OaStore send window', () => {
  it('allows the quota of sends within 48 hours of a customer message, then refuses', async () => {
    const s = new OaStore(new InProcessChannelStateStore());
    await s.grant('o1', t0, { quota: 5, periodMs: 48 * H });
    const taken = [];
    for (let i = 0; i < 6; i++) taken.push(await s.takeSend('o1', at(H)));
    expect(taken).toEqual([true, true, true, true, true, false]);
  });

  it('is closed 48 hours after the last contact, and a new message opens it again', async () => {
    const s = new OaStore(new InProcessChannelStateStore());
    await s.grant('o1', t0, { quota: 5, periodMs: 48 * H });
    expect(await s.takeSend('o1', at(48 * H + 1))).toBe(false);
    await s.grant('o1', at(50 * H), { quota: 5, periodMs: 48 * H });
    expect(await s.takeSend('o1', at(50 * H + 1))).toBe(true);
  });

  it('does not add grants up: a menu click inside an open window keeps the larger quota and the later end', async () => {
    const s = new OaStore(new InProcessChannelStateStore());
    await s.grant('o1', t0, { quota: 5, periodMs: 48 * H });
    await s.takeSend('o1', at(1));
    const w = await s.grant('o1', at(2), { quota: 3, periodMs: 60_000 });
    expect(w).toEqual({ until: t0.getTime() + 48 * H, left: 4 });
    expect(await s.grant('o2', t0, { quota: 3, periodMs: 60_000 })).toEqual({ until: t0.getTime() + 60_000, left: 3 });
  });

  it('keeps held replies once each, in order, and gives them back on request', async () => {
    const s = new OaStore(new InProcessChannelStateStore());
    await s.hold('o1', { id: '1', text: 'a', at: t0.toISOString() });
    await s.hold('o1', { id: '2', text: 'b', at: t0.toISOString() });
    await s.hold('o1', { id: '1', text: 'a', at: t0.toISOString() });
    const taken = await s.takeHeld('o1');
    expect(taken.map((h) => h.id)).toEqual(['1', '2']);
    expect(await s.held('o1')).toEqual([]);
    await s.unTake('o1', taken);
    expect((await s.held('o1')).map((h) => h.id)).toEqual(['1', '2']);
  });

  it('claims a reply for one way out only', async () => {
    const s = new OaStore(new InProcessChannelStateStore());
    expect(await s.claimDelivery('9', 'passive')).toBe(true);
    expect(await s.claimDelivery('9', 'held')).toBe(false);
    expect(await s.delivery('9')).toBe('passive');
  });
});
