import { AppError, isAppError } from './app-error.js';

/**
 * Recognises an error that means "the database cannot be used right now" (server down or
 * restarting, connections cut, pool exhausted, disk full, file locked) as opposed to a bug or
 * bad data. Such an error is retried and never counts against a message; over HTTP it is a 503
 * with a clear message. It reads only the error's shape (codes of Prisma, its driver adapters,
 * pg, SQLite and Node), so any layer can use it without importing a database client.
 */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'DatabaseDoesNotExist', 'DatabaseAccessDenied']);
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOSPC']);
// PostgreSQL SQLSTATEs: admin shutdown, crash shutdown, cannot connect now, connection failures, disk full, too many connections
const PG_STATES = /^(57P0[123]|08\d{3}|53100|53300)$/;
const SQLITE_UNAVAILABLE = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN)/;
const MESSAGES = /Connection terminated|Can't reach database server|database or disk is full|disk I\/O error|timeout exceeded when trying to connect|Server has closed the connection|the database system is (shutting down|starting up)|terminating connection due to administrator command/i;
const FULL = /^(SQLITE_FULL|SQLITE_IOERR|53100|ENOSPC)|database or disk is full|No space left/i;

const OUTAGE_CODES = new Set(['DB_UNAVAILABLE', 'DB_LOCKED', 'DB_READ_ONLY', 'DB_FULL']);

interface Shape { code?: unknown; kind?: unknown; originalCode?: unknown; message?: unknown; meta?: { driverAdapterError?: unknown }; cause?: unknown }

/** Every code, kind and message along the error's cause chain and Prisma's adapter metadata. */
function signals(err: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): void => {
    if (!e || typeof e !== 'object' || seen.has(e) || depth > 6) return;
    seen.add(e);
    const s = e as Shape;
    for (const v of [s.code, s.kind, s.originalCode, s.message]) if (typeof v === 'string') out.push(v);
    visit(s.meta?.driverAdapterError, depth + 1);
    visit(s.cause, depth + 1);
  };
  visit(err, 0);
  return out;
}

/** The outage as an AppError (DB_FULL or DB_UNAVAILABLE, retryable), or undefined for any other error. */
export function databaseOutage(err: unknown): AppError | undefined {
  if (isAppError(err)) return OUTAGE_CODES.has(err.code) ? err : undefined;
  const found = signals(err);
  const outage = found.some((v) => PRISMA_CODES.has(v) || ADAPTER_KINDS.has(v) || NODE_CODES.has(v) || PG_STATES.test(v) || SQLITE_UNAVAILABLE.test(v) || MESSAGES.test(v));
  if (!outage) return undefined;
  const full = found.some((v) => FULL.test(v));
  return full
    ? new AppError('DB_FULL', 'The database cannot write: its disk is full', { retryable: true, cause: err, userMessage: 'The service is temporarily unable to save data (storage full). Please try again shortly.' })
    : new AppError('DB_UNAVAILABLE', 'The database is unreachable', { retryable: true, cause: err, userMessage: 'The service is temporarily unavailable (database). Please try again shortly.' });
}
