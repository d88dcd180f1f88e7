import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage, Server } from 'node:http';
import express, { type Request, type Response, type NextFunction } from 'express';
import { AppError } from '../../shared/app-error.js';
import type { MessageBus } from '../../shared/message-bus.js';
import type { InboundSink } from '../../shared/message-types.js';
import { webPublicDir } from './public-dir.js';
import type { HistoryItem } from './web-chat-encode.js';
import { WebChatSockets } from './web-chat-socket.js';
import { UploadStore } from './web-chat-uploads.js';
import { readCookie, VISITOR_COOKIE, VisitorIdentity } from './visitor-identity.js';

export interface WebChatRouterDeps {
  sink: InboundSink;
  bus: MessageBus;
  /** The thread's messages, oldest first; the router sends the last 50. */
  history: (threadId: string) => Promise<HistoryItem[]>;
  /** Signs visitor ids: WEBCHAT_SECRET, or a per-install secret kept under DATA_DIR. */
  secret: string;
  customerTokenSecret?: string;
  uploadDir: string;
  uploadMaxBytes: number;
  /** Prefix for upload URLs stored with messages (e.g. https://help.example.com); relative when absent. */
  publicBaseUrl?: string;
  /** Ping interval of the socket heartbeat (default 30 s). */
  heartbeatMs?: number;
}

const VISITOR_HEADER = 'x-shopdesk-visitor';
const ONE_YEAR_S = 365 * 24 * 3600;
// the page only ever loads its own files: an injected <script> or inline handler cannot run
const CHAT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The web chat channel's HTTP side: the hosted page (/chat), the embeddable widget (/widget.js),
 * its assets, image uploads, and the WebSocket /ws/chat once `attach(server)` is called.
 */
export interface WebChatStaffImages {
  /** Stores an image staff send into a web chat thread (owned by the thread's browser, so only it can load it). */
  store(threadId: string, bytes: Buffer, declaredType: string): Promise<{ ok: true; url: string } | { ok: false; message: string }>;
  /** A customer's upload by its URL, for staff (the caller authorises). */
  open(url: string): Promise<{ bytes: Buffer; mimeType: string } | undefined>;
}

export function createWebChatRouter(deps: WebChatRouterDeps): { router: express.Router; attach(server: Server): void; close(): Promise<void>; staffImages: WebChatStaffImages } {
  const identity = new VisitorIdentity(deps.secret);
  const uploads = new UploadStore(deps.uploadDir, deps.uploadMaxBytes, deps.publicBaseUrl);
  const publicDir = webPublicDir();
  let chatHtml: Promise<string> | undefined;

  /** A visitor proves who they are with the signed cookie, or the same signed value in a header or `vid` query (third-party iframes get no cookies). */
  const visitorOf = (req: IncomingMessage, url?: URL): string | undefined => {
    const header = req.headers[VISITOR_HEADER];
    return (
      identity.verify(readCookie(req.headers.cookie, VISITOR_COOKIE)) ??
      identity.verify(typeof header === 'string' ? header : undefined) ??
      identity.verify(url?.searchParams.get('vid') ?? undefined)
    );
  };
  const urlOf = (req: Request): URL => new URL(req.originalUrl, 'http://localhost');

  const sockets = new WebChatSockets({
    sink: deps.sink, bus: deps.bus, history: deps.history, identity, uploads,
    customerTokenSecret: deps.customerTokenSecret, visitorOf, heartbeatMs: deps.heartbeatMs,
  });

  const router = express.Router();

  router.get('/chat', async (req: Request, res: Response, next: NextFunction) => {
    try {
      chatHtml ??= readFile(join(publicDir, 'chat.html'), 'utf8');
      // Only the cookie counts here: taking a visitor id from the link would let anyone plant their
      // own id in someone else's browser and read that person's chat (session fixation).
      const known = identity.verify(readCookie(req.headers.cookie, VISITOR_COOKIE));
      const signed = known ? identity.sign(known) : identity.newVisitor().cookieValue;
      res.cookie(VISITOR_COOKIE, signed, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: ONE_YEAR_S * 1000 });
      res.setHeader('Content-Security-Policy', CHAT_CSP);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', 'no-store');
      // a new visitor in an iframe may be a returning one whose cookie the browser withheld: the page then prefers its stored id
      res.type('html').send((await chatHtml).replace('__SD_VISITOR__', escapeAttr(signed)).replace('__SD_VISITOR_NEW__', known ? '0' : '1').replace('__SD_UPLOAD_MAX__', String(deps.uploadMaxBytes)));
    } catch (err) {
      chatHtml = undefined;
      next(err);
    }
  });

  router.get('/widget.js', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type('application/javascript').sendFile(join(publicDir, 'widget.js'));
  });

  router.use('/chat/assets', express.static(publicDir, { index: false, maxAge: '5m', setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff') }));

  router.post('/api/webchat/uploads', async (req: Request, res: Response, next: NextFunction) => {
    const visitorId = visitorOf(req);
    if (!visitorId) {
      req.resume();
      return next(new AppError('UNAUTHORIZED', 'upload without a visitor', { userMessage: 'Open the chat page before uploading' }));
    }
    try {
      await uploads.handleUpload(req, res, next, visitorId);
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/webchat/uploads/:id', async (req: Request, res: Response, next: NextFunction) => {
    try {
      await uploads.handleDownload(req, res, next, visitorOf(req, urlOf(req)));
    } catch (err) {
      next(err);
    }
  });

  return {
    router,
    attach: (server) => sockets.attach(server),
    close: () => sockets.close(),
    staffImages: {
      // a signed-in thread is `<visitorId>~<hash>`: the browser (visitor) owns what is shown in it
      store: (threadId, bytes, declaredType) => uploads.storeFor(threadId.split('~')[0], bytes, declaredType),
      open: (url) => uploads.openForStaff(url),
    },
  };
}
