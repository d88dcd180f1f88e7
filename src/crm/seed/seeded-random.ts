import { mulberry32 } from '../../shared/mulberry32.js';

/** A small seeded PRNG (mulberry32) with the sampling helpers the seeder needs: same seed, same data. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
}

export { mulberry32 };

/** Mixes several integers into one 32-bit seed, so each customer/order gets its own stream. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (items, weights) => {
      let total = 0;
      for (const w of weights) total += w;
      let r = next() * total;
      for (let i = 0; i < items.length; i++) {
        r -= weights[i];
        if (r < 0) return items[i];
      }
      return items[items.length - 1];
    },
  };
  return rng;
}

/** A stream of its own for one entity (customer i, order i…), independent of generation order. */
export function rngFor(seed: number, stream: number, index: number): Rng {
  return createRng(mixSeed(seed, stream, index));
}

/** Random digits of a fixed length (leading zeros allowed). */
export function digits(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String(Math.floor(rng.next() * 10));
  return s;
}
