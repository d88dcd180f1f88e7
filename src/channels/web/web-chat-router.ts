import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from 'node:http';
import express, { type Request, type Response, type NextFunction } from 'express';
import { AppError } from '../../shared/app-error.js';
import { clientAddress, clientKeyOf } from '../../shared/client-address.js';
import { IMAGE_TYPES, type MediaStore } from '../../shared/media-types.js';
import type { MessageBus } from '../../shared/message-bus.js';
import type { InboundSink } from '../../shared/message-types.js';
import type { RateLimiter } from '../../shared/rate-limiter.js';
import { closeAfterResponse, readLimitedBody } from '../../shared/read-limited-body.js';
import { webPublicDir } from './public-dir.js';
import type { HistoryItem } from './web-chat-encode.js';
import { uploadSlowDownText, type WebChatLimits } from './web-chat-limits.js';
import { normaliseOrigin, originAllowed } from './web-chat-origin.js';
import { createSessionHandler } from './web-chat-session.js';
import { WebChatSockets } from './web-chat-socket.js';
import { WebChatTickets } from './web-chat-tickets.js';
import { VisitorIdentity } from './visitor-identity.js';
import type { VisitorThreadStore } from './visitor-sessions.js';

export interface WebChatRouterDeps {
  sink: InboundSink;
  bus: MessageBus;
  /** The thread's messages, oldest first; the router sends the last 50. */
  history: (threadId: string) => Promise<HistoryItem[]>;
  /** Signs visitor credentials and tickets: WEBCHAT_SECRET, or a per-install secret kept under DATA_DIR. */
  secret: string;
  customerTokenSecret?: string;
  /** Longest customer-token lifetime accepted (CUSTOMER_TOKEN_MAX_TTL_SECONDS). */
  customerTokenMaxTtlS?: number;
  visitors: VisitorThreadStore;
  media: MediaStore;
  limiter: RateLimiter;
  limits: WebChatLimits;
  /** Origins besides the chat's own allowed to open the socket and call its API (WEBCHAT_ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
  /** Sites allowed to show /chat in a frame, besides the chat's own (WEBCHAT_FRAME_ANCESTORS). */
  frameAncestors?: readonly string[];
  /** Largest image a customer may send in the chat (UPLOAD_MAX_BYTES; the media store may allow more for other channels). */
  uploadMaxBytes?: number;
  /** Ping interval of the socket heartbeat (default 30 s). */
  heartbeatMs?: number;
}

const UPLOAD_TICKET_HEADER = 'x-shopdesk-upload';

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The page's CSP: only its own scripts run; only the chat's own origin and the listed sites may frame it. */
export function chatCsp(frameAncestors: readonly string[]): string {
  const ancestors = ["'self'", ...frameAncestors].join(' ');
  return `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors ${ancestors}`;
}

/**
 * The web chat channel's HTTP side: the hosted page (/chat), the embeddable widget (/widget.js),
 * its assets, the session endpoint that hands out short-lived tickets, image uploads into the
 * media store, and the WebSocket /ws/chat once `attach(server)` is called.
 */
