import { Redis } from 'ioredis';
import { logger, redactUrl } from '../shared/logger.js';
import { InProcessRateLimiter, type RateDecision, type RateLimiter, type RateRule } from '../shared/rate-limiter.js';

const log = logger('jobs.rate-limiter');

/**
 * The token bucket of src/shared/rate-limiter.ts, atomically in Redis (one script call per
 * consume, the clock is Redis's own TIME so processes with skewed clocks agree). The bucket is a
 * hash {tokens, at} that expires once it would be full again.
 */
const CONSUME_LUA = `
local points = tonumber(ARGV[1])
local per = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = points / per
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil then tokens = points; at = now end
tokens = math.min(points, tokens + math.max(0, now - at) * rate)
local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
elseif cost > points then
  retry = per
else
  retry = math.ceil((cost - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(per) + 1000)
return {allowed, retry, math.floor(tokens)}
`;

/**
 * One limiter for every process on one Redis (used when REDIS_URL is set). When Redis cannot be
 * reached the process falls back to its own in-process buckets — limits keep holding per
 * process rather than the chat going down — and says so in the log once a minute.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly fallback = new InProcessRateLimiter();
  private lastWarning = 0;

  constructor(redisUrl: string, private readonly prefix = 'shopdesk') {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, enableOfflineQueue: false, retryStrategy: (n: number) => Math.min(n * 200, 2_000) });
    this.redis.on('error', (err: Error) => this.warn(err, redisUrl));
    this.redis.defineCommand('sdConsume', { numberOfKeys: 1, lua: CONSUME_LUA });
  }

  /** Resolves once connected (false after `timeoutMs`); until then limits are per process. */
  async ready(timeoutMs = 3_000): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  async consume(key: string, rule: RateRule, cost = 1): Promise<RateDecision> {
    // not connected: answer at once from this process's buckets instead of waiting on retries
    if (this.redis.status !== 'ready') return this.fallback.consumeNow(key, rule, cost);
    try {
      const r = (await (this.redis as Redis & { sdConsume(key: string, ...args: string[]): Promise<[number, number, number]> })
        .sdConsume(`${this.prefix}:rl:${key}`, String(rule.points), String(rule.perMs), String(cost)));
      return { allowed: r[0] === 1, retryAfterMs: Number(r[1]), remaining: Number(r[2]) };
    } catch (err) {
      this.warn(err as Error);
      return this.fallback.consumeNow(key, rule, cost);
    }
  }

  private warn(err: Error, url?: string): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    log.warn({ err: err.message, ...(url ? { url: redactUrl(url) } : {}) }, 'rate limiter cannot reach Redis; limiting per process until it is back');
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
