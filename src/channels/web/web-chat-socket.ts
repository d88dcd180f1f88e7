import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { logger } from '../../shared/logger.js';
import type { MediaStore } from '../../shared/media-types.js';
import { webchatTopic, type MessageBus } from '../../shared/message-bus.js';
import type { InboundSink } from '../../shared/message-types.js';
import { InProcessRateLimiter, type RateLimiter } from '../../shared/rate-limiter.js';
import { decodeClientFrame, toInboundMessage, type ClientFrame, type WebChatSession } from './web-chat-decode.js';
import { encodeAck, encodeError, encodeHistory, parseBusControl, parseBusReply, serialise, signMediaUrls, type HistoryItem, type ServerFrame } from './web-chat-encode.js';
import { slowDownText, type WebChatLimits } from './web-chat-limits.js';
import { originAllowed } from './web-chat-origin.js';
import type { WebChatTickets } from './web-chat-tickets.js';
import type { VisitorThreadStore } from './visitor-sessions.js';

const log = logger('channels.web');
export const WS_PATH = '/ws/chat';
// 20,000 characters of 4-byte emoji plus JSON escaping; the text limit itself is checked on decode
const MAX_PAYLOAD = 256 * 1024;
/** A socket that keeps sending after this many refused frames in a row is closed. */
const MAX_REFUSED_IN_A_ROW = 50;

export interface WebChatSocketDeps {
  sink: InboundSink;
  bus: MessageBus;
  history: (threadId: string) => Promise<HistoryItem[]>;
  tickets: WebChatTickets;
  visitors: VisitorThreadStore;
  media: MediaStore;
  limiter: RateLimiter;
  limits: WebChatLimits;
  /** Origins besides the chat's own that may open the socket (WEBCHAT_ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
  heartbeatMs?: number;
  now?: () => Date;
}

function send(ws: WebSocket, frame: ServerFrame): void {
  if (ws.readyState === ws.OPEN) ws.send(serialise(frame));
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

interface Connection {
  id: string;
  session: WebChatSession;
  refusedInARow: number;
}

/** The live side of web chat: one socket per open chat tab, fed from the message bus. */
/** How many reply ids a socket remembers to drop a re-sent copy (far more than one burst's replies). */
const PUSHED_IDS_KEPT = 2_000;

export class WebChatSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  private readonly alive = new WeakSet<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly servers: { server: Server; onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void }[] = [];
  /** Per-connection buckets: local to the socket, so never shared. */
  private readonly local = new InProcessRateLimiter();
  private readonly openPerBrowser = new Map<string, number>();
  /** Each open socket's session, to resend history after the bus missed messages. */
  private readonly threads = new Map<WebSocket, WebChatSession>();

