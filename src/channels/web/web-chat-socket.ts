import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { logger } from '../../shared/logger.js';
import { webchatTopic, type MessageBus } from '../../shared/message-bus.js';
import type { InboundSink } from '../../shared/message-types.js';
import { cleanLocale, decodeClientFrame, toInboundMessage, type ClientFrame, type WebChatSession, signedInThreadId } from './web-chat-decode.js';
import { encodeAck, encodeError, encodeHistory, parseBusReply, serialise, type HistoryItem, type ServerFrame } from './web-chat-encode.js';
import type { UploadStore } from './web-chat-uploads.js';
import { verifyCustomerToken, type VisitorIdentity } from './visitor-identity.js';

const log = logger('channels.web');
export const WS_PATH = '/ws/chat';
// 20,000 characters of 4-byte emoji plus JSON escaping; the text limit itself is checked on decode
const MAX_PAYLOAD = 256 * 1024;

export interface WebChatSocketDeps {
  sink: InboundSink;
  bus: MessageBus;
  history: (threadId: string) => Promise<HistoryItem[]>;
  identity: VisitorIdentity;
  uploads: UploadStore;
  customerTokenSecret?: string;
  /** Visitor id from the upgrade request (cookie or signed `vid` query), undefined to refuse. */
  visitorOf: (req: IncomingMessage, url: URL) => string | undefined;
  heartbeatMs?: number;
  now?: () => Date;
}

function send(ws: WebSocket, frame: ServerFrame): void {
  if (ws.readyState === ws.OPEN) ws.send(serialise(frame));
}

/** The live side of web chat: one socket per open chat tab, fed from the message bus. */
export class WebChatSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  private readonly alive = new WeakSet<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly servers: { server: Server; onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void }[] = [];
  /** Each open socket's thread, to resend history after the bus missed messages. */
  private readonly threads = new Map<WebSocket, string>();

  constructor(private readonly deps: WebChatSocketDeps) {
    // replies published while the bus was reconnecting never reached this process: the browser
    // drops what it has already shown, by id
    deps.bus.onResubscribed?.(() => {
      for (const [ws, threadId] of this.threads) {
        this.sendHistory(ws, threadId).catch((err: unknown) => log.warn({ err: (err as Error).message }, 'history resend after bus reconnect failed'));
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
      const visitorId = this.deps.visitorOf(req, url);
      if (!visitorId) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        void this.open(ws, this.sessionOf(visitorId, url));
      });
    };
    server.on('upgrade', onUpgrade);
    this.servers.push({ server, onUpgrade });
  }

  private sessionOf(visitorId: string, url: URL): WebChatSession & { tokenRejected?: string } {
    const session: WebChatSession & { tokenRejected?: string } = { visitorId, threadId: visitorId, locale: cleanLocale(url.searchParams.get('locale')) };
    const token = url.searchParams.get('token');
    if (token && this.deps.customerTokenSecret) {
      const r = verifyCustomerToken(token, this.deps.customerTokenSecret, this.now());
      if (r.ok) {
        const { sub, phone, email, name } = r.customer;
        session.verified = { customerRef: sub, ...(phone ? { phone } : {}), ...(email ? { email } : {}) };
        session.threadId = signedInThreadId(visitorId, sub);
        if (name) session.displayName = name;
      } else session.tokenRejected = r.reason;
    } else if (token) session.tokenRejected = 'not_configured';
    return session;
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private async open(ws: WebSocket, session: WebChatSession & { tokenRejected?: string }): Promise<void> {
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    // frames are handled one at a time so acks come back in the order messages were sent
    let chain = Promise.resolve();
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      chain = chain.then(() => this.onFrame(ws, session, data, isBinary)).catch((err: unknown) => {
        // the browser is told; an unacked message stays pending there and is resent
        log.error({ err: (err as Error).message }, 'web chat frame failed');
        send(ws, encodeError('unavailable', 'Something went wrong; please try again'));
      });
    });
    ws.on('error', (err) => log.debug({ err: err.message }, 'web chat socket error'));
    // subscribe before reading history, so a reply committed in between is not lost (the browser drops duplicates by id)
    let unsubscribe: (() => Promise<void>) | undefined;
    this.threads.set(ws, session.threadId);
    ws.on('close', () => {
      this.threads.delete(ws);
      unsubscribe?.().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'bus unsubscribe failed; the subscription ends with the connection'));
    });
    try {
      unsubscribe = await this.deps.bus.subscribe(webchatTopic(session.threadId), (data) => {
        const reply = parseBusReply(data);
        if (!reply) return;
        send(ws, { type: 'typing', on: false });
        send(ws, reply);
      });
      if (ws.readyState !== ws.OPEN) await unsubscribe();
      if (session.tokenRejected) send(ws, encodeError('customer_token_rejected', `The customer token was not accepted (${session.tokenRejected}); chatting as a guest`));
      await this.sendHistory(ws, session.threadId);
    } catch (err) {
      log.error({ err: (err as Error).message }, 'web chat socket setup failed');
      send(ws, encodeError('unavailable', 'The chat is temporarily unavailable; reconnecting'));
      ws.close(1011, 'unavailable');
    }
  }

  private async sendHistory(ws: WebSocket, threadId: string): Promise<void> {
    send(ws, encodeHistory(await this.deps.history(threadId)));
  }

  private async onFrame(ws: WebSocket, session: WebChatSession, data: Buffer, isBinary: boolean): Promise<void> {
    const r = decodeClientFrame(data, isBinary);
    if (!r.ok) {
      send(ws, encodeError(r.code, r.message, clientMessageIdOf(data, isBinary)));
      return;
    }
    const frame = r.frame;
    if (frame.type === 'typing') return; // the customer's own typing: nobody to show it to yet
    if (frame.type === 'history') return this.sendHistory(ws, session.threadId);
    await this.acceptContent(ws, session, frame);
  }

  private async acceptContent(ws: WebSocket, session: WebChatSession, frame: Exclude<ClientFrame, { type: 'typing' | 'history' }>): Promise<void> {
    let upload;
    if (frame.type === 'attachment') {
      upload = await this.deps.uploads.find(frame.uploadId, session.visitorId);
      if (!upload) {
        send(ws, encodeError('upload_not_found', 'The image was not found; upload it again', frame.clientMessageId));
        return;
      }
    }
    let accepted: { messageId: number; duplicate: boolean };
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
    if (!accepted.duplicate) send(ws, { type: 'typing', on: true });
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
