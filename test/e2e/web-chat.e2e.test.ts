import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCustomerToken } from '../../src/channels/web/customer-token.js';
import { DEMO_PERSONAS } from '../../src/crm/seed/demo-personas.js';
import { startShopdesk } from '../../src/main.js';
import { pngImage } from '../factories/image-builders.js';
import { ChatBrowser } from '../factories/web-chat-client.js';

/** A site on another port of this host: the shop that embeds the widget, or a hostile page. */
async function startSite(page: (base: string) => string): Promise<{ origin: string; setBase(b: string): void; close(): Promise<void> }> {
  let base = '';
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(page(base).replace('__PATH__', req.url ?? '/'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setBase: (b) => { base = b; },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

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
  let shop: Awaited<ReturnType<typeof startSite>>;
  let evil: Awaited<ReturnType<typeof startSite>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopdesk-e2e-'));
    shop = await startSite((b) => `<html><body><h1>Shop</h1><script src="${b}/widget.js"></script></body></html>`);
    // a hostile page on another port: it frames the chat, plants cookies, calls the chat's API and socket
    evil = await startSite((b) => `<html><body><iframe id="framed" src="${b}/chat"></iframe><script>
      window.__base = ${JSON.stringify(b)};
    </script></body></html>`);
    app = await startShopdesk({
      env: { DATABASE_URL: `file:${dir}/e2e.db`, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'true', DATA_DIR: dir, CUSTOMER_TOKEN_SECRET: TOKEN_SECRET, WEBCHAT_FRAME_ANCESTORS: shop.origin },
    });
    base = app.url ?? '';
    shop.setBase(base);
    evil.setBase(base);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await shop?.close();
    await evil?.close();
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

  it("opens the chat from the embeddable widget on the shop's own site and answers in the iframe", async () => {
    const { context, page } = await phone('zh-CN');
    await page.goto(`${shop.origin}/products`);
    await page.getByTestId('shopdesk-launcher').click();
    const chat = page.frameLocator('iframe[title="在线客服"]');
    await chat.getByTestId('chat-input').fill('运费怎么算');
    await chat.getByTestId('chat-send').click();
    await expect.poll(() => chat.getByTestId('chat-message-bot').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await chat.getByTestId('chat-message-bot').last().textContent()).toMatch(/包邮|运费/);
    await context.close();
  });

  it('will not show the chat inside a site the shop did not allow (frame-ancestors)', async () => {
    const { context, page } = await phone('zh-CN');
    await page.goto(`${evil.origin}/`);
    await page.waitForTimeout(1500);
    const framed = page.frames().find((f) => f !== page.mainFrame());
    expect(framed).toBeDefined();
    expect(await framed!.locator('[data-testid="chat-input"]').count()).toBe(0);
    await context.close();
  });

  it("answers a guest's order question after the last 4 digits with the status only, and shows a sent image again after a reload", async () => {
    const { context, page } = await phone('zh-CN');
    await page.goto(`${base}/chat`);
    await say(page, `查订单 ${ZS.orders.inTransit}`);
    expect(await lastBot(page).textContent()).toContain('后四位');
    await say(page, ZS.phone.slice(-4));
    const card = page.locator('[data-testid="chat-message-bot"][data-type="card"]').last();
    await card.waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain('运输中');
    expect(await card.textContent()).not.toContain(ZS.tracking.inTransit);
    await page.getByTestId('upload-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: pngImage(120, 90) });
    const img = page.locator('[data-testid="chat-message-user"] img.upload-img').last();
    await img.waitFor({ timeout: 15_000 });
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(120);
    await page.reload();
    const again = page.locator('[data-testid="chat-message-user"] img.upload-img').last();
    await again.waitFor({ timeout: 15_000 });
    await expect.poll(() => again.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(120);
    await page.screenshot({ path: '/tmp/webchat-guest.png' });
    await context.close();
  });

  it('never puts the visitor credential or the customer token in a URL', async () => {
    const { context, page } = await phone('en-US');
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    page.on('websocket', (ws) => urls.push(ws.url()));
    const token = signCustomerToken({ sub: ZS.shopRef, exp: Math.floor(Date.now() / 1000) + 3600 }, TOKEN_SECRET);
    await page.goto(`${base}/chat?token=${encodeURIComponent(token)}`);
    await say(page, 'hello');
    await page.getByTestId('upload-input').setInputFiles({ name: 'p.png', mimeType: 'image/png', buffer: pngImage(20, 20) });
    await page.locator('img.upload-img').last().waitFor({ timeout: 15_000 });
    await page.reload();
    await expect.poll(() => page.getByTestId('chat-message-bot').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const credential = await page.evaluate(() => localStorage.getItem('sd_vid'));
    expect(credential).toMatch(/^v_/);
    const visitorId = credential!.split('.')[0];
    const afterLoad = urls.slice(1);
    expect(afterLoad.length).toBeGreaterThan(5);
    for (const u of afterLoad) {
      expect(u).not.toContain(visitorId);
      expect(u).not.toContain(encodeURIComponent(credential!));
      expect(u).not.toContain(token.slice(0, 40));
    }
    // the token in the page address is gone from the address bar once read
    expect(page.url()).not.toContain('token=');
    await context.close();
  });

  it("keeps a page on another port out of the customer's conversation: no socket, no session, no history", async () => {
    const { context, page } = await phone('zh-CN');
    await page.goto(`${base}/chat`);
    await say(page, '我的地址是上海市浦东新区机密路 7 号');
    const attack = await context.newPage();
    await attack.goto(`${evil.origin}/`);
    const stolen = await attack.evaluate(async () => {
      const b = (window as unknown as { __base: string }).__base;
      const seen: string[] = [];
      // the old hijack: a socket that takes the visitor from the cookie
      await new Promise<void>((resolve) => {
        const ws = new WebSocket(b.replace('http', 'ws') + '/ws/chat');
        ws.onmessage = (e) => seen.push(String(e.data));
        ws.onerror = () => resolve();
        ws.onclose = () => resolve();
        setTimeout(resolve, 3000);
      });
      // a session from the chat's API with the visitor's cookies: refused, and unreadable anyway
      for (const mode of ['cors', 'no-cors'] as const) {
        try {
          const r = await fetch(b + '/api/webchat/session', { method: 'POST', mode, credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{}' });
          seen.push(`${r.type}:${r.status}:${await r.text()}`);
        } catch (err) {
          seen.push(`blocked:${String(err)}`);
        }
      }
      return seen;
    });
    expect(stolen.join('\n')).not.toContain('机密路');
    expect(stolen.join('\n')).not.toContain('ticket=');
    await context.close();
  });

  it("does not move a customer into a planter's conversation when a page on another port plants a cookie", async () => {
    const attacker = new ChatBrowser(base);
    const planted = (await attacker.session()).body.visitor;
    const { context, page } = await phone('zh-CN');
    await page.goto(`${base}/chat`);
    await say(page, '第一句话');
    const plant = await context.newPage();
    await plant.goto(`${evil.origin}/`);
    await plant.evaluate((v) => { document.cookie = `sd_vid=${encodeURIComponent(v)}; path=/api/webchat`; }, planted);
    await plant.close();
    await page.reload();
    await expect.poll(() => page.getByTestId('chat-message-user').count(), { timeout: 15_000 }).toBe(1);
    await say(page, '第二句话，手机 13700002222');
    expect(await page.getByTestId('chat-message-user').allTextContents()).toEqual(['第一句话', '第二句话，手机 13700002222']);
    const spy = await attacker.connect();
    const history = await spy.waitFor('history');
    expect(JSON.stringify(history.items)).not.toContain('13700002222');
    spy.close();
    // the planted cookie was expired on the paths it could have been set for
    const left = (await context.cookies(base)).filter((c) => c.name === 'sd_vid');
    expect(left.map((c) => c.path)).toEqual(['/']);
    await context.close();
  });
});
