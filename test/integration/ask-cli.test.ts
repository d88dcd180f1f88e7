import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAskCommand } from '../../src/cli/ask-command.js';
import { loadConfig } from '../../src/config/config.js';
import { createCrm } from '../../src/crm/index.js';
import { buildAskFixtureShop, FIXTURE_NOW } from '../factories/ask-fixture-shop.js';
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from '../factories/test-database.js';

let t: TestDatabase;
let chartDir: string;
const NOW = FIXTURE_NOW.toISOString();

function program(out: string[]): Command {
  const p = new Command('shopdesk').exitOverride();
  const config = loadConfig({ SHOP_TIMEZONE: 'Asia/Shanghai', SHOP_CURRENCY: 'CNY' });
  registerAskCommand(p, { openDb: async () => ({ db: t.db, close: async () => undefined }), config: () => config, print: (s) => out.push(s) });
  return p;
}
async function ask(...args: string[]): Promise<string> {
  const out: string[] = [];
  await program(out).parseAsync(['node', 'shopdesk', 'ask', '--now', NOW, '--chart-dir', chartDir, ...args]);
  return out.join('\n');
}

beforeAll(async () => {
  t = await createTestDatabase();
  await buildAskFixtureShop(t.db);
  await createCrm(t.db).staff.create({ loginName: 'wang', role: 'agent', passwordHash: 'x', actor: 'test' });
  chartDir = mkdtempSync(join(tmpdir(), 'ask-cli-'));
}, 60_000);
afterAll(async () => {
  await t?.destroy();
  rmSync(chartDir, { recursive: true, force: true });
});

describe(`shopdesk ask (${TEST_PROVIDER})`, () => {
  it('answers as the terminal manager, echoing the reading', async () => {
    const text = await ask('上周销售额多少');
    expect(text).toContain('(3/10–3/16)');
    expect(text).toContain('¥375.00');
  });

  it('prints understood, query, text and result with --json', async () => {
    const json = JSON.parse(await ask('--json', 'revenue last week vs the week before')) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['query', 'result', 'text', 'understood']);
    expect(json.understood).toBe(true);
    expect(json.query).toMatchObject({ kind: 'metric', metric: 'revenue', from: '2025-03-10', to: '2025-03-16', compare: 'previous_period', groupBy: null, limit: null, filters: {} });
    expect(json.result).toMatchObject({ value: 37500, compare: { value: 2000, change: 35500, relative: 17.75 } });
  });

  it('writes a chart for a breakdown and prints its path', async () => {
    const json = JSON.parse(await ask('--json', '上周销售额按天')) as { chartPath?: string; result: { rows: unknown[] } };
    expect(json.result.rows).toHaveLength(7);
    expect(json.chartPath?.startsWith(chartDir)).toBe(true);
    expect(readFileSync(json.chartPath!).subarray(1, 4).toString()).toBe('PNG');
    const text = await ask('上周销售额按天');
    expect(text).toMatch(new RegExp(`chart: ${chartDir}/ask-.*\\.png`));
    expect(existsSync(text.split('chart: ')[1])).toBe(true);
  });

  it('asks as a staff member with --as: an agent is refused revenue', async () => {
    const json = JSON.parse(await ask('--as', 'wang', '--json', '上周销售额')) as { result: unknown; text: string };
    expect(json.result).toEqual({ type: 'notice', notice: 'not_allowed' });
    const row = await t.db.auditLog.findFirst({ where: { action: 'assistant.ask' }, orderBy: { id: 'desc' } });
    expect(row?.actor).toMatch(/^staff:\d+$/);
  });

  it('refuses an unknown --as and a bad --now with one clear message', async () => {
    await expect(ask('--as', 'nobody', '上周销售额')).rejects.toThrow(/No staff member "nobody"/);
    const out: string[] = [];
    await expect(program(out).parseAsync(['node', 'shopdesk', 'ask', '--now', 'yesterday', '上周销售额'])).rejects.toThrow(/--now/);
  });
});
