import { timingSafeEqual } from 'node:crypto';

/** Two hex digests (a stored code hash and a fresh one) compared in constant time. */
export function sameHexDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
