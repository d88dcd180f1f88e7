import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrm } from '../../src/crm/index.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';

describe('ChannelStateStore on the database', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db?.destroy(); });

  it('lets exactly one of many racing writers create a key, and refuses a stale compare-and-set', async () => {
    const state = createCrm(db.db).channelState('email');
    const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => state.compareAndSet('cursor:INBOX', undefined, `v${i}`)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const current = (await state.get('cursor:INBOX'))!;
    expect(await state.compareAndSet('cursor:INBOX', 'stale', 'x')).toBe(false);
    const moved = await Promise.all([state.compareAndSet('cursor:INBOX', current, 'a'), state.compareAndSet('cursor:INBOX', current, 'b')]);
    expect(moved.filter(Boolean)).toHaveLength(1);
    expect(['a', 'b']).toContain(await state.get('cursor:INBOX'));
  });

  it('keeps each channel\'s keys apart', async () => {
    const crm = createCrm(db.db);
    await crm.channelState('email').set('token', 'e');
    await crm.channelState('wechat').set('token', 'w');
    expect(await crm.channelState('email').get('token')).toBe('e');
    expect(await crm.channelState('wechat').get('token')).toBe('w');
  });
});
