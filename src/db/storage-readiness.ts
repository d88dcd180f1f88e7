import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { databaseOutage } from '../shared/database-outage.js';
import { sqlitePath, type Database } from './database-client.js';

export interface Check { ok: boolean; detail?: string }

const PROBE_KEY = 'readiness-probe';

/**
 * Whether shopdesk can store what it acknowledges: enough free space where it writes (DATA_DIR
 * and the SQLite file's folder), and a real write to the database (a full disk, a read-only
 * file or a PostgreSQL that refuses writes all fail it). Results are cached for a second so
 * probes cannot turn into load. Details name the condition, never paths or credentials.
 */
export function storageReadiness(opts: { database: Database; dataDir: string; minFreeBytes: number; cacheMs?: number }): () => Promise<Record<string, Check>> {
  const folders = [opts.dataDir];
  if (opts.database.provider === 'sqlite') {
    const path = sqlitePath(opts.database.displayUrl);
    if (path !== ':memory:') folders.push(dirname(path));
  }
  let cached: { at: number; checks: Promise<Record<string, Check>> } | undefined;

  const diskCheck = async (): Promise<Check> => {
    for (const folder of folders) {
      try {
        const s = await statfs(folder);
        const free = s.bavail * s.bsize;
        if (free < opts.minFreeBytes) return { ok: false, detail: `disk almost full: ${Math.floor(free / 1024 / 1024)} MiB free, ${Math.ceil(opts.minFreeBytes / 1024 / 1024)} MiB needed` };
      } catch {
        return { ok: false, detail: 'data folder not readable' };
      }
    }
    return { ok: true };
  };

  const writeCheck = async (): Promise<Check> => {
    try {
      const value = new Date().toISOString();
      await opts.database.db.setting.upsert({ where: { key: PROBE_KEY }, create: { key: PROBE_KEY, value }, update: { value } });
      return { ok: true };
    } catch (err) {
      const outage = databaseOutage(err);
      return { ok: false, detail: outage?.code === 'DB_FULL' ? 'database cannot write: disk full' : 'database cannot write' };
    }
  };

  return () => {
    if (!cached || Date.now() - cached.at > (opts.cacheMs ?? 1_000)) {
      cached = { at: Date.now(), checks: Promise.all([diskCheck(), writeCheck()]).then(([disk, write]) => ({ disk, databaseWrite: write })) };
    }
    return cached.checks;
  };
}
