import { describe, expect, it } from 'vitest';
import { readCookie, signCustomerToken, verifyCustomerToken, VisitorIdentity } from './visitor-identity.js';

const SECRET = 'test-secret-0123456789';
const NOW = new Date('2025-03-01T10:00:00Z');
const exp = Math.floor(NOW.getTime() / 1000) + 3600;

describe('VisitorIdentity', () => {
  it('accepts a cookie it signed and returns the visitor id', () => {
    const ids = new VisitorIdentity(SECRET);
    const { visitorId, cookieValue } = ids.newVisitor();
    expect(ids.verify(cookieValue)).toBe(visitorId);
  });

  it('rejects a cookie whose visitor id was changed', () => {
    const ids = new VisitorIdentity(SECRET);
    const { cookieValue } = ids.newVisitor();
    const [, sig] = cookieValue.split('.');
    expect(ids.verify(`v_00000000-0000-0000-0000-000000000000.${sig}`)).toBeUndefined();
  });

  it('rejects a cookie signed with another secret, and garbage', () => {
    const other = new VisitorIdentity('another-secret-abcdefgh').newVisitor().cookieValue;
    const ids = new VisitorIdentity(SECRET);
    expect(ids.verify(other)).toBeUndefined();
    expect(ids.verify('nodot')).toBeUndefined();
    expect(ids.verify('')).toBeUndefined();
    expect(ids.verify(undefined)).toBeUndefined();
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; sd_vid=v_x.y; b=2', 'sd_vid')).toBe('v_x.y');
    expect(readCookie('a=1', 'sd_vid')).toBeUndefined();
  });
});

describe('customer token', () => {
  it('verifies a token the shop signed and returns its facts', () => {
    const token = signCustomerToken({ sub: 'C-1', phone: '13800138000', exp }, SECRET);
    expect(verifyCustomerToken(token, SECRET, NOW)).toEqual({ ok: true, customer: { sub: 'C-1', phone: '13800138000', exp } });
  });

  it('rejects a token whose payload was edited', () => {
    const token = signCustomerToken({ sub: 'C-1', phone: '13800138000', exp }, SECRET);
    const forged = Buffer.from(JSON.stringify({ sub: 'C-2', phone: '13900000000', exp })).toString('base64url');
    expect(verifyCustomerToken(`${forged}.${token.split('.')[1]}`, SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects an expired token', () => {
    const token = signCustomerToken({ sub: 'C-1', exp: Math.floor(NOW.getTime() / 1000) - 1 }, SECRET);
    expect(verifyCustomerToken(token, SECRET, NOW)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects a token signed with the wrong secret', () => {
    const token = signCustomerToken({ sub: 'C-1', exp }, 'wrong-secret-wrong-secret');
    expect(verifyCustomerToken(token, SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('calls a token without a dot or with a non-JSON payload malformed', () => {
    expect(verifyCustomerToken('abc', SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
    const part = Buffer.from('not json').toString('base64url');
    const sig = signCustomerToken({ sub: 'x', exp }, SECRET).split('.')[1];
    expect(verifyCustomerToken(`${part}.${sig}`, SECRET, NOW).ok).toBe(false);
  });
});
