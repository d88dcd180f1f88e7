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

  constructor(private readonly baseUrl: () => string, readonly thread: number, private readonly cookie: string, private readonly visitor: string) {}

  /** A new visitor: the page hands out the signed visitor id as a cookie. */
  static async open(baseUrl: () => string, thread: number): Promise<ChatCustomer> {
    for (let i = 0; ; i++) {
      try {
        const res = await fetch(`${baseUrl()}/chat`);
        const setCookie = res.headers.get('set-cookie') ?? '';
        const m = /sd_vid=([^;]+)/.exec(setCookie);
        if (!m) throw new Error('no visitor cookie');
        const c = new ChatCustomer(baseUrl, thread, `sd_vid=${m[1]}`, decodeURIComponent(m[1]));
        c.connect();
        return c;
      } catch (err) {
        if (i > 50) throw err;
        await sleep(200);
      }
    }
  }

  private connect(): void {
    if (this.closed) return;
    const http = this.baseUrl();
    const url = `${http.replace(/^http/, 'ws')}/ws/chat?vid=${encodeURIComponent(this.visitor)}&locale=zh-CN`;
    const ws = new WebSocket(url, { headers: { cookie: this.cookie, origin: http } });
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
    let f: { type: string; id?: string; items?: { id: string; direction: string }[]; clientMessageId?: string; messageId?: number; code?: string };
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
    } else if (f.type === 'error' && f.clientMessageId && f.code === 'not_saved') {
      const p = this.pending.get(f.clientMessageId);
      if (p) setTimeout(() => this.transmit(p.frame), 2_000);
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
