import { describe, expect, it } from 'vitest';
import { InProcessGroupLock } from './group-lock.js';

describe('InProcessGroupLock', () => {
  it('refuses a second holder of the same key while the first is running', async () => {
    const lock = new InProcessGroupLock();
    let inner: unknown;
    const outer = await lock.withLock('thread:1', 1_000, async () => {
      inner = await lock.withLock('thread:1', 1_000, async () => 'no');
      return 'yes';
    });
    expect(outer).toEqual({ acquired: true, value: 'yes' });
    expect(inner).toEqual({ acquired: false });
  });

  it('lets different keys be held at the same time', async () => {
    const lock = new InProcessGroupLock();
    const result = await lock.withLock('a', 1_000, async () => lock.withLock('b', 1_000, async () => 'both'));
    expect(result).toEqual({ acquired: true, value: { acquired: true, value: 'both' } });
  });

  it('frees the key when the work throws', async () => {
    const lock = new InProcessGroupLock();
    await expect(lock.withLock('a', 1_000, async () => { throw new Error('work failed'); })).rejects.toThrow('work failed');
    expect(await lock.withLock('a', 1_000, async () => 1)).toEqual({ acquired: true, value: 1 });
  });
});
