import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/desk/auth/password-hashing.js';
import { startShopdesk } from '../../src/main.js';
import { addStaff } from '../factories/desk-client.js';

/**
 * The staff desk end to end in headless Chromium: a customer in one browser asks for a person, an
 * agent in a second browser sees it arrive live, claims it, answers, and hands it back to the bot.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[desk e2e] SKIPPED: ${CHROMIUM} not found — install it with: apt-get install -y chromium fonts-wqy-zenhei`);
const SHOTS = process.env.SHOPDESK_SCREENSHOTS ?? join(tmpdir(), 'shopdesk-desk-shots');
const ONE_TIME = 'abcd-efgh-jkmn-pqrs';

describe.skipIf(!hasChromium)('the staff desk in a browser', () => {
  let dir: string;
  let app: Awaited<ReturnType<typeof startShopdesk>>;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopdesk-desk-e2e-'));
    app = await startShopdesk({ env: { DATABASE_URL: `file:${dir}/e2e.db`, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'true', DATA_DIR: dir, SERVICE_HOURS: 'always', DESK_AUTO_ASSIGN: 'false' } });
    base = app.url!;
    // as `npx shopdesk staff add xiaoai --role agent --display-name 小爱` does: a one-time password
    await app.crm.staff.create({ loginName: 'xiaoai', displayName: '小爱', role: 'agent', passwordHash: await hashPassword(ONE_TIME), actor: 'test' });
    await addStaff(app.crm, 'bob', 'agent');
    const lily = await addStaff(app.crm, 'lily', 'agent', 'lily-password-123');
    await app.crm.staff.setProfile(lily.id, { displayName: 'Lily' }, 'test');
    browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function customer(locale: string): Promise<Page> {
    const ctx = await browser.newContext({ locale, viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    await page.goto(`${base}/chat`);
    await page.getByTestId('connection-status').filter({ hasText: /在线|Online/ }).waitFor();
    return page;
  }

  async function customerSays(page: Page, text: string): Promise<void> {
    await page.getByTestId('chat-input').fill(text);
    await page.getByTestId('chat-send').click();
  }

  async function agent(locale: string, name: string, password: string, opts: { firstSignIn?: string } = {}): Promise<Page> {
    const ctx = await browser.newContext({ locale, viewport: { width: 1360, height: 860 } });
    const page = await ctx.newPage();
    await page.goto(`${base}/desk`);
    await page.getByTestId('login-name').fill(name);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    if (opts.firstSignIn) {
      await page.getByTestId('password-current').fill(password);
      await page.getByTestId('password-new').fill(opts.firstSignIn);
      await page.getByTestId('password-repeat').fill(opts.firstSignIn);
      await page.getByTestId('password-submit').click();
    }
    await page.getByTestId('me').waitFor();
    return page;
  }

  it('takes over a Chinese web chat: live arrival, claim, reply with the agent\'s name, release, the bot again', async () => {
    const desk = await agent('zh-CN', 'xiaoai', ONE_TIME, { firstSignIn: 'xiaoai-own-password' });
    expect(await desk.getByTestId('me').textContent()).toBe('小爱');
    const chat = await customer('zh-CN');
    await customerSays(chat, '我的快递一直没到，转人工');
    const notice = chat.getByTestId('chat-message-bot').last();
    await expect.poll(() => notice.textContent(), { timeout: 15_000 }).toMatch(/转接人工客服（工单号 T\d{6}）/);
    // waiting: the bot says nothing more and shows no typing dots
    await customerSays(chat, '还在吗？');
    await chat.waitForTimeout(800);
    expect(await chat.getByTestId('typing-indicator').isHidden()).toBe(true);
    expect(await chat.getByTestId('chat-message-bot').count()).toBe(1);

    // the agent's open desk shows it without a reload, and rang
    const item = desk.getByTestId('conversation-item').first();
    await expect.poll(() => item.textContent(), { timeout: 15_000 }).toMatch(/主动要求人工/);
    await expect.poll(() => desk.evaluate(() => (window as unknown as { DeskAlerts?: number }).DeskAlerts ?? 0)).toBeGreaterThan(0);
    await item.click();
    await expect.poll(() => desk.getByTestId('transcript').textContent()).toContain('还在吗？');
    expect(await desk.getByTestId('profile').textContent()).toMatch(/累计消费/);
    // ticket types and statuses in the desk's language, not the database's words
    expect(await desk.getByTestId('profile-ticket').first().textContent()).toMatch(/转人工 · (待处理|处理中)/);
    await desk.getByTestId('claim').click();
    await expect.poll(() => desk.getByTestId('conv-meta').textContent()).toMatch(/由您处理/);
    await desk.getByTestId('composer-input').fill('您好，我帮您查一下物流，请稍等。');
    await desk.getByTestId('composer-input').press('Enter');
    await expect.poll(() => desk.getByTestId('transcript-staff').count()).toBe(2);

    const staffBubble = chat.getByTestId('chat-message-staff').last();
    await expect.poll(() => staffBubble.textContent(), { timeout: 15_000 }).toContain('您好，我帮您查一下物流');
    expect(await staffBubble.locator('.msg-author').textContent()).toBe('小爱');
    await chat.screenshot({ path: join(SHOTS, 'customer-zh-with-agent.png') });
    await desk.screenshot({ path: join(SHOTS, 'desk-zh-replied.png') });

    desk.once('dialog', (d) => void d.accept());
    await desk.getByTestId('release').click();
    await expect.poll(() => chat.getByTestId('chat-message-bot').last().textContent(), { timeout: 15_000 }).toMatch(/智能助手为您服务/);
    const bots = await chat.getByTestId('chat-message-bot').count();
    await customerSays(chat, '运费怎么算');
    await expect.poll(() => chat.getByTestId('chat-message-bot').count(), { timeout: 15_000 }).toBeGreaterThan(bots);
    expect(await chat.getByTestId('chat-message-bot').last().textContent()).toMatch(/包邮|运费/);
    await chat.screenshot({ path: join(SHOTS, 'customer-zh-back-to-bot.png') });
  }, 120_000);

  it('takes over an English web chat from a desk switched to English, and shows the owner to a second agent', async () => {
    const desk = await agent('zh-CN', 'lily', 'lily-password-123');
    await desk.getByTestId('lang-switch-app').click();
    await expect.poll(() => desk.getByTestId('tab-waiting').textContent()).toMatch(/Waiting/);
    const chat = await customer('en-US');
    await customerSays(chat, 'I want to talk to a human');
    await expect.poll(() => chat.getByTestId('chat-message-bot').last().textContent(), { timeout: 15_000 }).toMatch(/passed you to a person/);
    const item = desk.getByTestId('conversation-item').filter({ hasText: 'asked for a person' }).first();
    await item.waitFor({ timeout: 15_000 });
    await item.click();
    await desk.getByTestId('claim').click();
    await expect.poll(() => desk.getByTestId('conv-meta').textContent()).toMatch(/Yours/);

    // a second agent sees who has it and cannot reply
    const bob = await agent('en-US', 'bob', 'bob-password-123');
    await bob.getByTestId('tab-active').click();
    const owned = bob.getByTestId('conversation-item').filter({ hasText: 'Lily' }).first();
    await owned.waitFor({ timeout: 10_000 });
    await owned.click();
    await expect.poll(() => bob.getByTestId('conv-meta').textContent()).toMatch(/Lily has this conversation/);
    expect(await bob.getByTestId('composer-input').isDisabled()).toBe(true);
    expect(await bob.getByTestId('claim').isHidden()).toBe(true);

    await desk.getByTestId('composer-input').fill('Hi! Let me look into that for you.');
    await desk.getByTestId('send').click();
    const staffBubble = chat.getByTestId('chat-message-staff').last();
    await expect.poll(() => staffBubble.textContent(), { timeout: 15_000 }).toContain('Let me look into that');
    expect(await staffBubble.locator('.msg-author').textContent()).toBe('Lily');
    // an internal note stays internal
    await desk.getByTestId('mode-note').click();
    await desk.getByTestId('composer-input').fill('VIP customer, be generous');
    await desk.getByTestId('send').click();
    await expect.poll(() => desk.getByTestId('transcript-note').count()).toBe(1);
    await desk.screenshot({ path: join(SHOTS, 'desk-en-replied.png') });
    await chat.waitForTimeout(500);
    expect(await chat.getByTestId('chat-log').textContent()).not.toContain('VIP customer');

    desk.once('dialog', (d) => void d.accept());
    await desk.getByTestId('release').click();
    await expect.poll(() => chat.getByTestId('chat-message-bot').last().textContent(), { timeout: 15_000 }).toMatch(/handed you back to the assistant/);
    const bots = await chat.getByTestId('chat-message-bot').count();
    await customerSays(chat, 'how long does a refund take?');
    await expect.poll(() => chat.getByTestId('chat-message-bot').count(), { timeout: 15_000 }).toBeGreaterThan(bots);
    expect(await chat.getByTestId('chat-message-bot').last().textContent()).toMatch(/refund/i);
    await chat.screenshot({ path: join(SHOTS, 'customer-en-back-to-bot.png') });
  }, 120_000);

  it('refuses a wrong password on the sign-in page with a clear message', async () => {
    const ctx = await browser.newContext({ locale: 'en-US' });
    const page = await ctx.newPage();
    await page.goto(`${base}/desk`);
    await page.getByTestId('login-name').fill('bob');
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toMatch(/Wrong name or password/);
    await page.screenshot({ path: join(SHOTS, 'desk-login-error.png') });
  });
});
