import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import type { ChannelLease, ChannelStateStore } from '../../shared/channel-lifecycle.js';

/** errcodes meaning "this access token is no good": invalid (40014), expired (42001), bad credential (40001). */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);

export interface FetchedToken {
  token: string;
  /** `expires_in` as the platform said it (7200 s). */
  expiresInSec: number;
}

export interface AccessTokenCacheOptions {
  state: ChannelStateStore;
  /** The state key, e.g. `token:<corpid>` — one per credential. */
  key: string;
  /** Asks the platform for a new token (gettoken / cgi-bin/token); injected so tests use the stub. */
  fetch: () => Promise<FetchedToken>;
  tryLease: (name: string, ttlMs: number) => Promise<ChannelLease | null>;
  clock?: () => number;
  /** Refresh this long before the platform's expiry (default 5 minutes). */
  earlyMs?: number;
  /** How long the refresher may hold the lease (default 10 s). */
  leaseTtlMs?: number;
  /** How long a process waits for another's refresh before giving up for now (default 5 s). */
  waitMs?: number;
}

const Stored = z.object({ token: z.string().min(1), expiresAt: z.number(), refreshedAt: z.number() });
type Stored = z.infer<typeof Stored>;

function parse(raw: string | undefined): Stored | undefined {
  if (raw === undefined) return undefined;
  try {
    const r = Stored.safeParse(JSON.parse(raw));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An access token shared by every process through the ChannelStateStore. WeChat counts
 * gettoken calls per day and a new token retires the old one after a grace period, so the
 * cluster refreshes ONCE: the refresher holds the lease `<key>:refresh` and writes the new token
 * with a compare-and-set against the value it replaced; the others wait for that value to change
 * (or keep using a token that is only near its expiry). Refreshes happen `earlyMs` before expiry,
 * and at once when a call reports 40014/42001/40001 (`invalidate`).
 */
export class AccessTokenCache {
  private readonly clock: () => number;
  private readonly earlyMs: number;
  private readonly leaseTtlMs: number;
  private readonly waitMs: number;
  private memo?: Stored;
  private inflight?: Promise<string>;
  /** Platform token fetches made by this process (health counter). */
  refreshes = 0;

  constructor(private readonly o: AccessTokenCacheOptions) {
    this.clock = o.clock ?? Date.now;
    this.earlyMs = o.earlyMs ?? 5 * 60_000;
    this.leaseTtlMs = o.leaseTtlMs ?? 10_000;
    this.waitMs = o.waitMs ?? 5_000;
  }

  /** A usable token: from memory, else the shared store, else a refresh. */
  async get(): Promise<string> {
    const now = this.clock();
    if (this.memo && this.memo.expiresAt - this.earlyMs > now) return this.memo.token;
    const raw = await this.o.state.get(this.o.key);
    const stored = parse(raw);
    if (stored && stored.expiresAt - this.earlyMs > now) {
      this.memo = stored;
      return stored.token;
    }
    return this.refresh(raw, stored && stored.expiresAt > now ? stored : undefined);
  }

  /**
   * A call said `badToken` is no good: refresh, unless another process already replaced it in
   * the store (then its token is used).
   */
  async invalidate(badToken: string): Promise<string> {
    if (this.memo?.token === badToken) this.memo = undefined;
    const raw = await this.o.state.get(this.o.key);
    const stored = parse(raw);
    if (stored && stored.token !== badToken && stored.expiresAt > this.clock()) {
      this.memo = stored;
      return stored.token;
    }
    return this.refresh(raw, undefined);
  }

  /**
   * Runs `call` with a token; when it reports a token errcode, refreshes once and runs it again.
   * `errcodeOf` reads the platform's errcode from the call's result.
   */
  async withToken<T>(call: (token: string) => Promise<T>, errcodeOf: (result: T) => number | undefined): Promise<T> {
    const token = await this.get();
    const first = await call(token);
    const code = errcodeOf(first);
    if (code === undefined || !TOKEN_ERRCODES.has(code)) return first;
    return call(await this.invalidate(token));
  }

  /** `usable`: a token still valid (only near expiry), used if another process is refreshing. */
  private refresh(seenRaw: string | undefined, usable: Stored | undefined): Promise<string> {
    // one refresh per process at a time; the lease makes it one per cluster
    this.inflight ??= this.refreshShared(seenRaw, usable).finally(() => { this.inflight = undefined; });
    return this.inflight;
  }

  private async refreshShared(seenRaw: string | undefined, usable: Stored | undefined): Promise<string> {
    const lease = await this.o.tryLease(`${this.o.key}:refresh`, this.leaseTtlMs);
    if (!lease) {
      if (usable) return usable.token;
      return this.waitForOther(seenRaw);
    }
    try {
      // someone may have refreshed between our read and the lease
      const raw = await this.o.state.get(this.o.key);
      if (raw !== seenRaw) {
        const fresh = parse(raw);
        if (fresh && fresh.expiresAt - this.earlyMs > this.clock()) return this.remember(fresh);
      }
      const got = await this.o.fetch();
      this.refreshes++;
      const now = this.clock();
      const next: Stored = { token: got.token, expiresAt: now + got.expiresInSec * 1000, refreshedAt: now };
      if (lease.lost || !(await this.o.state.compareAndSet(this.o.key, raw, JSON.stringify(next)))) {
        // our lease ran out and another process stored its token: theirs is the one in force
        const theirs = parse(await this.o.state.get(this.o.key));
        if (theirs) return this.remember(theirs);
      }
      return this.remember(next);
    } finally {
      await lease.release().catch(() => undefined);
    }
  }

  private async waitForOther(seenRaw: string | undefined): Promise<string> {
    const deadline = this.clock() + this.waitMs;
    for (let pause = 25; this.clock() < deadline; pause = Math.min(pause * 2, 250)) {
      await new Promise((r) => setTimeout(r, pause));
      const raw = await this.o.state.get(this.o.key);
      const stored = raw !== seenRaw ? parse(raw) : undefined;
      if (stored && stored.expiresAt > this.clock()) return this.remember(stored);
    }
    throw new AppError('CHANNEL_SEND_FAILED', 'access token refresh by another process did not finish in time', { retryable: true });
  }

  private remember(s: Stored): string {
    this.memo = s;
    return s.token;
  }
}
