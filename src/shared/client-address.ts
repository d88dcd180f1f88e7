import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * Which network client sent a request. A reverse proxy on this machine (loopback) is believed
 * about the client it forwards (the last address in X-Forwarded-For, which the proxy appended);
 * anyone else's forwarding headers are ignored. This matches express's `trust proxy: loopback`.
 */
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Headers that mean "this request was relayed for someone else". Any of them on a loopback
 * connection means the real caller is elsewhere: `X-Real-IP` alone counts (nginx sets only it
 * with `proxy_set_header X-Real-IP $remote_addr`).
 */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-host', 'x-client-ip', 'true-client-ip', 'cf-connecting-ip', 'x-cluster-client-ip', 'fastly-client-ip'];

export function isLoopback(address: string | undefined): boolean {
  return LOOPBACK.has(address ?? '');
}

/** True only for a caller on this machine that is not relaying someone else's request. */
export function isDirectLoopbackCall(req: IncomingMessage): boolean {
  return isLoopback(req.socket.remoteAddress) && FORWARDING_HEADERS.every((h) => req.headers[h] === undefined);
}

/** The client's IP address as far as we can trust it (see above). */
export function clientAddress(req: IncomingMessage): string {
  const remote = req.socket.remoteAddress ?? 'unknown';
  if (!isLoopback(remote)) return remote;
  const xff = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(xff) ? xff.join(',') : (xff ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
  const last = hops.at(-1);
  if (last && isIP(last.replace(/^\[|\]$/g, ''))) return last;
  const real = req.headers['x-real-ip'];
  if (typeof real === 'string' && isIP(real.trim())) return real.trim();
  return remote;
}

/**
 * An opaque, stable key for a client address (keyed hash): abuse limits count per client
 * without storing the address itself. IPv6 clients are keyed by their /64, which one
 * subscriber usually gets whole.
 */
export function clientKeyOf(address: string, secret: string): string {
  const net = isIP(address) === 6 && !address.startsWith('::ffff:') ? address.split(':').slice(0, 4).join(':') : address.replace(/^::ffff:/, '');
  return createHmac('sha256', secret).update(`client:${net}`).digest('base64url').slice(0, 22);
}
