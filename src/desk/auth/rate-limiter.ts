/**
 * The rate limiter contract (design.md, contract 2), owned by the trust-web piece: until its
 * `src/shared/rate-limiter.ts` is on main the desk uses this in-process twin, and the composition
 * root hands the shared one in when it lands. One process only: with several web processes each
 * counts its own attempts (the Redis implementation in jobs/ fixes that).
 */
export interface RateRule { points: number; perMs: number }
export interface RateLimitResult { allowed: boolean; retryAfterMs: number; remaining: number }
export interface RateLimiter {
  /** Spends `cost` (default 1) points of `key`; cost 0 only asks. */
  consume(key: string, rule: RateRule, cost?: number): Promise<RateLimitResult>;
}

/** Sliding log per key, pruned as it goes; bounded by the keys seen in one window. */
export class InProcessRateLimiter implements RateLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly now: () => number = Date.now) {}

  async consume(key: string, rule: RateRule, cost = 1): Promise<RateLimitResult> {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - rule.perMs);
    const allowed = recent.length + cost <= rule.points;
    if (allowed) for (let i = 0; i < cost; i++) recent.push(now);
    if (recent.length) this.hits.set(key, recent);
    else this.hits.delete(key);
    if (this.hits.size > 50_000) this.prune(now, rule.perMs);
    const full = recent.length >= rule.points;
    return { allowed, remaining: Math.max(0, rule.points - recent.length), retryAfterMs: allowed && !full ? 0 : Math.max(0, recent[0] + rule.perMs - now) };
  }

  private prune(now: number, perMs: number): void {
    for (const [k, v] of this.hits) if (!v.some((t) => t > now - perMs)) this.hits.delete(k);
  }
}
