import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OutboundEnvelope } from '../../shared/message-types.js';
import { cleanLocale, decodeClientFrame, MAX_TEXT_CHARS, toInboundMessage, type ClientFrame, signedInThreadId } from './web-chat-decode.js';
import { encodeAck, encodeError, encodeHistory, encodeReply, HISTORY_LIMIT, parseBusReply, signMediaUrls } from './web-chat-encode.js';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const client = fixture('client-frames.json') as Record<string, string>;
const server = fixture('server-frames.json');
const at = new Date('2025-03-01T10:00:00Z');
const session = { visitorId: 'v_abcdef12-3456', threadId: 'v_abcdef12-3456', locale: 'zh-CN' };

function decoded(raw: string): ClientFrame {
  const r = decodeClientFrame(raw, false);
  if (!r.ok) throw new Error(`expected a frame, got ${r.code}`);
  return r.frame;
}

describe('decodeClientFrame', () => {
  it('decodes a Chinese text message into a web InboundMessage scoped to the visitor', () => {
    const f = decoded(client.textZh);
    if (f.type !== 'message') throw new Error(f.type);
    expect(toInboundMessage(f, session, at)).toEqual({
      channel: 'web', platformMessageId: 'v_abcdef12-3456:3f1c2a7e-5b7d-4c1e-9a51-0d2b8f6e4c11', threadId: 'v_abcdef12-3456',
      sender: { id: 'v_abcdef12-3456' }, receivedAt: at, content: { type: 'text', text: '运费怎么算' }, locale: 'zh-CN',
    });
  });

  it('keeps HTML in a message as plain text for the engine', () => {
    const f = decoded(client.textWithHtml);
    expect(f).toMatchObject({ type: 'message', text: '<script>window.__xss=1</script>' });
  });

  it('decodes a quick-reply press into a postback carrying the shown label', () => {
    const f = decoded(client.postback);
    if (f.type !== 'postback') throw new Error(f.type);
    expect(toInboundMessage(f, session, at).content).toEqual({ type: 'postback', payload: 'order:SD2024000001', text: '查看订单 SD2024000001' });
  });

  it('decodes an attachment frame with its media-store object into an image attachment', () => {
    const f = decoded(client.attachment);
    if (f.type !== 'attachment') throw new Error(f.type);
    const upload = { mediaId: '0123456789abcdef0123456789abcdef', url: '/media/0123456789abcdef0123456789abcdef', mimeType: 'image/png', sizeBytes: 1234 };
    expect(toInboundMessage(f, session, at, upload).content).toEqual({ type: 'attachment', kind: 'image', ...upload });
  });

  it('carries asserted contacts and the client key, apart from verified facts', () => {
    const f = decoded(client.textZh);
    if (f.type !== 'message') throw new Error(f.type);
    const m = toInboundMessage(f, { ...session, verified: { customerRef: 'C-1' }, asserted: { email: 'maybe@example.com' }, clientKey: 'ck-1' }, at);
    expect(m.sender).toEqual({ id: session.threadId, verified: { customerRef: 'C-1' }, asserted: { email: 'maybe@example.com' } });
    expect(m.clientKey).toBe('ck-1');
  });

  it('passes verified customer facts from the session to the sender', () => {
    const f = decoded(client.textZh);
    if (f.type !== 'message') throw new Error(f.type);
    const threadId = signedInThreadId(session.visitorId, 'C-1');
    const m = toInboundMessage(f, { ...session, threadId, verified: { customerRef: 'C-1', phone: '13800138000' }, displayName: '张三' }, at);
    expect(m.sender).toEqual({ id: threadId, displayName: '张三', verified: { customerRef: 'C-1', phone: '13800138000' } });
    expect(m.threadId).toBe(threadId);
  });

  it('gives each signed-in customer on one browser a thread of their own', () => {
    const a = signedInThreadId(session.visitorId, 'C-1');
    expect(a).not.toBe(signedInThreadId(session.visitorId, 'C-2'));
    expect(a).not.toBe(session.visitorId);
    expect(a.startsWith(`${session.visitorId}~`)).toBe(true);
  });

  it('decodes typing and history control frames', () => {
    expect(decoded(client.typing)).toEqual({ type: 'typing' });
    expect(decoded(client.history)).toEqual({ type: 'history' });
  });

  it('answers invalid JSON, an unknown frame and a binary frame with distinct error codes', () => {
    expect(decodeClientFrame(client.notJson, false)).toMatchObject({ ok: false, code: 'invalid_json' });
    expect(decodeClientFrame(client.unknownType, false)).toMatchObject({ ok: false, code: 'unknown_frame' });
    expect(decodeClientFrame(Buffer.from([1, 2, 3]), true)).toMatchObject({ ok: false, code: 'binary_not_supported' });
  });

  it('names the missing field of an invalid frame', () => {
    const r = decodeClientFrame(client.missingId, false);
    expect(r).toMatchObject({ ok: false, code: 'invalid_frame' });
    expect(!r.ok && r.message).toContain('clientMessageId');
  });

  it('refuses a blank message', () => {
    expect(decodeClientFrame(client.blank, false)).toMatchObject({ ok: false, code: 'empty_text' });
  });

  it('accepts exactly 20,000 Chinese characters and refuses one more with the count', () => {
    const frame = (n: number): string => JSON.stringify({ type: 'message', clientMessageId: 'abcdefgh-1', text: '字'.repeat(n) });
    expect(decodeClientFrame(frame(MAX_TEXT_CHARS), false).ok).toBe(true);
    const r = decodeClientFrame(frame(MAX_TEXT_CHARS + 1), false);
    expect(r).toMatchObject({ ok: false, code: 'text_too_long' });
    expect(!r.ok && r.message).toContain('20001');
  });

  it('keeps a BCP 47 locale and drops anything else', () => {
    expect(cleanLocale('zh-CN')).toBe('zh-CN');
    expect(cleanLocale('en')).toBe('en');
    expect(cleanLocale('<script>')).toBeUndefined();
    expect(cleanLocale(null)).toBeUndefined();
  });
});

