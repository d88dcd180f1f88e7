import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import { clientAddress, clientKeyOf } from '../../shared/client-address.js';
import { webchatTopic, type MessageBus } from '../../shared/message-bus.js';
import type { RateLimiter } from '../../shared/rate-limiter.js';
import { verifyCustomerToken, type CustomerTokenRejection, type SignedInCustomer } from './customer-token.js';
import { cleanLocale, type WebChatSession } from './web-chat-decode.js';
import { slowDownText, type WebChatLimits } from './web-chat-limits.js';
import { WS_PATH } from './web-chat-socket.js';
import { SOCKET_TICKET_TTL_MS, UPLOAD_TICKET_TTL_MS, type WebChatTickets } from './web-chat-tickets.js';
import { cookiePathsCovering, readCookies, VISITOR_COOKIE, VISITOR_COOKIE_SECURE, type VisitorIdentity } from './visitor-identity.js';
import { resolveBrowserThread, type VisitorThreadStore } from './visitor-sessions.js';

/** The page sends the credential it keeps in localStorage (bound to this exact origin) in this header. */
export const VISITOR_HEADER = 'x-shopdesk-visitor';
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

const SessionBody = z.object({
  locale: z.string().max(40).optional(),
  customerToken: z.string().max(8192).optional(),
});

export interface SessionHandlerDeps {
  identity: VisitorIdentity;
  tickets: WebChatTickets;
  visitors: VisitorThreadStore;
  bus: MessageBus;
  limiter: RateLimiter;
  limits: WebChatLimits;
  secret: string;
  customerTokenSecret?: string;
  customerTokenMaxTtlS?: number;
  uploadMaxBytes: number;
}

/**
 * POST /api/webchat/session — the page calls it on every (re)connect and gets a socket ticket, an
 * upload ticket and its credential. Which credential counts (session fixation, issue 6 item 4):
 *
 * 1. the `X-Shopdesk-Visitor` header, from the page's localStorage, which no other origin (not
 *    even another port of this host) can write;
 * 2. else the visitor cookie, but only when exactly one arrives: several (a page elsewhere on this
 *    host planted one for a narrower path) means trust none — a fresh visitor starts, and the
 *    cookies on every path this request could carry are expired;
 * 3. else a new visitor.
 *
 * A valid customer token signs the browser's conversation in and replaces the credential
 * (the conversation carries on; a planted copy of the old credential opens nothing any more).
 */
export function createSessionHandler(deps: SessionHandlerDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const parsed = SessionBody.safeParse(req.body ?? {});
      if (!parsed.success) return next(new AppError('VALIDATION_FAILED', 'bad session request', { userMessage: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }));
      const locale = cleanLocale(parsed.data.locale);
      const cookieName = req.secure ? VISITOR_COOKIE_SECURE : VISITOR_COOKIE;
      const cookies = [...new Set(readCookies(req.headers.cookie, cookieName))];
      const ambiguous = cookies.length > 1;
      const header = req.headers[VISITOR_HEADER];
      const credential = deps.identity.verify(typeof header === 'string' ? header : undefined) ?? (ambiguous ? undefined : deps.identity.verify(cookies[0]));
      const clientKey = clientKeyOf(clientAddress(req), deps.secret);

      const l = deps.limits;
      const checks: [string, WebChatLimits['socketsPerIp']][] = [[`webchat:session:ip:${clientKey}`, l.socketsPerIp]];
      if (!credential) checks.push([`webchat:newvisitor:ip:${clientKey}`, l.newVisitorsPerIp]);
      for (const [key, rule] of checks) {
        const d = await deps.limiter.consume(key, rule);
        if (!d.allowed) return next(new AppError('RATE_LIMITED', 'web chat session limit', { userMessage: slowDownText(locale, d.retryAfterMs), details: { retryAfterMs: d.retryAfterMs } }));
      }

      let signedIn: SignedInCustomer | undefined;
      let tokenRejected: CustomerTokenRejection | 'not_configured' | undefined;
      if (parsed.data.customerToken) {
        if (!deps.customerTokenSecret) tokenRejected = 'not_configured';
        else {
          const r = verifyCustomerToken(parsed.data.customerToken, deps.customerTokenSecret, new Date(), deps.customerTokenMaxTtlS);
          if (r.ok) signedIn = r.customer;
          else tokenRejected = r.reason;
        }
      }
      const resolved = await resolveBrowserThread(deps.visitors, credential, signedIn?.sub, () => deps.identity.newVisitor().visitorId);
      // sockets still open with the replaced credential (the planter's) close everywhere
      if (resolved.replacedVisitorId) await deps.bus.publish(webchatTopic(resolved.threadId), { type: 'session_revoked', visitorId: resolved.replacedVisitorId });

      const signed = deps.identity.sign(resolved.visitorId);
      const cookieOpts = { httpOnly: true, sameSite: 'lax' as const, secure: req.secure };
      if (ambiguous) for (const path of cookiePathsCovering(req.path)) res.cookie(cookieName, '', { ...cookieOpts, path, maxAge: 0 });
      res.cookie(cookieName, signed, { ...cookieOpts, path: '/', maxAge: ONE_YEAR_MS });

      const session: WebChatSession = { visitorId: resolved.visitorId, browserId: resolved.browserId, threadId: resolved.threadId, clientKey };
      if (locale) session.locale = locale;
      if (signedIn) {
        session.verified = signedIn.verified;
        if (signedIn.asserted) session.asserted = signedIn.asserted;
        if (signedIn.displayName) session.displayName = signedIn.displayName;
        session.signedInUntil = signedIn.expiresAt;
      }
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        visitor: signed,
        socketUrl: `${WS_PATH}?ticket=${encodeURIComponent(deps.tickets.issue('ws', session))}`,
        uploadTicket: deps.tickets.issue('upload', session),
        socketTicketTtlMs: SOCKET_TICKET_TTL_MS,
        uploadTicketTtlMs: UPLOAD_TICKET_TTL_MS,
        uploadMaxBytes: deps.uploadMaxBytes,
        signedIn: Boolean(signedIn),
        ...(tokenRejected ? { tokenRejected } : {}),
      });
    } catch (err) {
      next(err);
    }
  };
}
