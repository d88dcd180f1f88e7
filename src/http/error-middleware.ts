import type { ErrorRequestHandler } from 'express';
import { isAppError } from '../shared/app-error.js';
import { databaseOutage } from '../shared/database-outage.js';
import { logger } from '../shared/logger.js';

const log = logger('http');

/** The one place error codes become HTTP statuses. Bodies never carry stack traces. */
export const errorMiddleware: ErrorRequestHandler = (err, _req, res, _next) => {
  const e = err as { type?: string; status?: number; message?: string };
  // a database that is down, restarting or out of disk is a 503 the client may retry, on every path
  const outage = databaseOutage(err);
  if (outage) {
    log.warn({ code: outage.code }, 'request failed: database unavailable');
    res.setHeader('Retry-After', '5');
    res.status(503).json({ error: { code: outage.code, message: outage.userMessage ?? outage.message } });
    return;
  }
  if (isAppError(err)) {
    if (err.httpStatus >= 500) log.error({ code: err.code, err: err.message }, 'request failed');
    const retryAfterMs = err.details?.retryAfterMs;
    if (typeof retryAfterMs === 'number') res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    res.status(err.httpStatus).json({ error: { code: err.code, message: err.userMessage ?? err.message } });
    return;
  }
  // body-parser errors: malformed JSON, too large, bad charset
  if (e.type === 'entity.parse.failed') {
    res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON' } });
    return;
  }
  if (e.type === 'entity.too.large') {
    res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' } });
    return;
  }
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    res.status(415).json({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported body encoding' } });
    return;
  }
  log.error({ err: e.message }, 'unexpected error');
  res.status(500).json({ error: { code: 'INTERNAL', message: 'Internal error' } });
};
