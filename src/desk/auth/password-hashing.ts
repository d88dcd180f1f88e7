import { createHash, randomBytes, randomInt, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../../shared/app-error.js';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));

/** scrypt cost: about 50–100 ms on a small server, 32 MiB of memory per hash. */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const MAX_MEM = 64 * 1024 * 1024;

/** `scrypt$N$r$p$salt$hash` (base64url), so the cost can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...PARAMS, maxmem: MAX_MEM });
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = stored?.split('$') ?? [];
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    // same work as a real check, so an unknown name takes as long as a wrong password
    await scrypt(password, Buffer.alloc(16), KEY_LENGTH, { ...PARAMS, maxmem: MAX_MEM });
    return false;
  }
  const [, n, r, p, salt, hash] = parts;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: MAX_MEM });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** What a new password must be: long enough, and not the sign-in name. */
export function checkNewPassword(password: string, loginName: string | null): void {
  if ([...password].length < 10) throw new AppError('VALIDATION_FAILED', 'The password is too short', { userMessage: 'Use at least 10 characters / 密码至少 10 个字符' });
  if ([...password].length > 200) throw new AppError('VALIDATION_FAILED', 'The password is too long', { userMessage: 'Use at most 200 characters / 密码最多 200 个字符' });
  if (loginName && password.trim().toLowerCase() === loginName.toLowerCase()) {
    throw new AppError('VALIDATION_FAILED', 'The password equals the sign-in name', { userMessage: 'The password cannot be your sign-in name / 密码不能与登录名相同' });
  }
}

// no 0/o, 1/l/i: read aloud or copied from a terminal without mistakes
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A one-time password like `k7vq-2mrx-9hfp-3wzt` (about 79 bits). */
export function oneTimePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) groups.push(Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''));
  return groups.join('-');
}

/** A random secret for cookies, CSRF and API tokens. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Sessions and tokens are looked up by this hash; the secret itself is never stored. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** Compares two strings in constant time (of their hashes). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
