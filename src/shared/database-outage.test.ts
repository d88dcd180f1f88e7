import { describe, expect, it } from 'vitest';
import { AppError } from './app-error.js';
import { databaseOutage } from './database-outage.js';

// shapes as Prisma 7 with its driver adapters, pg and better-sqlite3 throw them (captured from a
// stopped PostgreSQL and a full tmpfs; test/faults reproduces both for real)
const prismaPgDown = Object.assign(new Error("Invalid invocation: Can't reach database server"), {
  name: 'PrismaClientKnownRequestError', code: 'P1001', meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'DatabaseNotReachable', host: '127.0.0.1' } } },
});
const sqliteFull = Object.assign(new Error('Invalid invocation'), {
  name: 'PrismaClientKnownRequestError', code: 'P2039', meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode: 'SQLITE_FULL', kind: 'sqlite', message: 'database or disk is full' } } },
});

describe('databaseOutage', () => {
  it('recognises a stopped PostgreSQL, a cut connection and a full SQLite disk', () => {
    expect(databaseOutage(prismaPgDown)?.code).toBe('DB_UNAVAILABLE');
    expect(databaseOutage(new Error('Connection terminated unexpectedly'))?.code).toBe('DB_UNAVAILABLE');
    expect(databaseOutage(sqliteFull)?.code).toBe('DB_FULL');
    expect(databaseOutage(Object.assign(new Error('x'), { code: '57P01' }))?.code).toBe('DB_UNAVAILABLE');
    expect(databaseOutage(prismaPgDown)?.retryable).toBe(true);
  });

  it('leaves bugs, bad data and other errors alone', () => {
    expect(databaseOutage(new Error('Cannot read properties of undefined'))).toBeUndefined();
    expect(databaseOutage(Object.assign(new Error('Unique constraint failed'), { code: 'P2002' }))).toBeUndefined();
    expect(databaseOutage(new AppError('VALIDATION_FAILED', 'bad'))).toBeUndefined();
    expect(databaseOutage(new AppError('DB_UNAVAILABLE', 'down'))?.code).toBe('DB_UNAVAILABLE');
  });
});