describe('web chat encode', () => {
  it('encodes an outbound card envelope as the reply frame the browser renders', () => {
    const expected = server.replyCard as { message: OutboundEnvelope['message'] };
    const envelope: OutboundEnvelope = { channel: 'web', threadId: 'v_x', messageId: '42', message: expected.message, createdAt: new Date('2025-03-01T10:00:05Z') };
    expect(encodeReply(envelope)).toEqual(server.replyCard);
  });

  it('round-trips a reply frame through the bus check and rejects a malformed one', () => {
    expect(parseBusReply(JSON.parse(JSON.stringify(server.replyCard)))).toEqual(server.replyCard);
    expect(parseBusReply({ type: 'reply', id: 1, message: { type: 'text' } })).toBeUndefined();
  });

  it('sends only the last 50 history items', () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ id: String(i), direction: 'in' as const, message: { type: 'text' as const, text: `m${i}` }, at: at.toISOString() }));
    const f = encodeHistory(items);
    expect(f.type === 'history' && f.items.length).toBe(HISTORY_LIMIT);
    expect(f.type === 'history' && f.items[0].id).toBe('10');
  });

  it('gives a card image kept in the media store a URL the thread may read, and leaves other images alone', () => {
    const card = { type: 'card' as const, title: 'Photo', imageUrl: '/media/0123456789abcdef0123456789abcdef' };
    expect(signMediaUrls(card, (id) => `/media/${id}?t=tok`).imageUrl).toBe('/media/0123456789abcdef0123456789abcdef?t=tok');
    const external = { type: 'card' as const, title: 'Shoe', imageUrl: 'https://cdn.example.com/shoe.jpg' };
    expect(signMediaUrls(external, () => 'x')).toEqual(external);
  });

  it('encodes acks and errors', () => {
    expect(encodeAck('abcdefgh', 7)).toEqual({ type: 'ack', clientMessageId: 'abcdefgh', messageId: 7 });
    expect(encodeError('text_too_long', 'too long')).toEqual({ type: 'error', code: 'text_too_long', message: 'too long' });
  });
});
