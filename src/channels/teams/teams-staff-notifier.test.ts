import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/app-error.js';
import { RecentActivityIds } from './teams-activity-handler.js';
import { toSendError } from './teams-staff-notifier.js';

const httpError = (statusCode: number, headers: Record<string, string> = {}) => Object.assign(new Error(`HTTP ${statusCode}`), { statusCode, response: { headers: { get: (n: string) => headers[n] } } });

describe('Teams connector failures', () => {
  it('retries throttling, outages and a stale token, honouring Retry-After', () => {
    expect(toSendError(httpError(429, { 'retry-after': '7' }))).toMatchObject({ code: 'CHANNEL_SEND_FAILED', retryable: true, details: { retryAfterMs: 7000 } });
    expect(toSendError(httpError(502))).toMatchObject({ retryable: true });
    expect(toSendError(httpError(401))).toMatchObject({ retryable: true });
    expect(toSendError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toMatchObject({ retryable: true, message: expect.stringContaining('ECONNREFUSED') });
  });

  it('does not retry what will not fix itself, and says what to check', () => {
    expect(toSendError(httpError(403))).toMatchObject({ retryable: false, message: expect.stringContaining('TEAMS_CHANNEL_ID') });
    expect(toSendError(httpError(413))).toMatchObject({ retryable: false });
    const own = new AppError('CHANNEL_SEND_FAILED', 'no token', { retryable: false });
    expect(toSendError(own)).toBe(own);
  });
});

describe('activity ids already handled', () => {
  it('takes an id once, again after a failure is forgotten, and again after the TTL', () => {
    const ids = new RecentActivityIds(1000);
    expect(ids.claim('a', 0)).toBe(true);
    expect(ids.claim('a', 10)).toBe(false);
    ids.forget('a');
    expect(ids.claim('a', 20)).toBe(true);
    expect(ids.claim('b', 30)).toBe(true);
    expect(ids.claim('a', 2000)).toBe(true);
  });
});
