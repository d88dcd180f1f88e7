import type { IncomingMessage } from 'node:http';
import { isLoopback } from '../../shared/client-address.js';

/**
 * Cross-site WebSocket hijacking defence: a browser always sends `Origin` with a WebSocket
 * handshake (and with fetch POSTs), and a page on another site — or on another port of the same
 * host — must not open the chat socket with the visitor's credentials. Allowed: the page's own
 * origin (the host the request was sent to; a loopback reverse proxy's X-Forwarded-Host counts),
 * and origins the shop configured (WEBCHAT_ALLOWED_ORIGINS). No Origin at all is a non-browser
 * client, which has no victim's cookies to abuse; "null" (sandboxed frames, file:) is refused.
 */
export function normaliseOrigin(origin: string): string | undefined {
  try {
    const u = new URL(origin);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return `${u.protocol}//${u.host}`;
  } catch {
    return undefined;
  }
}

function requestHost(req: IncomingMessage): string | undefined {
  const forwarded = req.headers['x-forwarded-host'];
  const host = isLoopback(req.socket.remoteAddress) && typeof forwarded === 'string' ? forwarded.split(',')[0].trim() : req.headers.host;
  if (!host) return undefined;
  try {
    return new URL(`http://${host}`).host;
  } catch {
    return undefined;
  }
}

export function originAllowed(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const o = normaliseOrigin(origin);
  if (!o) return false;
  if (allowedOrigins.includes(o)) return true;
  const host = requestHost(req);
  return host !== undefined && new URL(o).host === host;
}
