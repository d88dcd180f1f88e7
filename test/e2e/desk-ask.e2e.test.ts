import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopdesk } from '../../src/main.js';
import { addStaff } from '../factories/desk-client.js';

/**
 * The Ask box of /desk in headless Chromium against the real app (main.ts wiring, the demo shop):
 * a manager asks for figures and gets the text and a chart; an agent is refused sales figures.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[desk ask e2e] SKIPPED: ${CHROMIUM} not found — install it with: apt-get install -y chromium fonts-wqy-zenhei`);
const SHOTS = process.env.SHOPDESK_SCREENSHOTS ?? join(tmpdir(), 'shopdesk-desk-shots');

describe.skipIf(!hasChromium)('the Ask box in /desk', () => {
  let dir: string;
  let app: Awaited<ReturnType<typeof startShopdesk>>;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopdesk-ask-e2e-'));
    app = await startShopdesk({ env: { DATABASE_URL: `file:${dir}/e2e.db`, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'true', DATA_DIR: dir } });
    await addStaff(app.crm, 'boss', 'manager');
    await addStaff(app.crm, 'helper', 'agent');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(name: string): Promise<Page> {
    const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1360, height: 900 } })).newPage();
    await page.goto(`${app.url}/desk`);
    await page.getByTestId('login-name').fill(name);
    await page.getByTestId('login-password').fill(`${name}-password-123`);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('me').waitFor();
    return page;
  }

  async function ask(page: Page, question: string): Promise<string> {
    await page.getByTestId('ask-input').fill(question);
    await page.getByTestId('ask-submit').click();
    await page.getByTestId('ask-answer').filter({ hasNotText: /正在查询/ }).waitFor({ timeout: 30_000 });
    return (await page.getByTestId('ask-answer').textContent()) ?? '';
  }

  it('answers a manager with text first echoing the reading, and a chart for a breakdown', async () => {
    const page = await signIn('boss');
    await page.getByTestId('ask-open').click();
    expect(await ask(page, '上周销售额多少')).toMatch(/^上周.*销售额 ¥[\d,]+\.\d\d/);
    const text = await ask(page, '近7天销售额按天');
    expect(text).toContain('按天');
    const chart = page.getByTestId('ask-chart');
    await chart.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await chart.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(800);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'desk-ask.png') });
  }, 90_000);

  it('refuses sales figures to an agent, who can still look up customers', async () => {
    const page = await signIn('helper');
    await page.getByTestId('ask-open').click();
    expect(await ask(page, '上周销售额多少')).toContain('客服账号不能查看');
    expect(await ask(page, '13800138000')).toContain('138****8000');
  }, 90_000);
});
