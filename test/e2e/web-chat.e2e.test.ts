import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCustomerToken } from '../../src/channels/web/visitor-identity.js';
import { DEMO_PERSONAS } from '../../src/crm/seed/demo-personas.js';
import { startShopdesk } from '../../src/main.js';

/**
 * The web chat in a real headless Chromium against the real app (SQLite, in-process queue, demo shop).
 * Needs /usr/bin/chromium (apt-get install -y chromium fonts-wqy-zenhei); skipped with a notice without it.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[web-chat e2e] SKIPPED: ${CHROMIUM} not found — install it with: apt-get install -y chromium fonts-wqy-zenhei`);

const TOKEN_SECRET = 'e2e-customer-token-secret';
const SCREENSHOT = '/tmp/webchat.png';
const ZS = DEMO_PERSONAS.zhangSan;

describe.skipIf(!hasChromium)('web chat in a browser', () => {
  let dir: string;
  let app: Awaited<ReturnType<typeof startShopdesk>>;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopdesk-e2e-'));
    app = await startShopdesk({
      env: { DATABASE_URL: `file:${dir}/e2e.db`, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'true', DATA_DIR: dir, CUSTOMER_TOKEN_SECRET: TOKEN_SECRET },
    });
    base = app.url ?? '';
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A phone-sized context in the given browser language (Playwright gives each launch a fresh profile). */
  async function phone(locale: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    return { context, page: await context.newPage() };
  }

  async function say(page: Page, text: string): Promise<void> {
    const before = await page.getByTestId('chat-message-bot').count();
    await page.getByTestId('chat-input').fill(text);
    await page.getByTestId('chat-send').click();
    await expect.poll(() => page.getByTestId('chat-message-bot').count(), { timeout: 15_000 }).toBeGreaterThan(before);
  }

  const lastBot = (page: Page) => page.getByTestId('chat-message-bot').last();

  it('shows the Chinese interface and answers a shipping question in Chinese', async () => {
    const { context, page } = await phone('zh-CN');
    await page.goto(`${base}/chat`);
    await expect.poll(() => page.getByTestId('chat-input').getAttribute('placeholder')).toBe('请输入消息…');
    expect(await page.getByTestId('chat-send').textContent()).toBe('发送');
    expect(await page.title()).toBe('在线客服');
    await say(page, '运费怎么算');
    expect(await page.getByTestId('chat-message-user').last().textContent()).toBe('运费怎么算');
    expect(await lastBot(page).textContent()).toMatch(/包邮|运费/);
    // the typing indicator is gone once the reply is shown
    expect(await page.getByTestId('typing-indicator').isHidden()).toBe(true);
    await context.close();
  });

  it('shows the English interface and answers a refund question in English', async () => {
    const { context, page } = await phone('en-US');
    await page.goto(`${base}/chat`);
    await expect.poll(() => page.getByTestId('chat-input').getAttribute('placeholder')).toBe('Type a message…');
    await say(page, 'how long does a refund take?');
    const answer = (await lastBot(page).textContent()) ?? '';
    expect(answer).toMatch(/refund/i);
    expect(answer).not.toMatch(/[\u4e00-\u9fff]/);
    await context.close();
  });

  it('shows a logged-in customer their order as a card after a quick reply', async () => {
    const { context, page } = await phone('zh-CN');
    const token = signCustomerToken({ sub: ZS.shopRef, phone: ZS.phone, name: ZS.name, exp: Math.floor(Date.now() / 1000) + 3600 }, TOKEN_SECRET);
    await page.goto(`${base}/chat?token=${encodeURIComponent(token)}`);
    await say(page, '我的订单到哪了');
    const choice = page.getByTestId('quick-reply').filter({ hasText: ZS.orders.inTransit });
    await choice.click();
    expect(await page.getByTestId('chat-message-user').last().textContent()).toContain(ZS.orders.inTransit);
    // the answered question's buttons cannot be pressed again
    expect(await choice.isDisabled()).toBe(true);
    const card = page.locator('[data-testid="chat-message-bot"][data-type="card"]').last();
    await card.waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain(ZS.tracking.inTransit);
    expect(await card.locator('table.card-fields tr').count()).toBeGreaterThan(2);
    await page.screenshot({ path: SCREENSHOT });
    await context.close();
  });

  it('shows HTML typed by a customer as text and never runs it', async () => {
    const { context, page } = await phone('zh-CN');
    await page.goto(`${base}/chat`);
    const payload = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">';
    await say(page, payload);
    expect(await page.getByTestId('chat-message-user').last().textContent()).toBe(payload);
    expect(await page.locator('#log img, #log script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // and again after the history is drawn from the server
    await page.reload();
    await expect.poll(() => page.getByTestId('chat-message-user').count()).toBe(1);
    expect(await page.getByTestId('chat-message-user').first().textContent()).toBe(payload);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await context.close();
  });

  it('shows the conversation again after a reload', async () => {
    const { context, page } = await phone('zh-CN');
    await page.goto(`${base}/chat`);
    await say(page, '运费怎么算');
    const answer = await lastBot(page).textContent();
    await page.reload();
    await expect.poll(() => page.getByTestId('chat-message-bot').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('chat-message-user').allTextContents()).toEqual(['运费怎么算']);
    expect(await lastBot(page).textContent()).toBe(answer);
    await context.close();
  });

  it('opens the chat from the embeddable widget on a shop page and answers in the iframe', async () => {
    const { context, page } = await phone('zh-CN');
    await page.setContent(`<html><body><h1>Shop</h1><script src="${base}/widget.js"></script></body></html>`);
    await page.getByTestId('shopdesk-launcher').click();
    const chat = page.frameLocator('iframe[title="在线客服"]');
    await chat.getByTestId('chat-input').fill('运费怎么算');
    await chat.getByTestId('chat-send').click();
    await expect.poll(() => chat.getByTestId('chat-message-bot').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await chat.getByTestId('chat-message-bot').last().textContent()).toMatch(/包邮|运费/);
    await context.close();
  });
});
