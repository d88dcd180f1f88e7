import type { Db } from '../../db/database-client.js';
import type { ChannelStateStore } from '../../shared/channel-lifecycle.js';
import { isUniqueViolation } from '../audit-log.js';

/**
 * `ChannelStateStore` on the database (table `ChannelState`): one value per channel and key,
 * shared by every process. `compareAndSet` is a conditional update (or an insert that loses to a
 * concurrent one on the primary key), so two writers racing on one key never both succeed — on
 * SQLite and PostgreSQL alike.
 */
export function createChannelStateStore(db: Db, channel: string): ChannelStateStore {
  return {
    async get(key) {
      const row = await db.channelState.findUnique({ where: { channel_key: { channel, key } }, select: { value: true } });
      return row?.value;
    },
    async set(key, value) {
      await db.channelState.upsert({ where: { channel_key: { channel, key } }, create: { channel, key, value }, update: { value } });
    },
    async compareAndSet(key, expected, next) {
      if (expected === undefined) {
        try {
          await db.channelState.create({ data: { channel, key, value: next } });
          return true;
        } catch (err) {
          if (isUniqueViolation(err)) return false;
          throw err;
        }
      }
      const r = await db.channelState.updateMany({ where: { channel, key, value: expected }, data: { value: next } });
      return r.count === 1;
    },
  };
}
