import { z } from 'zod';
import type { OutboundEnvelope, OutboundMessage } from '../../shared/message-types.js';

export interface HistoryItem {
  id: string;
  direction: 'in' | 'out';
  message: OutboundMessage | { type: 'text'; text: string };
  at: string;
  /** An image the customer sent (media store id); the browser gets a short-lived URL for it. */
  mediaId?: string;
  /** Filled in by the socket from `mediaId`: readable by this thread's customer for a while. */
  imageUrl?: string;
}

/** Frames the server sends to the browser. */
export type ServerFrame =
  | { type: 'reply'; id: string; message: OutboundMessage; at: string }
  | { type: 'history'; items: HistoryItem[] }
  | { type: 'typing'; on: boolean }
  | { type: 'error'; code: string; message: string; clientMessageId?: string; retryAfterMs?: number }
  | { type: 'ack'; clientMessageId: string; messageId: number };

export type ReplyFrame = Extract<ServerFrame, { type: 'reply' }>;

/** How many past messages a (re)connecting browser is sent. */
export const HISTORY_LIMIT = 50;

export function encodeReply(envelope: OutboundEnvelope): ReplyFrame {
  return { type: 'reply', id: envelope.messageId, message: envelope.message, at: envelope.createdAt.toISOString() };
}

export function encodeHistory(items: HistoryItem[]): ServerFrame {
  return { type: 'history', items: items.slice(-HISTORY_LIMIT) };
}

export function encodeError(code: string, message: string, clientMessageId?: string, retryAfterMs?: number): ServerFrame {
  const f: Extract<ServerFrame, { type: 'error' }> = { type: 'error', code, message };
  if (clientMessageId) f.clientMessageId = clientMessageId;
  if (retryAfterMs !== undefined) f.retryAfterMs = retryAfterMs;
  return f;
}

export function encodeAck(clientMessageId: string, messageId: number): ServerFrame {
  return { type: 'ack', clientMessageId, messageId };
}

export function serialise(frame: ServerFrame): string {
  return JSON.stringify(frame);
}

const Choice = z.object({ label: z.string(), payload: z.string() });
const Author = z.object({ kind: z.literal('staff'), name: z.string() }).optional();
const OutboundMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string(), author: Author }),
  z.object({ type: z.literal('choices'), text: z.string(), choices: z.array(Choice), author: Author }),
  z.object({
    type: z.literal('card'), title: z.string(), body: z.string().optional(),
    fields: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
    imageUrl: z.string().optional(), choices: z.array(Choice).optional(), author: Author,
  }),
  z.object({ type: z.literal('image'), url: z.string(), caption: z.string().optional(), author: Author }),
]);
const ReplyFrameSchema = z.object({ type: z.literal('reply'), id: z.string(), message: OutboundMessageSchema, at: z.string() });

/** Replaces `/media/<id>` image addresses (stored without tokens) by URLs this thread's customer may read. */
export function signMediaUrls<T extends OutboundMessage | HistoryItem['message']>(message: T, sign: (mediaId: string) => string): T {
  const media = /^(?:https?:\/\/[^/]+)?\/media\/([a-f0-9]{32})$/;
  if (message.type === 'image') {
    const m = media.exec(message.url);
    return m ? { ...message, url: sign(m[1]) } : message;
  }
  if (message.type !== 'card' || !message.imageUrl) return message;
  const m = media.exec(message.imageUrl);
  return m ? { ...message, imageUrl: sign(m[1]) } : message;
}

/** Control messages on a thread's bus topic: a replaced credential closes its sockets everywhere. */
const ControlSchema = z.object({ type: z.literal('session_revoked'), visitorId: z.string() });
export type BusControl = z.infer<typeof ControlSchema>;
export function parseBusControl(data: unknown): BusControl | undefined {
  const r = ControlSchema.safeParse(data);
  return r.success ? r.data : undefined;
}

/** A reply frame that arrived over the message bus (another process may have published it). */
export function parseBusReply(data: unknown): ReplyFrame | undefined {
  const r = ReplyFrameSchema.safeParse(data);
  return r.success ? r.data : undefined;
}
