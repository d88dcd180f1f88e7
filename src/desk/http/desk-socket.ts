import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Crm } from '../../crm/index.js';
import { logger } from '../../shared/logger.js';
import type { MessageBus } from '../../shared/message-bus.js';
import type { StaffAuth, StaffPrincipal } from '../auth/staff-auth.js';
import { authenticateRequest, originAllowed } from '../auth/staff-auth-middleware.js';
import { DESK_TOPIC } from '../notifiers/desk-live-notifier.js';

const log = logger('desk.socket');
export const DESK_WS_PATH = '/ws/desk';

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The desk's live channel (`/ws/desk`): notifications from the staff outbox (via the message
 * bus, so any web process serves any staff member), and presence — an open desk keeps its staff
 * member "seen". The upgrade needs a valid desk session and an Origin of this server; the session
 * is checked again on every heartbeat, so a revoked one is cut off within one interval.
 */
export class DeskSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  private readonly who = new Map<WebSocket, { principal: StaffPrincipal; cookie: IncomingMessage }>();
  private readonly heartbeat: NodeJS.Timeout;
  private unsubscribe?: Promise<() => Promise<void>>;
  private readonly servers: { server: Server; onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void }[] = [];

  constructor(private readonly deps: { crm: Crm; auth: StaffAuth; bus: MessageBus; allowedOrigins: string[]; heartbeatMs?: number }) {
    this.heartbeat = setInterval(() => void this.beat(), deps.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  attach(server: Server): void {
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      if (new URL(req.url ?? '/', 'http://localhost').pathname !== DESK_WS_PATH) return;
      if (!originAllowed(req, this.deps.allowedOrigins)) return refuse(socket, '403 Forbidden');
      authenticateRequest(this.deps.auth, req).then((r) => {
        // the desk socket is for browsers with a session; tokens are for the JSON API
        if (!r.ok || r.via !== 'session' || r.session.mustChangePassword) return refuse(socket, '401 Unauthorized');
        this.wss.handleUpgrade(req, socket, head, (ws) => void this.open(ws, r.principal, req));
      }, (err: unknown) => {
        log.error({ err: (err as Error).message }, 'desk socket authentication failed');
        refuse(socket, '503 Service Unavailable');
      });
    };
    server.on('upgrade', onUpgrade);
    this.servers.push({ server, onUpgrade });
  }

  private async open(ws: WebSocket, principal: StaffPrincipal, req: IncomingMessage): Promise<void> {
    this.who.set(ws, { principal, cookie: req });
    ws.on('close', () => this.who.delete(ws));
    ws.on('error', (err) => log.debug({ err: err.message }, 'desk socket error'));
    ws.on('message', () => undefined); // the desk only listens; actions go through the JSON API
    try {
      this.unsubscribe ??= this.deps.bus.subscribe(DESK_TOPIC, (data) => this.broadcast(data));
      await this.unsubscribe;
      await this.deps.crm.staff.touch(principal.staffId);
      ws.send(JSON.stringify({ type: 'hello', staffId: principal.staffId }));
    } catch (err) {
      log.error({ err: (err as Error).message }, 'desk socket setup failed');
      ws.close(1011, 'unavailable');
    }
  }

  private broadcast(data: unknown): void {
    const text = JSON.stringify(data);
    for (const ws of this.who.keys()) if (ws.readyState === ws.OPEN) ws.send(text);
  }

  /** Keeps open desks "seen" and drops sockets whose session ended. */
  private async beat(): Promise<void> {
    for (const [ws, { principal, cookie }] of [...this.who]) {
      try {
        const r = await authenticateRequest(this.deps.auth, cookie);
        if (!r.ok) {
          ws.close(4401, 'signed out');
          continue;
        }
        await this.deps.crm.staff.touch(principal.staffId);
        ws.ping();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'desk heartbeat failed; retried next beat');
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const { server, onUpgrade } of this.servers) server.off('upgrade', onUpgrade);
    for (const ws of this.wss.clients) ws.terminate();
    await (await this.unsubscribe?.catch(() => undefined))?.().catch(() => undefined);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