export function createWebChatRouter(deps: WebChatRouterDeps): { router: express.Router; attach(server: Server): void; close(): Promise<void> } {
  const identity = new VisitorIdentity(deps.secret);
  const tickets = new WebChatTickets(deps.secret);
  const allowedOrigins = (deps.allowedOrigins ?? []).map((o) => normaliseOrigin(o)).filter((o): o is string => Boolean(o));
  const frameAncestors = (deps.frameAncestors ?? []).map((o) => normaliseOrigin(o)).filter((o): o is string => Boolean(o));
  const uploadMax = Math.min(deps.uploadMaxBytes ?? deps.media.limits.maxBytes, deps.media.limits.maxBytes);
  const publicDir = webPublicDir();
  let chatHtml: Promise<string> | undefined;

  const sockets = new WebChatSockets({
    sink: deps.sink, bus: deps.bus, history: deps.history, tickets, visitors: deps.visitors, media: deps.media,
    limiter: deps.limiter, limits: deps.limits, allowedOrigins, heartbeatMs: deps.heartbeatMs,
  });
  const sameOrigin = (req: Request, _res: Response, next: NextFunction): void => {
    if (originAllowed(req, allowedOrigins)) return next();
    req.resume();
    next(new AppError('FORBIDDEN', 'cross-origin request to the web chat', { userMessage: 'This page may not use the chat' }));
  };

  const router = express.Router();

  router.get('/chat', async (_req: Request, res: Response, next: NextFunction) => {
    try {
      chatHtml ??= readFile(join(publicDir, 'chat.html'), 'utf8');
      res.setHeader('Content-Security-Policy', chatCsp(frameAncestors));
      if (frameAncestors.length === 0) res.setHeader('X-Frame-Options', 'SAMEORIGIN');
      // the page address may carry a customer token: never send it on to anyone
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send((await chatHtml).replace('__SD_UPLOAD_MAX__', escapeAttr(String(uploadMax))));
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

  router.post('/api/webchat/session', sameOrigin, express.json({ limit: '16kb' }), createSessionHandler({
    identity, tickets, visitors: deps.visitors, bus: deps.bus, limiter: deps.limiter, limits: deps.limits, secret: deps.secret,
    customerTokenSecret: deps.customerTokenSecret, customerTokenMaxTtlS: deps.customerTokenMaxTtlS, uploadMaxBytes: uploadMax,
  }));

  router.post('/api/webchat/uploads', sameOrigin, async (req: Request, res: Response, next: NextFunction) => {
    try {
      const header = req.headers[UPLOAD_TICKET_HEADER];
      const session = tickets.verify('upload', typeof header === 'string' ? header : undefined);
      const visitor = session ? await deps.visitors.visitor(session.visitorId) : undefined;
      if (!session || !visitor || visitor.revoked) {
        closeAfterResponse(req, res);
        return next(new AppError('UNAUTHORIZED', 'upload without a valid ticket', { userMessage: 'Open the chat page before uploading' }));
      }
      const declared = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (!(IMAGE_TYPES as readonly string[]).includes(declared)) {
        closeAfterResponse(req, res);
        return next(new AppError('UNSUPPORTED_MEDIA_TYPE', `upload type ${declared || 'missing'}`, { userMessage: 'Only JPEG, PNG, GIF or WebP images can be sent' }));
      }
      const browser = session.browserId ?? session.visitorId;
      const ip = session.clientKey ?? clientKeyOf(clientAddress(req), deps.secret);
      const limited = async (key: string, rule: WebChatLimits['uploadsPerVisitor'], cost = 1): Promise<boolean> => {
        const d = await deps.limiter.consume(key, rule, cost);
        if (d.allowed) return false;
        closeAfterResponse(req, res);
        next(new AppError('RATE_LIMITED', `upload limit ${key.split(':')[2]}`, { userMessage: uploadSlowDownText(session.locale, d.retryAfterMs), details: { retryAfterMs: d.retryAfterMs } }));
        return true;
      };
      if (await limited(`webchat:up:b:${browser}`, deps.limits.uploadsPerVisitor)) return;
      const body = await readLimitedBody(req, uploadMax);
      if (!body.ok) {
        closeAfterResponse(req, res);
        const limit = uploadMax;
        const size = limit >= 1024 * 1024 ? `${+(limit / 1024 / 1024).toFixed(1)} MB` : `${Math.round(limit / 1024)} KB`;
        return next(new AppError('PAYLOAD_TOO_LARGE', `upload over ${limit} bytes`, { userMessage: `The image is too large (at most ${size})` }));
      }
      if (await limited(`webchat:upbytes:b:${browser}`, deps.limits.uploadBytesPerVisitor, body.bytes.length)) return;
      if (await limited(`webchat:upbytes:ip:${ip}`, deps.limits.uploadBytesPerIp, body.bytes.length)) return;
      const put = await deps.media.put({ bytes: body.bytes, declaredType: declared, owner: { channel: 'web', threadId: session.threadId, uploadedBy: 'customer' }, allow: IMAGE_TYPES });
      if (!put.ok) {
        const code = put.reason === 'too_large' ? 'PAYLOAD_TOO_LARGE' : put.reason === 'dimensions_too_large' ? 'IMAGE_TOO_LARGE' : 'UNSUPPORTED_MEDIA_TYPE';
        return next(new AppError(code, `upload refused: ${put.reason}`, { userMessage: put.message }));
      }
      res.status(201).json({ uploadId: put.media.id, url: deps.media.urlFor(put.media.id, { kind: 'customer', channel: 'web', threadId: session.threadId }) });
    } catch (err) {
      next(err);
    }
  });

  // images sent before the media store: their stored addresses lead to the same object there
  router.get('/api/webchat/uploads/:id', (req: Request, res: Response) => {
    const q = req.originalUrl.indexOf('?');
    res.redirect(308, `${deps.media.pathOf(String(req.params.id).replace(/[^a-f0-9]/g, ''))}${q >= 0 ? req.originalUrl.slice(q) : ''}`);
  });

  return {
    router,
    attach: (server) => sockets.attach(server),
    close: () => sockets.close(),
  };
}
