import { isAppError } from '../shared/app-error.js';

/** Share of the backoff delay that is randomised, so retries of many jobs do not arrive together. */
export const BACKOFF_JITTER = 0.5;

/** How long a completed job id keeps deduplicating re-adds (matches BullMQ's removeOnComplete). */
export const COMPLETED_DEDUPE_MS = 3_600_000;
export const COMPLETED_DEDUPE_COUNT = 10_000;

/** Only an AppError that says retryable=false skips the remaining attempts. */
export function isRetryableJobError(err: unknown): boolean {
  return !(isAppError(err) && !err.retryable);
}

/** The error text kept in the dead-letter list: `CODE: message` for AppErrors. */
export function formatJobError(err: unknown): string {
  if (isAppError(err)) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Exponential backoff with jitter, the same formula BullMQ uses for `{ type: 'exponential', jitter }`. */
export function backoffDelayMs(baseMs: number, failedAttempts: number, random: () => number = Math.random): number {
  const max = baseMs * 2 ** Math.max(0, failedAttempts - 1);
  const min = max * (1 - BACKOFF_JITTER);
  return Math.floor(min + random() * max * BACKOFF_JITTER);
}
