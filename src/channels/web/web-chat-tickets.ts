import { z } from 'zod';
import { deriveKey, issuePurposeToken, verifyPurposeToken } from '../../shared/purpose-token.js';
import type { WebChatSession } from './web-chat-decode.js';

/**
 * Short-lived, purpose-bound tickets the session endpoint hands the page (issue 6 item 5): the
 * long-lived visitor credential never travels in a URL. A socket ticket opens one socket within
 * a minute; an upload ticket lets the page put images into its own thread for a quarter hour.
 * Both carry the session (thread, verified facts) signed, so the socket and upload routes need
 * no cookie.
 */
export const SOCKET_TICKET_TTL_MS = 60_000;
export const UPLOAD_TICKET_TTL_MS = 15 * 60_000;

const Facts = z.object({ customerRef: z.string().optional(), phone: z.string().optional(), email: z.string().optional() });
const SessionClaims = z.object({
  v: z.string(), b: z.string().optional(), th: z.string(), l: z.string().optional(), n: z.string().optional(),
  ver: Facts.optional(), as: Facts.pick({ phone: true, email: true }).optional(), ck: z.string().optional(), until: z.number().optional(),
});

export class WebChatTickets {
  private readonly key: string;

  constructor(secret: string, private readonly clock: () => number = Date.now) {
    this.key = deriveKey(secret, 'webchat-ticket');
  }

  private claims(s: WebChatSession): Record<string, string | number | Record<string, string | undefined> | undefined> {
    return { v: s.visitorId, b: s.browserId, th: s.threadId, l: s.locale, n: s.displayName, ver: s.verified, as: s.asserted, ck: s.clientKey, until: s.signedInUntil };
  }

  issue(purpose: 'ws' | 'upload', session: WebChatSession): string {
    const ttl = purpose === 'ws' ? SOCKET_TICKET_TTL_MS : UPLOAD_TICKET_TTL_MS;
    // a signed-in session's ticket never outlives the customer token
    const until = session.signedInUntil ? Math.min(ttl, session.signedInUntil - this.clock()) : ttl;
    return issuePurposeToken(this.key, `webchat-${purpose}`, this.claims(session), Math.max(1, until), this.clock());
  }

  verify(purpose: 'ws' | 'upload', token: string | null | undefined): WebChatSession | undefined {
    const raw = verifyPurposeToken(this.key, `webchat-${purpose}`, token, this.clock());
    const parsed = raw ? SessionClaims.safeParse(raw) : undefined;
    if (!parsed?.success) return undefined;
    const c = parsed.data;
    const session: WebChatSession = { visitorId: c.v, threadId: c.th };
    if (c.b) session.browserId = c.b;
    if (c.l) session.locale = c.l;
    if (c.n) session.displayName = c.n;
    if (c.ver) session.verified = c.ver;
    if (c.as) session.asserted = c.as;
    if (c.ck) session.clientKey = c.ck;
    if (c.until) session.signedInUntil = c.until;
    return session;
  }
}
