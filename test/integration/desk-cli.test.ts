import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopdesk } from '../../src/main.js';
import { DeskClient } from '../factories/desk-client.js';

/** `shopdesk staff …` on the database and `shopdesk desk …` through the running app, as a script would use them. */
const ROOT = join(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'src', 'cli', 'shopdesk-cli.ts');
let dir: string;
let app: Awaited<ReturnType<typeof startShopdesk>>;
let env: Record<string, string>;

async function shopdesk(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(TSX, [CLI, ...args], { cwd: dir, env: { ...process.env, LOG_LEVEL: 'silent', ...env, ...extra }, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shopdesk-desk-cli-'));
  env = { DATABASE_URL: `file:${dir}/cli.db`, DATA_DIR: dir, SEED_DEMO: 'false', SERVICE_HOURS: 'always', DESK_AUTO_ASSIGN: 'false', KB_DIR: join(ROOT, 'knowledge-base') };
  app = await startShopdesk({ env: { ...env, PORT: '0', LOG_LEVEL: 'silent' } });
  env.SHOPDESK_URL = app.url!;
}, 120_000);
afterAll(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('shopdesk staff', () => {
  it('adds an agent with a one-time password that signs in at /desk and must be replaced', async () => {
    const r = await shopdesk(['staff', 'add', 'Alice', '--role', 'agent', '--display-name', '小爱']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Created agent "alice" \(#\d+\), shown to customers as "小爱"/);
    const password = /One-time password: (\S+)/.exec(r.stdout)![1];
    expect(r.stdout).toContain(`${app.url}/desk`);
    const c = new DeskClient(app.url!);
    expect((await c.login('alice', password)).body.mustChangePassword).toBe(true);
    // the same name twice, or a role that does not exist: a clear line, no stack trace
    const again = await shopdesk(['staff', 'add', 'alice', '--role', 'agent']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    const role = await shopdesk(['staff', 'add', 'zed', '--role', 'boss']);
    expect(role.stderr).toMatch(/--role must be one of agent, manager, admin/);
  }, 180_000);

  it('lists, links a Slack user, resets a password and deactivates', async () => {
    await shopdesk(['staff', 'add', 'bob', '--role', 'manager']);
    expect((await shopdesk(['staff', 'link', 'bob', 'slack', 'U0BOB123'])).stdout).toMatch(/bob is slack user U0BOB123/);
    const list = await shopdesk(['staff', 'list']);
    expect(list.stdout).toMatch(/bob\s+bob\s+manager\s+.*slack:U0BOB123/);
    const reset = await shopdesk(['staff', 'reset-password', 'bob']);
    expect(reset.stdout).toMatch(/One-time password for bob: \S+/);
    expect((await shopdesk(['staff', 'deactivate', 'bob'])).stdout).toMatch(/deactivated/);
    const json = JSON.parse((await shopdesk(['staff', 'list', '--json'])).stdout) as { loginName: string; active: boolean }[];
    expect(json.find((s) => s.loginName === 'bob')?.active).toBe(false);
    expect((await shopdesk(['staff', 'reset-password', 'nobody'])).stderr).toMatch(/No staff member "nobody"/);
  }, 180_000);
});

describe('shopdesk desk', () => {
  it('lists, shows, claims, replies to and releases a waiting conversation through the running app', async () => {
    await shopdesk(['staff', 'add', 'carol', '--role', 'agent', '--display-name', 'Carol']);
    const token = (await shopdesk(['staff', 'token', 'carol'])).stdout.trim();
    expect(token).toMatch(/^sdk_/);
    await app.engine.accept({ channel: 'web', platformMessageId: 'cli-1', threadId: 'cli-thread', sender: { id: 'cli-visitor' }, receivedAt: new Date(), content: { type: 'text', text: 'I want to talk to a human about my order' } });
    await app.queue.drain(15_000);
    const id = (await app.crm.conversations.byThread('web', 'cli-thread'))!.id;
    const as = { SHOPDESK_STAFF_TOKEN: token };

    const list = await shopdesk(['desk', 'list'], as);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`#${id}\\s+waiting \\d+ min\\s+web`));
    expect((await shopdesk(['desk', 'show', String(id)], as)).stdout).toMatch(/customer> I want to talk to a human/);
    expect((await shopdesk(['desk', 'claim', String(id)], as)).stdout).toMatch(/claim: #\d+ done/);
    const reply = await shopdesk(['desk', 'reply', String(id), 'Hello from the CLI', '--client-id', 'cli-reply-0001'], as);
    expect(reply.stdout).toMatch(/^sent \(message \d+\)/);
    expect((await shopdesk(['desk', 'reply', String(id), 'Hello from the CLI', '--client-id', 'cli-reply-0001'], as)).stdout).toMatch(/already sent/);
    await app.queue.drain(10_000);
    const out = await app.database.db.message.findMany({ where: { conversationId: id, direction: 'out', text: 'Hello from the CLI' } });
    expect(out).toHaveLength(1);
    expect(out[0].status).toBe('sent');
    expect(JSON.parse(out[0].payload!)).toMatchObject({ author: { kind: 'staff', name: 'Carol' } });
    expect((await shopdesk(['desk', 'release', String(id)], as)).code).toBe(0);
    expect((await app.crm.conversations.get(id))?.mode).toBe('bot');
    const outbox = await shopdesk(['desk', 'outbox']);
    expect(outbox.stdout).toMatch(/desk\s+sent\s+\d+/);
  }, 180_000);

  it('says what is wrong without a token, with a bad one, or when shopdesk is not running', async () => {
    expect((await shopdesk(['desk', 'list'])).stderr).toMatch(/Set SHOPDESK_STAFF_TOKEN/);
    expect((await shopdesk(['desk', 'list'], { SHOPDESK_STAFF_TOKEN: 'sdk_not-a-real-token' })).stderr).toMatch(/Please sign in to the staff desk \(401\)/);
    const down = await shopdesk(['desk', 'list'], { SHOPDESK_STAFF_TOKEN: 'sdk_x', SHOPDESK_URL: 'http://127.0.0.1:1' });
    expect(down.stderr).toMatch(/shopdesk is not reachable at http:\/\/127\.0\.0\.1:1/);
    expect(down.stderr).not.toMatch(/\n\s+at /);
    expect((await shopdesk(['desk', 'claim', 'abc'], { SHOPDESK_STAFF_TOKEN: 'sdk_x' })).stderr).toMatch(/not a conversation id/);
  }, 180_000);
});
