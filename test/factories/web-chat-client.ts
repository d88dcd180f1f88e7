import { WebSocket } from 'ws';
import type { ServerFrame } from '../../src/channels/web/web-chat-encode.js';

/** What the session endpoint answers (src/channels/web/web-chat-session.ts). */
export interface SessionAnswer {
  visitor: string;
  socketUrl: string;
  uploadTicket: string;
  uploadMaxBytes: number;
  signedIn: boolean;
  tokenRejected?: string;
}

/**
 * A browser's side of the web chat protocol over real HTTP and WebSocket, as chat.js speaks it:
 * POST /api/webchat/session (credential in a header and/or cookies), then the socket ticket.
 */
export class ChatBrowser {
  /** The credential this "browser" keeps in localStorage. */
  stored?: string;
  /** Cookies this browser holds for the chat's host, sent as given. */
  cookieHeader?: string;

  constructor(readonly base: string) {}

  async session(opts: { token?: string; locale?: string; origin?: string; noHeader?: boolean; cookie?: string } = {}): Promise<{ status: number; body: SessionAnswer; setCookies: string[] }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.stored && !opts.noHeader) headers['x-shopdesk-visitor'] = this.stored;
    const cookie = opts.cookie ?? this.cookieHeader;
    if (cookie) headers.cookie = cookie;
    if (opts.origin) headers.origin = opts.origin;
    const r = await fetch(`${this.base}/api/webchat/session`, { method: 'POST', headers, body: JSON.stringify({ locale: opts.locale ?? 'zh-CN', ...(opts.token ? { customerToken: opts.token } : {}) }) });
    const body = (await r.json()) as SessionAnswer;
    if (r.ok) this.stored = body.visitor;
    return { status: r.status, body, setCookies: r.headers.getSetCookie() };
  }

  /** Opens a session and its socket, as the page does on every (re)connect. */
  async connect(opts: { token?: string; locale?: string; origin?: string } = {}): Promise<ChatSocket> {
    const s = await this.session(opts);
    if (s.status !== 200) throw new Error(`session ${s.status}: ${JSON.stringify(s.body)}`);
    return ChatSocket.open(this.base, s.body.socketUrl, opts.origin);
  }
}

/** A socket that records every frame and can wait for one. */
export class ChatSocket {
  readonly frames: ServerFrame[] = [];
  closeCode?: number;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => this.frames.push(JSON.parse(String(d)) as ServerFrame));
    ws.on('close', (code) => {
      this.closeCode = code;
    });
  }

  static async open(base: string, socketUrl: string, origin?: string): Promise<ChatSocket> {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${socketUrl}`, origin ? { origin } : {});
    const c = new ChatSocket(ws);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return c;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame of `type` matching `pred`, waiting up to `timeout` ms (works outside vitest too: benchmarks use it). */
  async waitFor<T extends ServerFrame['type']>(type: T, pred: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true, timeout = 5000): Promise<Extract<ServerFrame, { type: T }>> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = this.frames.find((f): f is Extract<ServerFrame, { type: T }> => f.type === type && pred(f as Extract<ServerFrame, { type: T }>));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${type} frame within ${timeout} ms (got: ${this.frames.map((f) => f.type).join(', ')})`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Every text the socket was shown: history and replies. */
  shownText(): string {
    return JSON.stringify(this.frames.filter((f) => f.type === 'history' || f.type === 'reply'));
  }

  close(): void {
    this.ws.close();
  }
}

/** `name=value` pairs of Set-Cookie headers that set (not expire) a cookie. */
export function cookiesSet(setCookies: string[]): string[] {
  return setCookies.filter((c) => !/Max-Age=0/i.test(c)).map((c) => c.split(';')[0]);
}
