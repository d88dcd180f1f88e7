import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import type { ChannelStateStore } from '../../shared/channel-lifecycle.js';

/**
 * Remembers callback nonces for as long as their timestamp is acceptable, so a captured
 * callback replayed inside the window is refused. `claim` is true the first time a key is seen.
 * `atMs` is the callback's own timestamp: only callbacks within the window ever get here.
 */
export interface NonceStore {
  claim(key: string, atMs: number, ttlMs: number): Promise<boolean>;
}

/** In one process: a map with expiry (tests, a single-process shop). */
export class InProcessNonceStore implements NonceStore {
  private readonly seen = new Map<string, number>();
  private lastPrune = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  async claim(key: string, _atMs: number, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    if (now - this.lastPrune > ttlMs) {
      for (const [k, until] of this.seen) if (until <= now) this.seen.delete(k);
      this.lastPrune = now;
    }
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return false;
    this.seen.set(key, now + ttlMs);
    return true;
  }
}

const Slot = z.object({ bucket: z.number(), keys: z.array(z.string()) });
const SHARDS = 16;
const SLOTS = 3;
const MAX_CAS_TRIES = 20;

/**
 * On the shared ChannelStateStore (every process of the cluster sees every nonce). The store has
 * no expiry, so nonces live in a fixed ring of rows: time is cut into buckets of `ttlMs` by the
 * callback's timestamp, bucket b uses slot b mod 3 (with accepted timestamps within ±ttl/2 of
 * now, at most two buckets are live and the third slot is the one being recycled), and each slot
 * is split into 16 shards by a hash of the key, so rows stay small and writers rarely collide.
 * Each claim is a compare-and-set, retried when another process wrote the row first.
 */
export class StateNonceStore implements NonceStore {
  constructor(private readonly state: ChannelStateStore, private readonly prefix = 'nonce') {}

  async claim(key: string, atMs: number, ttlMs: number): Promise<boolean> {
    const bucket = Math.floor(atMs / ttlMs);
    const shard = createHash('sha1').update(key).digest().readUInt16BE(0) % SHARDS;
    const row = `${this.prefix}:${((bucket % SLOTS) + SLOTS) % SLOTS}:${shard}`;
    for (let i = 0; i < MAX_CAS_TRIES; i++) {
      const raw = await this.state.get(row);
      const parsed = raw === undefined ? undefined : Slot.safeParse(safeJson(raw));
      const slot = parsed?.success && parsed.data.bucket === bucket ? parsed.data : { bucket, keys: [] };
      if (parsed?.success && parsed.data.bucket > bucket) {
        // the slot already moved on past this bucket: its timestamp cannot be fresh any more
        return false;
      }
      if (slot.keys.includes(key)) return false;
      if (await this.state.compareAndSet(row, raw, JSON.stringify({ bucket, keys: [...slot.keys, key] }))) return true;
    }
    throw new AppError('CONFLICT', 'nonce store busy (too many concurrent writers)', { retryable: true });
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
