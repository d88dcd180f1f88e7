/**
 * The one rate limiter of shopdesk (design contract 2). Every limit — web chat messages, sockets
 * and uploads, REST senders, staff logins, platform webhooks — is a token bucket under a key:
 * `rule.points` is the burst, refilled evenly over `rule.perMs`. One key must always be used with
 * the same rule (put the rule's purpose in the key: `webchat:msg:visitor:<id>`).
 *
 * Key by who acts, never by a shared address when many legitimate people share it: platform
 * webhooks and the shop's own backend are keyed by sender (`senderKey`), and per-IP rules are
 * generous ceilings (a carrier NAT carries many customers), with the tight limits per visitor.
 *
 * Two implementations: `InProcessRateLimiter` here (one process) and `RedisRateLimiter` in
 * src/jobs/ (shared by every process on one Redis, used when REDIS_URL is set).
 */
export interface RateRule {
  /** Bucket size: how many points may be spent at once. */
  points: number;
  /** Time for an empty bucket to fill up again. */
  perMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** When not allowed: how long until `cost` points are available again (0 when allowed). */
  retryAfterMs: number;
  /** Whole points left after this call. */
  remaining: number;
}

export interface RateLimiter {
  /** Spends `cost` (default 1) points of `key`'s bucket if it has them; nothing is spent otherwise. */
  consume(key: string, rule: RateRule, cost?: number): Promise<RateDecision>;
  close?(): Promise<void>;
}

/** The key for a webhook or backend caller: per platform sender, never per IP. */
export function senderKey(scope: string, channel: string, senderId: string): string {
  return `${scope}:${channel}:sender:${senderId}`;
}

/** The token-bucket arithmetic both implementations share (the Redis one runs it in Lua). */
export function takeFromBucket(state: { tokens: number; at: number } | undefined, rule: RateRule, cost: number, now: number): { state: { tokens: number; at: number }; decision: RateDecision } {
  const rate = rule.points / rule.perMs;
  const prior = state ?? { tokens: rule.points, at: now };
  const tokens = Math.min(rule.points, prior.tokens + Math.max(0, now - prior.at) * rate);
  if (tokens >= cost) {
    const left = tokens - cost;
    return { state: { tokens: left, at: now }, decision: { allowed: true, retryAfterMs: 0, remaining: Math.floor(left) } };
  }
  // a cost above the bucket size can never be paid: say so with the whole refill time
  const retryAfterMs = cost > rule.points ? rule.perMs : Math.ceil((cost - tokens) / rate);
  return { state: { tokens, at: now }, decision: { allowed: false, retryAfterMs, remaining: Math.floor(tokens) } };
}

/**
 * The single-process twin: the same buckets in a Map. Full buckets are forgotten on a sweep, so
 * memory follows the number of recently active keys.
 */
export class InProcessRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number; perMs: number }>();
  private calls = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  async consume(key: string, rule: RateRule, cost = 1): Promise<RateDecision> {
    return this.consumeNow(key, rule, cost);
  }

  /** Synchronous form, for hot paths in one process (a socket's own frames). */
  consumeNow(key: string, rule: RateRule, cost = 1): RateDecision {
    const now = this.clock();
    if (++this.calls % 1000 === 0) this.sweep(now);
    const { state, decision } = takeFromBucket(this.buckets.get(key), rule, cost, now);
    this.buckets.set(key, { ...state, perMs: rule.perMs });
    return decision;
  }

  private sweep(now: number): void {
    for (const [key, b] of this.buckets) if (now - b.at >= b.perMs) this.buckets.delete(key);
  }
}
