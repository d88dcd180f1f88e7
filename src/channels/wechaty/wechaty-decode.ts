import { z } from 'zod';
import type { InboundContent } from '../../shared/message-types.js';

/**
 * Pure decoding for the wechaty channel: what a contact is called for good, which messages are
 * ours to answer, and how each message type becomes an `InboundContent`. The intake
 * (wechaty-intake.ts) gathers a `WechatySnapshot` from the live Message; everything here is
 * tested without wechaty.
 */

/** A contact as the puppet gives it; parsed at the edge (puppets differ in what they fill in). */
export const ContactPayload = z.object({
  id: z.string().min(1),
  name: z.string().optional().catch(undefined),
  alias: z.string().optional().catch(undefined),
  /** The WeChat id (微信号) on wechaty ≥ 1.x puppets. */
  handle: z.string().optional().catch(undefined),
  /** The same, as older puppets call it. */
  weixin: z.string().optional().catch(undefined),
});
export type ContactPayload = z.infer<typeof ContactPayload>;

/**
 * A contact's identity that survives a new login. Contact ids change between logins on some
 * puppets (web protocol), so the WeChat id (微信号) is used where the puppet gives one, else the
 * alias (备注名 the account gave the contact), else the contact id — `stable: false` marks that
 * last case, which may split one customer into two after a re-login.
 */
export function contactKey(c: ContactPayload): { key: string; stable: boolean } {
  const wx = (c.handle ?? c.weixin)?.trim();
  if (wx) return { key: `wx:${wx}`, stable: true };
  const alias = c.alias?.trim();
  if (alias) return { key: `alias:${alias}`, stable: true };
  return { key: `id:${c.id}`, stable: false };
}

/** The conversation thread: one per bot account and contact (and room, for room messages). */
export function threadIdOf(account: string, sender: string, roomId?: string): string {
  return roomId ? `${account}|room:${roomId}|${sender}` : `${account}|${sender}`;
}

/** A room message is ours when the room is allow-listed (by topic or id) or the bot is @mentioned. */
export function roomMessageWanted(room: { id: string; topic?: string }, mentionsBot: boolean, allowList: readonly string[]): boolean {
  return mentionsBot || allowList.includes(room.id) || (room.topic !== undefined && allowList.includes(room.topic.trim()));
}

/** What the intake reads off a live message (names from wechaty-puppet's `MessageType`). */
export interface WechatySnapshot {
  type: string;
  text?: string;
  url?: { url: string; title?: string; description?: string };
  miniProgram?: { title?: string; description?: string; pagePath?: string };
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  /** Set by the intake when the message carried a file it put into the media store. */
  media?: { mediaId: string; url: string; mimeType: string; sizeBytes: number; name?: string };
  /** Why a file was not kept (too large, a type the store does not take). */
  mediaRefused?: string;
}

/** Types that are not someone talking to the shop: stored nowhere, answered never. */
const IGNORED = new Set(['Unknown', 'Recalled', 'GroupNote', 'ChatHistory', 'Post']);

const DESCRIBED: Record<string, string> = {
  Emoticon: 'WeChat sticker 表情',
  Video: 'video 视频',
  Contact: 'contact card 名片',
  Transfer: 'money transfer 转账',
  RedEnvelope: 'red envelope 红包',
};

/** Keeps a title or description on one line and short. */
function line(text: string | undefined, max = 200): string | undefined {
  const t = text?.replace(/\s+/g, ' ').trim();
  return t ? [...t].slice(0, max).join('') : undefined;
}

/**
 * The normalised content of a message, or undefined for one the channel ignores (system notices,
 * recalls). Links and mini-program cards become text the engine reads like any question (their
 * titles name products and orders); voice stays an audio attachment, which the engine hands to a
 * person; anything else is `unsupported`, answered politely.
 */
export function decodeContent(s: WechatySnapshot): InboundContent | undefined {
  if (IGNORED.has(s.type)) return undefined;
  switch (s.type) {
    case 'Text': {
      const text = s.text?.trim();
      return text ? { type: 'text', text } : undefined;
    }
    case 'Url': {
      if (!s.url) return { type: 'unsupported', description: 'shared link 链接' };
      const title = line(s.url.title);
      const description = line(s.url.description);
      return { type: 'text', text: [title ? `[链接] ${title}` : '[链接]', description, s.url.url].filter(Boolean).join('\n') };
    }
    case 'MiniProgram': {
      const title = line(s.miniProgram?.title);
      const description = line(s.miniProgram?.description);
      return { type: 'text', text: [title ? `[小程序] ${title}` : '[小程序]', description].filter(Boolean).join('\n') };
    }
    case 'Location':
      return s.location
        ? { type: 'location', latitude: s.location.latitude, longitude: s.location.longitude, label: line([s.location.name, s.location.address].filter(Boolean).join(' ')) }
        : { type: 'unsupported', description: 'location 位置' };
    case 'Audio':
      // the bytes stay on the phone (silk audio the media store does not take): staff listen there
      return { type: 'attachment', kind: 'audio', url: 'wechaty:voice', name: 'voice message 语音' };
    case 'Image':
    case 'Attachment':
      if (s.media) return { type: 'attachment', kind: s.media.mimeType.startsWith('image/') ? 'image' : 'file', url: s.media.url, mediaId: s.media.mediaId, mimeType: s.media.mimeType, sizeBytes: s.media.sizeBytes, name: s.media.name };
      return { type: 'unsupported', description: `${s.type === 'Image' ? 'image 图片' : 'file 文件'} not kept${s.mediaRefused ? `: ${s.mediaRefused}` : ''}` };
    default:
      return { type: 'unsupported', description: DESCRIBED[s.type] ?? `WeChat ${s.type} message` };
  }
}