  constructor(private readonly deps: WebChatSocketDeps) {
    // replies published while the bus was reconnecting never reached this process: the browser
    // drops what it has already shown, by id
    deps.bus.onResubscribed?.(() => {
      for (const [ws, session] of this.threads) {
        this.sendHistory(ws, session).catch((err: unknown) => log.warn({ err: (err as Error).message }, 'history resend after bus reconnect failed'));
      }
    });
    // a socket that missed a whole ping interval is dead (phone slept, proxy dropped it)
    this.heartbeat = setInterval(() => {
      for (const ws of this.wss.clients) {
        if (!this.alive.has(ws)) {
          ws.terminate();
          continue;
        }
        this.alive.delete(ws);
        ws.ping();
      }
    }, deps.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  attach(server: Server): void {
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== WS_PATH) return; // another upgrade handler's path
      void this.upgrade(req, socket, head, url).catch((err: unknown) => {
        log.error({ err: (err as Error).message }, 'web chat upgrade failed');
        refuse(socket, '503 Service Unavailable');
      });
    };
    server.on('upgrade', onUpgrade);
    this.servers.push({ server, onUpgrade });
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
    // a page on another site or port must not open the visitor's chat (cross-site WebSocket hijacking)
    if (!originAllowed(req, this.deps.allowedOrigins)) return refuse(socket, '403 Forbidden');
    const session = this.deps.tickets.verify('ws', url.searchParams.get('ticket'));
    if (!session) return refuse(socket, '401 Unauthorized');
    const visitor = await this.deps.visitors.visitor(session.visitorId);
    if (!visitor || visitor.revoked) return refuse(socket, '401 Unauthorized');
    const browser = session.browserId ?? session.visitorId;
    const l = this.deps.limits;
    for (const [key, rule] of [[`webchat:sock:b:${browser}`, l.socketsPerVisitor], [`webchat:sock:ip:${session.clientKey ?? 'none'}`, l.socketsPerIp]] as const) {
      if (!(await this.deps.limiter.consume(key, rule)).allowed) return refuse(socket, '429 Too Many Requests');
    }
    if ((this.openPerBrowser.get(browser) ?? 0) >= l.openSocketsPerVisitor) return refuse(socket, '429 Too Many Requests');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      void this.open(ws, { id: randomUUID(), session, refusedInARow: 0 }, browser);
    });
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private async open(ws: WebSocket, conn: Connection, browser: string): Promise<void> {
    const { session } = conn;
    this.openPerBrowser.set(browser, (this.openPerBrowser.get(browser) ?? 0) + 1);
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    // frames are handled one at a time so acks come back in the order messages were sent
    let chain = Promise.resolve();
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      chain = chain.then(() => this.onFrame(ws, conn, data, isBinary)).catch((err: unknown) => {
        // the browser is told; an unacked message stays pending there and is resent
        log.error({ err: (err as Error).message }, 'web chat frame failed');
        send(ws, encodeError('unavailable', 'Something went wrong; please try again'));
      });
    });
    ws.on('error', (err) => log.debug({ err: err.message }, 'web chat socket error'));
    // a signed-in session ends with its customer token: the page reconnects and signs in again
    const expiry = session.signedInUntil ? setTimeout(() => ws.close(4001, 'sign-in expired'), Math.max(0, session.signedInUntil - this.now().getTime())) : undefined;
    expiry?.unref();
    let unsubscribe: (() => Promise<void>) | undefined;
    this.threads.set(ws, session);
    // delivery is at least once (a worker killed between sending and marking a reply sent sends it
    // again after recovery): a reply id this socket has already carried is not pushed twice
    const pushed = new Set<string>();
    const firstTime = (id: string): boolean => {
      if (pushed.has(id)) return false;
      pushed.add(id);
      if (pushed.size > PUSHED_IDS_KEPT) pushed.delete(pushed.values().next().value as string);
      return true;
    };
    ws.on('close', () => {
      clearTimeout(expiry);
      const n = (this.openPerBrowser.get(browser) ?? 1) - 1;
      if (n > 0) this.openPerBrowser.set(browser, n);
      else this.openPerBrowser.delete(browser);
      this.threads.delete(ws);
      unsubscribe?.().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'bus unsubscribe failed; the subscription ends with the connection'));
    });
    try {
      // subscribe before reading history, so a reply committed in between is not lost (the browser drops duplicates by id)
      unsubscribe = await this.deps.bus.subscribe(webchatTopic(session.threadId), (data) => {
        const control = parseBusControl(data);
        if (control) {
          if (control.visitorId === session.visitorId) {
            send(ws, encodeError('session_replaced', 'This chat was signed in elsewhere; reconnecting'));
            ws.close(4001, 'session replaced');
          }
          return;
        }
        const reply = parseBusReply(data);
        if (!reply || !firstTime(reply.id)) return;
        send(ws, { type: 'typing', on: false });
        send(ws, { ...reply, message: signMediaUrls(reply.message, (id) => this.mediaUrl(session, id)) });
      });
      if (ws.readyState !== ws.OPEN) await unsubscribe();
      await this.sendHistory(ws, session);
    } catch (err) {
      log.error({ err: (err as Error).message }, 'web chat socket setup failed');
      send(ws, encodeError('unavailable', 'The chat is temporarily unavailable; reconnecting'));
      ws.close(1011, 'unavailable');
    }
  }

  private mediaUrl(session: WebChatSession, mediaId: string): string {
    return this.deps.media.urlFor(mediaId, { kind: 'customer', channel: 'web', threadId: session.threadId });
  }

  private async sendHistory(ws: WebSocket, session: WebChatSession): Promise<void> {
    const items = (await this.deps.history(session.threadId)).map((item) => {
      const signed: HistoryItem = { ...item, message: signMediaUrls(item.message, (id) => this.mediaUrl(session, id)) };
      if (item.mediaId) signed.imageUrl = this.mediaUrl(session, item.mediaId);
      return signed;
    });
    send(ws, encodeHistory(items));
  }

  private async onFrame(ws: WebSocket, conn: Connection, data: Buffer, isBinary: boolean): Promise<void> {
    // frames still queued when the socket closed (or was closed for flooding) are not stored: nobody could be told
    if (ws.readyState !== ws.OPEN) return;
    const r = decodeClientFrame(data, isBinary);
    if (r.ok && r.frame.type === 'typing') return; // the customer's own typing: nobody to show it to yet
    const clientMessageId = r.ok ? ('clientMessageId' in r.frame ? r.frame.clientMessageId : undefined) : clientMessageIdOf(data, isBinary);
    const limited = await this.overLimit(conn, r.ok && r.frame.type !== 'history');
    if (limited) {
      send(ws, encodeError('rate_limited', slowDownText(conn.session.locale, limited), clientMessageId, limited));
      if (++conn.refusedInARow >= MAX_REFUSED_IN_A_ROW) ws.close(1008, 'too many messages');
      return;
    }
    conn.refusedInARow = 0;
    if (!r.ok) {
      send(ws, encodeError(r.code, r.message, clientMessageId));
      return;
    }
    const frame = r.frame;
    if (frame.type === 'history') return this.sendHistory(ws, conn.session);
    if (frame.type === 'typing') return;
    await this.acceptContent(ws, conn.session, frame);
  }

  /**
   * Every frame counts against the connection; a message also against the visitor and the IP.
   * Returns how long to wait when over a limit, else 0. The connection is checked first and
   * locally, so a flooding socket costs no shared round trips once it is over.
   */
  private async overLimit(conn: Connection, isContent: boolean): Promise<number> {
    const l = this.deps.limits;
    const own = this.local.consumeNow(`conn:${conn.id}`, l.messagesPerConnection);
    if (!own.allowed) return own.retryAfterMs;
    if (!isContent) return 0;
    const s = conn.session;
    for (const [key, rule] of [[`webchat:msg:b:${s.browserId ?? s.visitorId}`, l.messagesPerVisitor], [`webchat:msg:ip:${s.clientKey ?? 'none'}`, l.messagesPerIp]] as const) {
      const d = await this.deps.limiter.consume(key, rule);
      if (!d.allowed) return d.retryAfterMs;
    }
    return 0;
  }

  private async acceptContent(ws: WebSocket, session: WebChatSession, frame: Exclude<ClientFrame, { type: 'typing' | 'history' }>): Promise<void> {
    let upload;
    if (frame.type === 'attachment') {
      const media = await this.deps.media.get(frame.uploadId);
      // only the thread's own uploads: an id seen elsewhere cannot be attached to another conversation
      if (!media || media.owner.channel !== 'web' || media.owner.threadId !== session.threadId || media.owner.uploadedBy !== 'customer') {
        send(ws, encodeError('upload_not_found', 'The image was not found; upload it again', frame.clientMessageId));
        return;
      }
      upload = { mediaId: media.id, url: this.deps.media.pathOf(media.id), mimeType: media.mimeType, sizeBytes: media.sizeBytes };
    }
    let accepted: { messageId: number; duplicate: boolean; quiet?: boolean };
    try {
      accepted = await this.deps.sink.accept(toInboundMessage(frame, session, this.now(), upload));
    } catch (err) {
      // not acked, so the browser keeps the message and resends it
      log.warn({ err: (err as Error).message }, 'web chat message not stored');
      send(ws, encodeError('not_saved', 'The message could not be saved; retrying', frame.clientMessageId));
      return;
    }
    // acked only once stored: a lost socket after this point loses nothing
    send(ws, encodeAck(frame.clientMessageId, accepted.messageId));
    // no bot "typing" while a person has the chat: the bot will not answer
    if (!accepted.duplicate && !accepted.quiet) send(ws, { type: 'typing', on: true });
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const { server, onUpgrade } of this.servers) server.off('upgrade', onUpgrade);
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** Best effort, for error frames: lets the browser tie an error to the bubble it belongs to. */
function clientMessageIdOf(data: Buffer, isBinary: boolean): string | undefined {
  if (isBinary) return undefined;
  try {
    const v: unknown = JSON.parse(data.toString('utf8'));
    const id = typeof v === 'object' && v !== null && 'clientMessageId' in v ? (v as { clientMessageId: unknown }).clientMessageId : undefined;
    return typeof id === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
