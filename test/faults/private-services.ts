import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Private Redis and PostgreSQL servers for the fault suite: their own ports and folders, so
 * killing or stopping them never touches the shared services on 6379/5432.
 */

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms`);
}

export class PrivateRedis {
  readonly url: string;
  private pid?: number;
  constructor(readonly dir: string, readonly port: number, private readonly aof: boolean) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  static async create(dir: string, opts: { aof: boolean }): Promise<PrivateRedis> {
    mkdirSync(dir, { recursive: true });
    const r = new PrivateRedis(dir, await freePort(), opts.aof);
    await r.start();
    return r;
  }

  async start(): Promise<void> {
    const args = ['--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--dir', this.dir, '--daemonize', 'no', '--logfile', join(this.dir, 'redis.log')];
    args.push(...(this.aof ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no']));
    const child = spawn('redis-server', args, { stdio: 'ignore', detached: true });
    child.unref();
    this.pid = child.pid;
    await waitFor(async () => this.ping(), 10_000, 'redis-server');
  }

  async ping(): Promise<boolean> {
    try {
      return execFileSync('redis-cli', ['-p', String(this.port), 'ping'], { encoding: 'utf8', timeout: 2_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'PONG';
    } catch {
      return false;
    }
  }

  /** kill -9: what a crash or an OOM kill does. */
  kill(): void {
    if (this.pid) process.kill(this.pid, 'SIGKILL');
    this.pid = undefined;
  }

  async stop(): Promise<void> {
    this.kill();
    await sleep(100);
  }
}

export class PrivatePostgres {
  readonly url: string;
  private readonly bin: string;
  constructor(readonly dir: string, readonly port: number) {
    const root = '/usr/lib/postgresql';
    const version = readdirSync(root).sort((a, b) => Number(a) - Number(b)).pop();
    this.bin = join(root, String(version), 'bin');
    this.url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  }

  static async create(dir: string): Promise<PrivatePostgres> {
    const p = new PrivatePostgres(join(dir, 'data'), await freePort());
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    if (!existsSync(p.dir)) {
      mkdirSync(p.dir);
      chownSync(p.dir, uidOf('postgres'), gidOf('postgres'));
      p.asPostgres(join(p.bin, 'initdb'), ['-D', p.dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    }
    await p.start();
    return p;
  }

  private asPostgres(cmd: string, args: string[]): void {
    const asRoot = process.getuid?.() === 0;
    execFileSync(asRoot ? 'runuser' : cmd, asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args, { stdio: 'ignore', timeout: 60_000 });
  }

  async start(): Promise<void> {
    const opts = `-c listen_addresses=127.0.0.1 -p ${this.port} -k ${this.dir} -c max_connections=200`;
    this.asPostgres(join(this.bin, 'pg_ctl'), ['-D', this.dir, '-w', '-l', join(this.dir, 'pg.log'), '-o', opts, 'start']);
    await waitFor(async () => {
      const c = new pg.Client({ connectionString: this.url });
      await c.connect();
      await c.end();
      return true;
    }, 20_000, 'PostgreSQL');
  }

  /** An outage: fast shutdown (connections are cut), as a restart or failover does. */
  stop(): void {
    this.asPostgres(join(this.bin, 'pg_ctl'), ['-D', this.dir, '-m', 'immediate', 'stop']);
  }

  async createDatabase(name: string): Promise<string> {
    const c = new pg.Client({ connectionString: this.url });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    return this.url.replace(/\/postgres$/, `/${name}`);
  }

  destroy(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function idOf(name: string, field: 2 | 3): number {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no user ${name}: install PostgreSQL (apt-get install postgresql)`);
  return Number(line.split(':')[field]);
}
const uidOf = (n: string): number => idOf(n, 2);
const gidOf = (n: string): number => idOf(n, 3);
