import { describe, expect, it } from 'vitest';
import { cookiePathsCovering, readCookie, readCookies, VisitorIdentity } from './visitor-identity.js';

const SECRET = 'test-secret-0123456789';

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

  it('reads every value of a cookie sent once per path, narrower paths first', () => {
    expect(readCookies('sd_vid=planted; a=1; sd_vid=own', 'sd_vid')).toEqual(['planted', 'own']);
    expect(readCookies('__Host-sd_vid=x', 'sd_vid')).toEqual([]);
  });

  it('lists every path a cookie sent to a request may have been set for', () => {
    expect(cookiePathsCovering('/api/webchat/session')).toEqual(['/', '/api', '/api/', '/api/webchat', '/api/webchat/', '/api/webchat/session', '/api/webchat/session/']);
  });
});

