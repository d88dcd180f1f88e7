import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { sleep } from './private-services.js';

/**
 * Web chat customers as the browser behaves (src/channels/web/public/chat.js): each message
 * gets a clientMessageId and stays pending until acked; pending messages are resent after every
 * reconnect and 2 s after a `not_saved` error; the socket reconnects with backoff; replies and
 * history items are shown once per id. Everything seen is recorded for the metrics.
 */

export const TEXTS = [
  '运费怎么算', 'how long does a refund take', '多久能到', 'do you ship to Canada', '发票怎么开',
  'what is your return policy', '怎么修改收货地址', 'can I pay with alipay', '优惠券怎么用', '你好',
];

export interface SentMessage {
  clientMessageId: string;
  thread: number;
  seq: number;
  firstSentAt: number;
  ackedAt?: number;
  messageId?: number;
}

export interface ThreadRecord {
  /** Reply ids in the order the customer first saw them (live or from history). */
  seenOrder: number[];
  seenAt: Map<number, number>;
  /** Live `reply` frames per reply id: more than one is a re-sent reply. */
  liveCount: Map<number, number>;
}

export class ChatCustomer {
  readonly sent: SentMessage[] = [];
  readonly record: ThreadRecord = { seenOrder: [], seenAt: new Map(), liveCount: new Map() };
  private ws?: WebSocket;
  private readonly pending = new Map<string, { frame: string; message: SentMessage }>();
  private closed = false;
  private attempt = 0;
  private acked?: () => void;

  /** The visitor credential the page keeps in localStorage and sends on every (re)connect. */
  private visitor?: string;

  constructor(private readonly baseUrl: () => string, readonly thread: number) {}

  /** A new visitor: the page asks the session endpoint for a credential and a socket ticket. */
  static async open(baseUrl: () => string, thread: number): Promise<ChatCustomer> {
    const c = new ChatCustomer(baseUrl, thread);
    const socketUrl = await c.session(50);
    c.openSocket(socketUrl);
    return c;
  }

  /** POST /api/webchat/session as chat.js does; retried while the server is down or refuses (503). */
  private async session(tries: number): Promise<string> {
    for (let i = 0; ; i++) {
      try {
        const http = this.baseUrl();
        const headers: Record<string, string> = { 'content-type': 'application/json', origin: http };
        if (this.visitor) headers['x-shopdesk-visitor'] = this.visitor;
        const res = await fetch(`${http}/api/webchat/session`, { method: 'POST', headers, body: JSON.stringify({ locale: 'zh-CN' }) });
        if (!res.ok) throw new Error(`session ${res.status}`);
        const body = (await res.json()) as { visitor: string; socketUrl: string };
        this.visitor = body.visitor;
        return body.socketUrl;
      } catch (err) {
        if (i >= tries || this.closed) throw err;
        await sleep(200);
      }
    }
  }

  private connect(): void {
    if (this.closed) return;
    this.session(Number.MAX_SAFE_INTEGER).then(
      (socketUrl) => this.openSocket(socketUrl),
      () => undefined,
    );
  }

  private openSocket(socketUrl: string): void {
    if (this.closed) return;
    const http = this.baseUrl();
    const ws = new WebSocket(`${http.replace(/^http/, 'ws')}${socketUrl}`, { headers: { origin: http } });
    this.ws = ws;
    ws.on('open', () => {
      this.attempt = 0;
      for (const p of this.pending.values()) ws.send(p.frame);
    });
    ws.on('message', (data) => this.onFrame(String(data)));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.closed) return;
      const delay = Math.min(4_000, 500 * 2 ** this.attempt++) * (0.75 + Math.random() / 2);
      setTimeout(() => this.connect(), delay);
    });
  }

  private seen(id: number): void {
    if (this.record.seenAt.has(id)) return;
    this.record.seenAt.set(id, Date.now());
    this.record.seenOrder.push(id);
  }

  private onFrame(raw: string): void {
    let f: { type: string; id?: string; items?: { id: string; direction: string }[]; clientMessageId?: string; messageId?: number; code?: string; retryAfterMs?: number };
    try {
      f = JSON.parse(raw);
    } catch {
      return;
    }
    if (f.type === 'reply' && f.id) {
      const id = Number(f.id);
      this.record.liveCount.set(id, (this.record.liveCount.get(id) ?? 0) + 1);
      this.seen(id);
    } else if (f.type === 'history') {
      for (const item of [...(f.items ?? [])].sort((a, b) => Number(a.id) - Number(b.id))) if (item.direction === 'out') this.seen(Number(item.id));
    } else if (f.type === 'ack' && f.clientMessageId) {
      const p = this.pending.get(f.clientMessageId);
      if (!p) return;
      this.pending.delete(f.clientMessageId);
      p.message.ackedAt = Date.now();
      p.message.messageId = f.messageId;
      this.acked?.();
    } else if (f.type === 'error' && f.clientMessageId && (f.code === 'not_saved' || f.code === 'rate_limited')) {
      // as the page does: resend once the server is back, or once the limit allows
      const p = this.pending.get(f.clientMessageId);
      if (p) setTimeout(() => this.transmit(p.frame), f.code === 'rate_limited' ? Math.max(200, f.retryAfterMs ?? 1_000) : 2_000);
    }
  }

  private transmit(frame: string): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  /** Sends one message and waits (bounded) until it is acked; it stays pending (resent) either way. */
  async say(seq: number, text: string, ackTimeoutMs: number): Promise<void> {
    const clientMessageId = randomUUID();
    const message: SentMessage = { clientMessageId, thread: this.thread, seq, firstSentAt: Date.now() };
    this.sent.push(message);
    const frame = JSON.stringify({ type: 'message', clientMessageId, text });
    this.pending.set(clientMessageId, { frame, message });
    this.transmit(frame);
    const deadline = Date.now() + ackTimeoutMs;
    while (this.pending.has(clientMessageId) && Date.now() < deadline) {
      await new Promise<void>((r) => {
        this.acked = r;
        setTimeout(r, 100);
      });
    }
  }

  get unacked(): number {
    return this.pending.size;
  }

  close(): void {
    this.closed = true;
    this.ws?.terminate();
  }
}
