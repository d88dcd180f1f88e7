import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'src', 'cli', 'shopdesk-cli.ts');
const dir = mkdtempSync(join(tmpdir(), 'shopdesk-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function shopdesk(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = promisify(execFile);
  try {
    const r = await run(TSX, [CLI, ...args], { cwd: dir, env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function noStackTrace(text: string) {
  expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
}

describe('the CLI on bad input', () => {
  it('names the bad variable of a malformed environment and exits non-zero', async () => {
    const r = await shopdesk(['db', 'migrate'], { PORT: 'not-a-port', DATABASE_URL: 'mysql://nope' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('PORT');
    expect(r.stderr).toContain('DATABASE_URL');
    noStackTrace(r.stderr);
  });

  it('says so when PostgreSQL is down', async () => {
    const r = await shopdesk(['db', 'migrate'], { DATABASE_URL: 'postgresql://postgres:secret@127.0.0.1:1/shop' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/PostgreSQL at postgresql:\/\/\*\*\*@127\.0\.0\.1:1\/shop is not reachable/);
    expect(r.stderr).not.toContain('secret');
    noStackTrace(r.stderr);
  });

  it('says so when the database file is locked by another process', async () => {
    const file = join(dir, 'locked.db');
    const holder = new BetterSqlite3(file);
    holder.pragma('journal_mode = WAL');
    holder.exec('CREATE TABLE t (x INTEGER); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);');
    try {
      const r = await shopdesk(['db', 'migrate'], { DATABASE_URL: `file:${file}` });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('is locked by another process');
      noStackTrace(r.stderr);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('says so when the database file cannot be written', async () => {
    if (process.getuid?.() === 0) {
      // root ignores file permissions; a read-only file system is simulated by a path under a file
      writeFileSync(join(dir, 'not-a-dir'), 'x');
      const r = await shopdesk(['db', 'migrate'], { DATABASE_URL: `file:${join(dir, 'not-a-dir', 'shop.db')}` });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/Cannot create the database folder|cannot be written/);
      noStackTrace(r.stderr);
      return;
    }
    const file = join(dir, 'readonly.db');
    new BetterSqlite3(file).close();
    chmodSync(file, 0o444);
    const r = await shopdesk(['db', 'migrate'], { DATABASE_URL: `file:${file}` });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('cannot be written');
    noStackTrace(r.stderr);
  });

  it('prints help for every command', async () => {
    const r = await shopdesk(['--help'], {});
    expect(r.code).toBe(0);
    for (const cmd of ['start', 'db', 'seed', 'import', 'segments', 'analytics', 'nlu', 'kb', 'chat']) expect(r.stdout).toContain(cmd);
    const sub = await shopdesk(['import', '--help'], {});
    expect(sub.stdout).toMatch(/"customers", "products", "orders"/);
  });
});
