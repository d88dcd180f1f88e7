import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PrivatePostgres, PrivateRedis } from './private-services.js';
import { sleep } from './private-services.js';
import type { ShopdeskProcess } from './shopdesk-process.js';

/** What a fault can touch: the processes of the code under test and their private services. */
export interface Cluster {
  /** The process the customers' browsers talk to (the all-in-one process, or the web process). */
  web: ShopdeskProcess;
  workers: ShopdeskProcess[];
  redis?: PrivateRedis;
  pg?: PrivatePostgres;
  dataDir: string;
}

export interface Scenario {
  name: string;
  /** all-in-one: SQLite + in-process queue in one process; split: ROLE=web + 2 × ROLE=worker on PostgreSQL + Redis. */
  topology: 'all-in-one' | 'split';
  redisAof?: boolean;
  /** DATA_DIR (and the SQLite file) on a tmpfs of this many MiB, to fill it. */
  tmpfsMb?: number;
  /**
   * When the fault strikes: mid-burst (1.5 s in: clients must resend what was not acknowledged)
   * or once every message is acknowledged, with the backlog still being answered (a later message
   * of a thread can no longer rescue an earlier one whose job was lost).
   */
  at: 'mid-burst' | 'all-acknowledged';
  /** Runs while the customers write; `notes` end up in the run's JSON line. */
  fault(c: Cluster, notes: Record<string, unknown>): Promise<void>;
  /** A run without a fault, to compare against (only with --control). */
  control?: boolean;
}

async function waitForStatus(p: ShopdeskProcess, status: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < deadline) {
    last = await p.readyz();
    if (last === status) return last;
    await sleep(250);
  }
  return last;
}

export const SCENARIOS: Scenario[] = [
  { name: 'control: split roles, no fault', topology: 'split', at: 'mid-burst', control: true, fault: async () => undefined },
  { name: 'control: all-in-one, no fault', topology: 'all-in-one', at: 'mid-burst', control: true, fault: async () => undefined },
  {
    name: 'all-in-one kill -9',
    at: 'mid-burst',
    topology: 'all-in-one',
    async fault(c) {
      await c.web.kill();
      await sleep(500); // a supervisor restarts it
      await c.web.start();
    },
  },
  {
    name: 'one worker kill -9',
    at: 'mid-burst',
    topology: 'split',
    async fault(c) {
      await c.workers[0].kill();
      await sleep(1_000);
      await c.workers[0].start();
    },
  },
  {
    name: 'all workers kill -9',
    at: 'mid-burst',
    topology: 'split',
    async fault(c) {
      await Promise.all(c.workers.map((w) => w.kill()));
      await sleep(2_000);
      await Promise.all(c.workers.map((w) => w.start()));
    },
  },
  {
    name: 'redis kill -9, no persistence',
    at: 'all-acknowledged',
    topology: 'split',
    async fault(c) {
      c.redis!.kill();
      await sleep(1_000);
      await c.redis!.start(); // empty: every job, lock and group list is gone
    },
  },
  {
    name: 'redis kill -9, AOF',
    at: 'all-acknowledged',
    topology: 'split',
    redisAof: true,
    async fault(c) {
      c.redis!.kill();
      await sleep(1_000);
      await c.redis!.start(); // reloads the append-only file (up to a second of writes lost)
    },
  },
  {
    name: 'postgres stopped 7 s',
    at: 'mid-burst',
    topology: 'split',
    async fault(c, notes) {
      c.pg!.stop();
      await sleep(3_000);
      notes.readyzWhileDown = await c.web.readyz();
      await sleep(4_000);
      await c.pg!.start();
      notes.readyzAfter = await waitForStatus(c.web, 200, 10_000);
    },
  },
  {
    name: 'postgres stopped 20 s',
    at: 'mid-burst',
    topology: 'split',
    async fault(c) {
      c.pg!.stop();
      await sleep(20_000);
      await c.pg!.start();
    },
  },
  {
    name: 'data disk full',
    at: 'mid-burst',
    topology: 'all-in-one',
    tmpfsMb: 64,
    async fault(c, notes) {
      const fill = join(c.dataDir, 'fill.bin');
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${fill}`, 'bs=1M', 'count=1024'], { stdio: 'ignore' });
      } catch {
        // dd stops at "No space left on device": that is the point
      }
      notes.readyzWhileFull = await waitForStatus(c.web, 503, 5_000);
      await sleep(6_000);
      rmSync(fill, { force: true });
      notes.readyzAfter = await waitForStatus(c.web, 200, 10_000);
    },
  },
];
