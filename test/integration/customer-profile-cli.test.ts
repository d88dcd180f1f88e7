import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONAS } from '../../src/crm/seed/index.js';
import { createHarness, textOf, type Harness } from '../factories/engine-harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const Z = DEMO_PERSONAS.zhangSan;
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

describe('a customer profile', () => {
  it('shows the return ticket a customer opened in the chat', async () => {
    const c = h.customer({ sender: { verified: { phone: Z.phone } } });
    await c.send(`订单${Z.orders.deliveredRecently}我想退货`);
    await c.send({ type: 'postback', payload: 'item:*', text: '全部商品' });
    const done = textOf(await c.send({ type: 'postback', payload: 'reason:size', text: '尺码/颜色不合适' }));
    const ticket = /T\d{6}/.exec(done)?.[0];
    expect(ticket).toBeDefined();
    const { stdout } = await promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'src/cli/shopdesk-cli.ts'), 'customers', 'show', Z.phone], {
      env: { ...process.env, DATABASE_URL: h.database.url, LOG_LEVEL: 'silent' },
    });
    expect(stdout).toContain('张三');
    expect(stdout).toMatch(new RegExp(`${ticket}\\s+return\\s+open`));
    expect(stdout).toContain(Z.orders.deliveredRecently);
  });
});
