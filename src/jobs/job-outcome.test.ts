import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/app-error.js';
import { backoffDelayMs, formatJobError, isRetryableJobError } from './job-outcome.js';

describe('job outcome rules', () => {
  it('doubles the backoff per failed attempt and keeps at least half of it under jitter', () => {
    expect([1, 2, 3].map((n) => backoffDelayMs(100, n, () => 1))).toEqual([100, 200, 400]);
    expect([1, 2, 3].map((n) => backoffDelayMs(100, n, () => 0))).toEqual([50, 100, 200]);
  });

  it('retries everything except an AppError marked non-retryable', () => {
    expect(isRetryableJobError(new Error('socket hang up'))).toBe(true);
    expect(isRetryableJobError(new AppError('LLM_FAILED', 'timeout', { retryable: true }))).toBe(true);
    expect(isRetryableJobError(new AppError('VALIDATION_FAILED', 'bad'))).toBe(false);
  });

  it('keeps the error code in the dead-letter text', () => {
    expect(formatJobError(new AppError('NOT_FOUND', 'no such thread'))).toBe('NOT_FOUND: no such thread');
    expect(formatJobError(new Error('boom'))).toBe('boom');
    expect(formatJobError('plain string')).toBe('plain string');
  });
});
