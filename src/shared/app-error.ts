/**
 * The one error type of shopdesk. Adapters wrap vendor errors in it; `code` maps to an HTTP
 * status in src/http/error-middleware.ts and to retry/fail in the queue worker.
 * Expected outcomes ("order not found") are values, not AppErrors.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: 500,
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** An image whose width × height is over the media store's limits (the file itself may be small). */
  IMAGE_TOO_LARGE: 413,
  /** A rate limit or quota; `details.retryAfterMs` says when to try again (sent as Retry-After). */
  RATE_LIMITED: 429,
  ILLEGAL_TRANSITION: 409,
  DB_UNAVAILABLE: 503,
  DB_LOCKED: 503,
  DB_READ_ONLY: 503,
  DB_FULL: 503,
  MIGRATION_FAILED: 500,
  QUEUE_UNAVAILABLE: 503,
  LEASE_LOST: 409,
  CHANNEL_SEND_FAILED: 502,
  /** A platform callback whose signature does not match (or that was not meant for us). */
  CALLBACK_FORGED: 401,
  /** A signed callback whose timestamp is outside the accepted window. */
  CALLBACK_STALE: 401,
  /** A signed callback whose nonce was already seen (a replay, or the platform's own retry). */
  CALLBACK_REPLAYED: 409,
  /** A signed callback whose encrypted payload does not decrypt or parse. */
  CALLBACK_CORRUPTED: 400,
  LLM_FAILED: 502,
  IMPORT_FAILED: 422,
  /** The customer's channel cannot carry a message any more (not connected, request/response only, erased). */
  CHANNEL_GONE: 410,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  /** Safe to show to an end user (customer or operator); never contains secrets. */
  readonly userMessage?: string;
  readonly details?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { retryable?: boolean; userMessage?: string; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.userMessage = opts.userMessage;
    this.details = opts.details;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code];
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Wraps anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(err: unknown, code: ErrorCode = 'INTERNAL', retryable = false): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new AppError(code, message, { cause: err, retryable });
}
