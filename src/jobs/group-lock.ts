import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { logger } from '../shared/logger.js';

const log = logger('jobs.group-lock');

/**
 * A non-reentrant mutual-exclusion lock by key. The engine holds it while it processes the pending
 * messages of one thread from the database in id order; the BullMQ driver uses it to run the jobs of
 * one group one at a time. `acquired: false` means someone else holds the key right now.
 */
export interface GroupLock {
  withLock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
}

/**
 * Lock for a single process. No expiry is needed: the holder cannot die without the process, so
 * `ttlMs` is ignored.
 */
export class InProcessGroupLock implements GroupLock {
  private readonly held = new Map<string, symbol>();

  async withLock<T>(key: string, _ttlMs: number, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    if (this.held.has(key)) return { acquired: false };
    const token = Symbol(key);
    this.held.set(key, token);
    try {
      return { acquired: true, value: await fn() };
    } finally {
      if (this.held.get(key) === token) this.held.delete(key);
    }
  }
}

// Delete / extend only if we still own the lock: after a TTL expiry another holder may have it.
const RELEASE_LUA = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const REFRESH_LUA = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Lock shared by every process on one Redis: SET NX PX with a random token, the TTL refreshed every
 * third of `ttlMs` while `fn` runs, released by a compare-and-delete script. If the holder dies the
 * key expires after `ttlMs`.
 */
export class RedisGroupLock implements GroupLock {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async withLock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    const lockKey = `${this.prefix}:lock:${key}`;
    const token = randomUUID();
    const set = await this.redis.set(lockKey, token, 'PX', ttlMs, 'NX');
    if (set !== 'OK') return { acquired: false };
    const refresh = setInterval(() => {
      this.redis.eval(REFRESH_LUA, 1, lockKey, token, String(ttlMs)).then(
        (extended) => {
          if (extended === 0) log.warn({ lockKey }, 'group lock expired while its holder was still running');
        },
        (err: unknown) => log.warn({ lockKey, err }, 'could not refresh group lock'),
      );
    }, Math.max(Math.floor(ttlMs / 3), 20));
    refresh.unref();
    try {
      return { acquired: true, value: await fn() };
    } finally {
      clearInterval(refresh);
      await this.release(lockKey, token);
    }
  }

  private async release(lockKey: string, token: string): Promise<void> {
    try {
      await this.redis.eval(RELEASE_LUA, 1, lockKey, token);
    } catch (err) {
      // The TTL frees the key anyway; failing the finished work for this would be worse.
      log.warn({ lockKey, err }, 'could not release group lock; it will expire');
    }
  }
}
