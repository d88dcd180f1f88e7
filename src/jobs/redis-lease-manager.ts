import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { holdLease } from './lease-holder.js';
import type { HoldOptions, Lease, LeaseManager } from './lease-types.js';

/**
 * Grants the lease if free and hands out the next fence: one counter for every lease, never
 * below the server's clock in milliseconds, so fences keep increasing even after Redis lost its
 * data (a restart without persistence, a failover to a replica that missed the last writes).
 */
const ACQUIRE_LUA = `
if redis.call('exists', KEYS[1]) == 1 then return false end
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local fence = redis.call('incr', KEYS[2])
if fence < now then
  fence = now
  redis.call('set', KEYS[2], string.format('%d', now))
end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
return fence`;
// Extend / delete only if we still own the lease: after its TTL another holder may have it.
const RENEW_LUA = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_LUA = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Leases shared by every process on one Redis (SET NX PX with a random token per grant). */
export class RedisLeaseManager implements LeaseManager {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async tryAcquire(name: string, ttlMs: number): Promise<Lease | null> {
    const key = `${this.prefix}:lease:${name}`;
    const token = randomUUID();
    const sentAt = Date.now();
    const fence = (await this.redis.eval(ACQUIRE_LUA, 2, key, `${this.prefix}:lease-fence`, token, String(ttlMs))) as number | null;
    if (fence === null) return null;
    return new RedisLease(this.redis, name, key, token, Number(fence), ttlMs, sentAt);
  }

  hold(name: string, o: HoldOptions): { stop(): Promise<void> } {
    return holdLease(this, name, o);
  }
}

class RedisLease implements Lease {
  private refused = false;
  /** Counted from before the command was sent, so this side never believes in a lease Redis already expired. */
  private validUntil: number;

  constructor(
    private readonly redis: Redis,
    readonly name: string,
    private readonly key: string,
    private readonly token: string,
    readonly fence: number,
    private readonly ttlMs: number,
    sentAt: number,
  ) {
    this.validUntil = sentAt + ttlMs;
  }

  get lost(): boolean {
    return this.refused || Date.now() >= this.validUntil;
  }

  async renew(): Promise<boolean> {
    if (this.refused) return false;
    const sentAt = Date.now();
    const extended = (await this.redis.eval(RENEW_LUA, 1, this.key, this.token, String(this.ttlMs))) as number;
    if (extended !== 1) {
      this.refused = true;
      return false;
    }
    this.validUntil = sentAt + this.ttlMs;
    return !this.lost;
  }

  async release(): Promise<void> {
    this.refused = true;
    await this.redis.eval(RELEASE_LUA, 1, this.key, this.token);
  }
}
