import { z } from 'zod';
import type { OutboundEnvelope, OutboundMessage } from '../../shared/message-types.js';

export interface HistoryItem {
  id: string;
  direction: 'in' | 'out';
  message: OutboundMessage | { type: 'text'; text: string };
  at: string;
}

/** Frames the server sends to the browser. */
export type ServerFrame =
  | { type: 'reply'; id: string; message: OutboundMessage; at: string }
  | { type: 'history'; items: HistoryItem[] }
  | { type: 'typing'; on: boolean }
  | { type: 'error'; code: string; message: string; clientMessageId?: string }
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

export function encodeError(code: string, message: string, clientMessageId?: string): ServerFrame {
  return clientMessageId ? { type: 'error', code, message, clientMessageId } : { type: 'error', code, message };
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

/** A reply frame that arrived over the message bus (another process may have published it). */
export function parseBusReply(data: unknown): ReplyFrame | undefined {
  const r = ReplyFrameSchema.safeParse(data);
  return r.success ? r.data : undefined;
}
