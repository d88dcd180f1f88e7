/**
 * mulberry32: a tiny, fast seeded PRNG returning floats in [0, 1). Deterministic output for a
 * seed is what the demo-shop generator and the NLU trainer both need (same seed, same result).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
