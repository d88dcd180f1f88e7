import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebChatAdapter } from '../../src/channels/web/web-chat-adapter.js';
import { defaultWebChatLimits, type WebChatLimits } from '../../src/channels/web/web-chat-limits.js';
import { createWebChatRouter } from '../../src/channels/web/web-chat-router.js';
import { historyForThread } from '../../src/conversation/engine/thread-history.js';
import { createHttpApp, listen } from '../../src/http/http-server.js';
import { FileMediaStore } from '../../src/media/file-media-store.js';
import { createMediaRouter } from '../../src/media/media-router.js';
import { InProcessMessageBus, type MessageBus } from '../../src/shared/message-bus.js';
import { InProcessRateLimiter, type RateLimiter } from '../../src/shared/rate-limiter.js';
import { createHarness, type Harness } from './engine-harness.js';

export const WEB_SECRET = 'web-chat-app-secret-0123456789';
export const SHOP_TOKEN_SECRET = 'shop-token-secret-0123456789';
/** The desk's staff check, as the desk will supply it: a bearer token naming a staff member. */
export const STAFF_TOKEN = 'staff-token-for-tests-0123456789';

export interface WebChatApp {
  harness: Harness;
  base: string;
  media: FileMediaStore;
  bus: MessageBus;
  /** Adds another web process on the same engine, database, bus and limiter (scale-out). */
  addWebProcess(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real web chat on the real engine: a seeded database, the web router wired as in
 * src/main.ts (database-backed visitor store, file media store, limiter, message bus, the
 * WebChatAdapter delivering replies), served by the real HTTP app on a random port.
 */
export async function startWebChatApp(opts: { limits?: Partial<WebChatLimits>; limiter?: RateLimiter; allowedOrigins?: string[]; frameAncestors?: string[]; uploadMaxBytes?: number; harness?: Parameters<typeof createHarness>[0] } = {}): Promise<WebChatApp> {
  const bus = new InProcessMessageBus();
  const harness = await createHarness({ ...opts.harness, webAdapter: new WebChatAdapter(bus) });
  const dir = mkdtempSync(join(tmpdir(), 'shopdesk-media-'));
  const media = new FileMediaStore(dir, { maxBytes: 10 * 1024 * 1024, maxPixels: 64_000_000, maxSidePx: 16_384 }, WEB_SECRET);
  const limiter = opts.limiter ?? new InProcessRateLimiter();
  const authorizeStaff = async (req: IncomingMessage) => (req.headers.authorization === `Bearer ${STAFF_TOKEN}` ? { staffId: 1 } : undefined);
  const servers: { server: Server; close: () => Promise<void> }[] = [];

  async function webProcess(): Promise<string> {
    const web = createWebChatRouter({
      sink: harness.engine, bus, secret: WEB_SECRET, customerTokenSecret: SHOP_TOKEN_SECRET, visitors: harness.crm.webVisitors, media, limiter,
      limits: { ...defaultWebChatLimits(), ...opts.limits }, allowedOrigins: opts.allowedOrigins, frameAncestors: opts.frameAncestors,
      uploadMaxBytes: opts.uploadMaxBytes ?? 5 * 1024 * 1024, history: (threadId) => historyForThread(harness.crm, 'web', threadId),
    });
    const app = createHttpApp({ routers: [web.router, createMediaRouter({ media, authorizeStaff })], readiness: async () => ({ ready: true, checks: {} }) });
    const server = await listen(app, '127.0.0.1', 0);
    web.attach(server);
    servers.push({ server, close: () => web.close() });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const base = await webProcess();
  return {
    harness, base, media, bus,
    addWebProcess: webProcess,
    async close() {
      for (const s of servers) {
        await s.close();
        s.server.closeAllConnections();
        await new Promise((r) => s.server.close(r));
      }
      await harness.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
