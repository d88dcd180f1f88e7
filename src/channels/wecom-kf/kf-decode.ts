import { z } from 'zod';
import type { InboundContent, InboundMessage } from '../../shared/message-types.js';

/** One entry of `kf/sync_msg`'s `msg_list`, as published (fields this channel reads). */
export const KfSyncMessage = z.object({
  msgid: z.string().min(1).max(128),
  open_kfid: z.string().optional(),
  external_userid: z.string().optional(),
  send_time: z.number().optional(),
  /** 3 = the customer, 4 = a system event, 5 = a WeCom agent (servicer). */
  origin: z.number(),
  servicer_userid: z.string().optional(),
  msgtype: z.string(),
  text: z.object({ content: z.string(), menu_id: z.string().optional() }).optional(),
  image: z.object({ media_id: z.string() }).optional(),
  voice: z.object({ media_id: z.string() }).optional(),
  video: z.object({ media_id: z.string() }).optional(),
  file: z.object({ media_id: z.string() }).optional(),
  location: z.object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
  link: z.object({ title: z.string().optional(), desc: z.string().optional(), url: z.string().optional() }).optional(),
  miniprogram: z.object({ title: z.string().optional(), appid: z.string().optional(), pagepath: z.string().optional() }).optional(),
  event: z.object({
    event_type: z.string(),
    open_kfid: z.string().optional(),
    external_userid: z.string().optional(),
    change_type: z.number().optional(),
  }).passthrough().optional(),
}).passthrough();
export type KfSyncMessage = z.infer<typeof KfSyncMessage>;

export const KfSyncResult = z.object({
  errcode: z.number(),
  next_cursor: z.string().optional(),
  has_more: z.number().optional(),
  msg_list: z.array(z.unknown()).optional(),
});

/** Session changes sync_msg reports (`session_status_change`'s change_type). */
export const SESSION_ENDED = 3;

export type KfDecoded =
  /** A customer message: `media` must be fetched into the media store before it is stored. */
  | { kind: 'customer'; message: Omit<InboundMessage, 'content'> & { content?: InboundContent }; media?: { mediaId: string; kind: 'image' | 'audio' | 'video' | 'file' } }
  /** An event about a session (entered, moved to or ended by a WeCom agent). */
  | { kind: 'event'; eventType: string; threadId?: string; changeType?: number }
  /** A WeCom agent's own message or something not for the engine. */
  | { kind: 'skip'; reason: string };

/** The conversation thread of a customer on one kf account: conversations are unique per account. */
export function kfThreadId(openKfid: string, externalUserId: string): string {
  return `${openKfid}:${externalUserId}`;
}

export function parseKfThreadId(threadId: string): { openKfid: string; externalUserId: string } | undefined {
  const at = threadId.indexOf(':');
  if (at <= 0 || at === threadId.length - 1) return undefined;
  return { openKfid: threadId.slice(0, at), externalUserId: threadId.slice(at + 1) };
}

/**
 * One sync_msg entry → what the channel does with it. Pure. The sender is the external_userid,
 * scoped by the corp (identity kind `wecom_kf:<corpid>`), with nothing verified: the platform
 * vouches that this WeChat user wrote, not who they are in the shop (identity trust model).
 */
export function decodeKfMessage(raw: unknown, ctx: { corpId: string; now: Date }): KfDecoded {
  const p = KfSyncMessage.safeParse(raw);
  if (!p.success) return { kind: 'skip', reason: 'entry does not match the published format' };
  const m = p.data;
  if (m.msgtype === 'event' && m.event) {
    const user = m.event.external_userid ?? m.external_userid;
    const kf = m.event.open_kfid ?? m.open_kfid;
    return { kind: 'event', eventType: m.event.event_type, threadId: user && kf ? kfThreadId(kf, user) : undefined, changeType: m.event.change_type };
  }
  if (m.origin !== 3) return { kind: 'skip', reason: m.origin === 5 ? 'a WeCom agent\'s message' : `origin ${m.origin}` };
  if (!m.open_kfid || !m.external_userid) return { kind: 'skip', reason: 'customer message without account or user' };
  const message = {
    channel: 'wecom_kf' as const,
    platformMessageId: m.msgid,
    threadId: kfThreadId(m.open_kfid, m.external_userid),
    sender: { id: m.external_userid, scope: ctx.corpId },
    // the platform's send_time is when the customer wrote; our clock when it is absent
    receivedAt: m.send_time ? new Date(m.send_time * 1000) : ctx.now,
  };
  const content = contentOf(m);
  if ('media' in content) return { kind: 'customer', message, media: content.media };
  return { kind: 'customer', message: { ...message, content: content.content } };
}

function contentOf(m: KfSyncMessage): { content: InboundContent } | { media: { mediaId: string; kind: 'image' | 'audio' | 'video' | 'file' } } {
  switch (m.msgtype) {
    case 'text':
      // a msgmenu click comes back as text carrying the item's id: our choice payload
      return { content: m.text?.menu_id ? { type: 'postback', payload: m.text.menu_id, text: m.text.content } : { type: 'text', text: m.text?.content ?? '' } };
    case 'image': return m.image ? { media: { mediaId: m.image.media_id, kind: 'image' } } : unsupported('image without media_id');
    case 'voice': return m.voice ? { media: { mediaId: m.voice.media_id, kind: 'audio' } } : unsupported('voice without media_id');
    case 'video': return m.video ? { media: { mediaId: m.video.media_id, kind: 'video' } } : unsupported('video without media_id');
    case 'file': return m.file ? { media: { mediaId: m.file.media_id, kind: 'file' } } : unsupported('file without media_id');
    case 'location':
      return m.location ? { content: { type: 'location', latitude: m.location.latitude, longitude: m.location.longitude, label: [m.location.name, m.location.address].filter(Boolean).join(' ') || undefined } } : unsupported('location without coordinates');
    case 'link':
      return { content: { type: 'text', text: [m.link?.title, m.link?.desc, m.link?.url].filter(Boolean).join('\n') || '(link)' } };
    case 'miniprogram':
      return unsupported(`mini program card "${m.miniprogram?.title ?? ''}" (${m.miniprogram?.appid ?? 'unknown app'})`);
    default:
      return unsupported(`a ${m.msgtype} message`);
  }
}

function unsupported(description: string): { content: InboundContent } {
  return { content: { type: 'unsupported', description } };
}
