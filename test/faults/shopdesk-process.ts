import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './private-services.js';

/** One `shopdesk start` process of the code under test, killable with SIGKILL like a crash. */
export class ShopdeskProcess {
  private child?: ChildProcess;
  exited = false;

  constructor(
    private readonly root: string,
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logDir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process (no tsx wrapper process: the pid is the real server) and waits until it serves. */
  async start(timeoutMs = 60_000): Promise<void> {
    const log = createWriteStream(join(this.logDir, `${this.name}.log`), { flags: 'a' });
    const role = this.env.ROLE ?? 'all';
    const child = spawn(process.execPath, ['--import', 'tsx', join(this.root, 'src/cli/shopdesk-cli.ts'), 'start', '--role', role], {
      cwd: this.root,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1', DOTENV_CONFIG_QUIET: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.exited = false;
    child.once('exit', () => { this.exited = true; });
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`${this.name} exited during start-up (see ${join(this.logDir, `${this.name}.log`)})`);
      const ok = await fetch(`${this.url}/healthz`).then((r) => r.ok, () => false);
      if (ok) return;
      await sleep(100);
    }
    throw new Error(`${this.name} did not start within ${timeoutMs} ms`);
  }

  /** kill -9, then wait for the process to be gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || this.exited) return;
    child.kill('SIGKILL');
    while (!this.exited) await sleep(20);
  }

  /** A clean stop (SIGTERM), bounded. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || this.exited) return;
    child.kill('SIGTERM');
    const deadline = Date.now() + 10_000;
    while (!this.exited && Date.now() < deadline) await sleep(50);
    if (!this.exited) await this.kill();
  }

  async readyz(): Promise<number> {
    return fetch(`${this.url}/readyz`).then((r) => r.status, () => 0);
  }
}
