import { describe, expect, it } from 'vitest';
import { signCustomerToken, verifyCustomerToken } from './customer-token.js';

const SECRET = 'test-secret-0123456789';
const NOW = new Date('2025-03-01T10:00:00Z');
const nowS = Math.floor(NOW.getTime() / 1000);
const exp = nowS + 3600;

describe('customer token', () => {
  it('verifies a token the shop signed: sub is the identity, verified contacts are verified facts', () => {
    const token = signCustomerToken({ sub: 'C-1', name: '张三', phone_number: '13800138000', phone_number_verified: true, email: 'z@example.com', email_verified: true, exp }, SECRET);
    expect(verifyCustomerToken(token, SECRET, NOW)).toEqual({
      ok: true, customer: { sub: 'C-1', displayName: '张三', verified: { customerRef: 'C-1', phone: '13800138000', email: 'z@example.com' }, expiresAt: exp * 1000 },
    });
  });

  it('keeps contact claims without their verified flag as asserted facts, never verified ones', () => {
    const token = signCustomerToken({ sub: 'NEW', email: 'alice@example.com', phone: '+14155550123', phone_verified: false, exp }, SECRET);
    const r = verifyCustomerToken(token, SECRET, NOW);
    expect(r.ok && r.customer.verified).toEqual({ customerRef: 'NEW' });
    expect(r.ok && r.customer.asserted).toEqual({ email: 'alice@example.com', phone: '+14155550123' });
  });

  it('accepts phone / phone_verified as the same claims as phone_number / phone_number_verified', () => {
    const token = signCustomerToken({ sub: 'C-1', phone: '13800138000', phone_verified: true, exp }, SECRET);
    const r = verifyCustomerToken(token, SECRET, NOW);
    expect(r.ok && r.customer.verified.phone).toBe('13800138000');
  });

  it('refuses a token valid for longer than the configured maximum lifetime', () => {
    const token = signCustomerToken({ sub: 'C-1', exp: nowS + 10 * 365 * 24 * 3600 }, SECRET);
    expect(verifyCustomerToken(token, SECRET, NOW)).toEqual({ ok: false, reason: 'lifetime_too_long' });
    expect(verifyCustomerToken(signCustomerToken({ sub: 'C-1', exp: nowS + 7200 }, SECRET), SECRET, NOW, 3600)).toEqual({ ok: false, reason: 'lifetime_too_long' });
    expect(verifyCustomerToken(signCustomerToken({ sub: 'C-1', exp: nowS + 3000 }, SECRET), SECRET, NOW, 3600).ok).toBe(true);
  });

  it('refuses a token issued in the future', () => {
    const token = signCustomerToken({ sub: 'C-1', iat: nowS + 3600, exp }, SECRET);
    expect(verifyCustomerToken(token, SECRET, NOW)).toEqual({ ok: false, reason: 'not_yet_valid' });
  });

  it('rejects a token whose payload was edited', () => {
    const token = signCustomerToken({ sub: 'C-1', exp }, SECRET);
    const forged = Buffer.from(JSON.stringify({ sub: 'C-2', exp })).toString('base64url');
    expect(verifyCustomerToken(`${forged}.${token.split('.')[1]}`, SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects an expired token and one signed with the wrong secret', () => {
    expect(verifyCustomerToken(signCustomerToken({ sub: 'C-1', exp: nowS - 1 }, SECRET), SECRET, NOW)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyCustomerToken(signCustomerToken({ sub: 'C-1', exp }, 'wrong-secret-wrong-secret'), SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('calls a token without a dot, with a non-JSON payload or without sub malformed', () => {
    expect(verifyCustomerToken('abc', SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
    const part = Buffer.from('not json').toString('base64url');
    const sig = signCustomerToken({ sub: 'x', exp }, SECRET).split('.')[1];
    expect(verifyCustomerToken(`${part}.${sig}`, SECRET, NOW).ok).toBe(false);
    expect(verifyCustomerToken(signCustomerToken({ sub: ' ', exp } as never, SECRET), SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });
});
