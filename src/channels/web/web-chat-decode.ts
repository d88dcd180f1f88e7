import { z } from 'zod';
import type { InboundContent, InboundMessage, InboundSender } from '../../shared/message-types.js';

/** Longest customer text we accept (code points); longer is refused with an error frame, never cut. */
export const MAX_TEXT_CHARS = 20_000;

/** The browser's id for a message: the idempotency key, so a resend after reconnect is deduplicated. */
const ClientMessageId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'clientMessageId must be 8–64 letters, digits, - or _');

const ClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), clientMessageId: ClientMessageId, text: z.string() }),
  z.object({ type: z.literal('postback'), clientMessageId: ClientMessageId, payload: z.string().min(1).max(1000), label: z.string().max(500) }),
  z.object({ type: z.literal('attachment'), clientMessageId: ClientMessageId, uploadId: z.string().regex(/^[a-f0-9]{32}$/, 'uploadId is not an upload id') }),
  z.object({ type: z.literal('typing') }),
  z.object({ type: z.literal('history') }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export type DecodeErrorCode = 'binary_not_supported' | 'invalid_json' | 'unknown_frame' | 'invalid_frame' | 'empty_text' | 'text_too_long';

export type DecodeResult = { ok: true; frame: ClientFrame } | { ok: false; code: DecodeErrorCode; message: string };

/** Parses one WebSocket frame from the browser. Never throws: a bad frame is a value the router answers with an error frame. */
export function decodeClientFrame(data: string | Buffer, isBinary: boolean): DecodeResult {
  if (isBinary) return { ok: false, code: 'binary_not_supported', message: 'Binary frames are not supported; send JSON text frames' };
  let json: unknown;
  try {
    json = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    return { ok: false, code: 'invalid_json', message: 'The frame is not valid JSON' };
  }
  const type = typeof json === 'object' && json !== null && 'type' in json ? (json as { type: unknown }).type : undefined;
  if (!['message', 'postback', 'attachment', 'typing', 'history'].includes(String(type))) {
    return { ok: false, code: 'unknown_frame', message: `Unknown frame type: ${JSON.stringify(type ?? null).slice(0, 40)}` };
  }
  const parsed = ClientFrame.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, code: 'invalid_frame', message: `${issue.path.join('.') || 'frame'}: ${issue.message}` };
  }
  const frame = parsed.data;
  if (frame.type === 'message') {
    if (frame.text.trim() === '') return { ok: false, code: 'empty_text', message: 'The message is empty' };
    const chars = [...frame.text].length;
    if (chars > MAX_TEXT_CHARS) {
      return { ok: false, code: 'text_too_long', message: `The message is too long (${chars} characters; at most ${MAX_TEXT_CHARS})` };
    }
  }
  return { ok: true, frame };
}

export { signedInThreadId } from './visitor-sessions.js';

/** Who is on the other end of a socket: fixed when the socket opens (from its ticket). */
export interface WebChatSession {
  /** The visitor credential the socket was opened with (revoked → the socket closes). */
  visitorId: string;
  /** The browser (stays the same when the credential is replaced); per-visitor limits key on it. */
  browserId?: string;
  /**
   * The conversation: the browser's guest thread, or its thread for a signed-in customer. Two
   * customers who sign in on one browser, and a guest after them, never share a thread.
   */
  threadId: string;
  verified?: InboundSender['verified'];
  asserted?: InboundSender['asserted'];
  displayName?: string;
  locale?: string;
  /** Keyed hash of the client address (abuse limits). */
  clientKey?: string;
  /** When the customer token that signed this session in expires (ms); the socket closes then. */
  signedInUntil?: number;
}

/** An image the visitor put in the media store, as the message refers to it. */
export interface StoredUpload {
  mediaId?: string;
  url: string;
  mimeType: string;
  sizeBytes: number;
}

type ContentFrame = Extract<ClientFrame, { clientMessageId: string }>;

/**
 * Turns a content frame into the normalised message. The platform id is scoped by visitor so
 * one visitor cannot claim (and so suppress) another visitor's message id.
 */
export function toInboundMessage(frame: ContentFrame, session: WebChatSession, receivedAt: Date, upload?: StoredUpload): InboundMessage {
  let content: InboundContent;
  switch (frame.type) {
    case 'message':
      content = { type: 'text', text: frame.text };
      break;
    case 'postback':
      content = { type: 'postback', payload: frame.payload, text: frame.label || undefined };
      break;
    case 'attachment':
      content = upload
        ? { type: 'attachment', kind: 'image', url: upload.url, ...(upload.mediaId ? { mediaId: upload.mediaId } : {}), mimeType: upload.mimeType, sizeBytes: upload.sizeBytes }
        : { type: 'unsupported', description: 'attachment that is no longer available' };
      break;
  }
  const sender: InboundSender = { id: session.threadId };
  if (session.displayName) sender.displayName = session.displayName;
  if (session.verified) sender.verified = session.verified;
  if (session.asserted) sender.asserted = session.asserted;
  const m: InboundMessage = {
    channel: 'web',
    platformMessageId: `${session.threadId}:${frame.clientMessageId}`,
    threadId: session.threadId,
    sender,
    receivedAt,
    content,
  };
  if (session.locale) m.locale = session.locale;
  if (session.clientKey) m.clientKey = session.clientKey;
  return m;
}

/** A browser locale from the socket URL, kept only when it looks like a BCP 47 tag. */
export function cleanLocale(raw: string | null | undefined): string | undefined {
  return raw && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/.test(raw) ? raw : undefined;
}
