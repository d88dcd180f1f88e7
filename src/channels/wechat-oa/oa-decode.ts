import { z } from 'zod';
import type { InboundContent } from '../../shared/message-types.js';

/**
 * The Official Account's callback messages (公众号 普通消息 / 事件推送), one level of XML fields,
 * values kept as strings (a 64-bit MsgId must not become a float). Unknown fields pass through.
 */
export const OaCallbackFields = z.object({
  ToUserName: z.string().min(1),
  FromUserName: z.string().min(1).max(128),
  CreateTime: z.string().regex(/^\d{1,12}$/),
  MsgType: z.string().min(1).max(40),
  MsgId: z.string().regex(/^\d{1,24}$/).optional(),
  Content: z.string().optional(),
  PicUrl: z.string().optional(),
  MediaId: z.string().optional(),
  Format: z.string().optional(),
  Recognition: z.string().optional(),
  Location_X: z.string().optional(),
  Location_Y: z.string().optional(),
  Label: z.string().optional(),
  Title: z.string().optional(),
  Description: z.string().optional(),
  Url: z.string().optional(),
  Event: z.string().optional(),
  EventKey: z.string().optional(),
}).passthrough();
export type OaCallbackFields = z.infer<typeof OaCallbackFields>;

/** The engine's "talk to a person" button payload (src/conversation/engine/dialogue-router.ts). */
export const HANDOFF_PAYLOAD = 'handoff';

/** What a menu key stands for (WECHAT_OA_MENU): words the customer could have typed, or a button payload. */
export type MenuAction = { text: string } | { postback: string; text?: string };

export type OaDecoded =
  /** A message or menu click for the engine. `key` dedupes (MsgId, or FromUserName + CreateTime). */
  | { kind: 'message'; key: string; openid: string; at: Date; content: InboundContent; opensWindow: true; picUrl?: string }
  /** A new follower: welcome them. */
  | { kind: 'subscribe'; key: string; openid: string; at: Date; opensWindow: true }
  /** Nothing for the engine; `opensWindow` when WeChat counts it as an interaction (SCAN, scancode menus). */
  | { kind: 'none'; key: string; openid: string; at: Date; opensWindow: boolean; what: string };

/**
 * Events that open the 48-hour customer-service window, per WeChat's customer-service message
 * rules: following, scanning a QR code, and the three menu types that push to the server (click,
 * scancode_push, scancode_waitmsg). A VIEW (link) menu, an unfollow or a location report do not.
 */
const WINDOW_EVENTS = new Set(['subscribe', 'SCAN', 'CLICK', 'scancode_push', 'scancode_waitmsg']);

function number(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A decoded, signature-checked callback into what shopdesk does with it. Pure.
 * Dedupe keys follow WeChat's advice (it retries a callback three times when it gets no answer
 * within 5 s): messages by `MsgId`, events by `FromUserName` + `CreateTime`.
 */
export function decodeOaCallback(f: OaCallbackFields, opts: { menu: Record<string, MenuAction> }): OaDecoded {
  const openid = f.FromUserName;
  const at = new Date(Number(f.CreateTime) * 1000);
  const eventKey = `evt:${openid}:${f.CreateTime}`;
  const key = f.MsgId ? `msg:${f.MsgId}` : eventKey;
  const message = (content: InboundContent, extra: { picUrl?: string } = {}): OaDecoded => ({ kind: 'message', key, openid, at, content, opensWindow: true, ...extra });
  switch (f.MsgType) {
    case 'text':
      return message({ type: 'text', text: f.Content ?? '' });
    case 'image':
      return message({ type: 'attachment', kind: 'image', url: f.PicUrl ?? '' }, { picUrl: f.PicUrl });
    case 'voice': {
      // speech recognition (语音识别, when the account has it on) gives the words; without them a person listens
      const words = f.Recognition?.trim();
      if (words) return message({ type: 'text', text: words });
      return message({ type: 'postback', payload: HANDOFF_PAYLOAD, text: '[语音消息 voice message]' });
    }
    case 'video':
    case 'shortvideo':
      return message({ type: 'unsupported', description: 'a video (WeChat)' });
    case 'location': {
      const latitude = number(f.Location_X);
      const longitude = number(f.Location_Y);
      if (latitude === undefined || longitude === undefined) return message({ type: 'unsupported', description: 'a location without coordinates' });
      return message({ type: 'location', latitude, longitude, ...(f.Label ? { label: f.Label } : {}) });
    }
    case 'link':
      // a shared article or page: its title and address are what the customer points at
      return message({ type: 'text', text: [f.Title, f.Description, f.Url].filter(Boolean).join('\n') || '[link]' });
    case 'event':
      return decodeEvent(f, { openid, at, key: eventKey, menu: opts.menu });
    default:
      return message({ type: 'unsupported', description: `a WeChat ${f.MsgType.slice(0, 40)} message` });
  }
}

function decodeEvent(f: OaCallbackFields, c: { openid: string; at: Date; key: string; menu: Record<string, MenuAction> }): OaDecoded {
  const event = f.Event ?? '';
  const base = { key: c.key, openid: c.openid, at: c.at };
  if (event === 'subscribe') return { kind: 'subscribe', ...base, opensWindow: true };
  if (event === 'CLICK') {
    const menuKey = f.EventKey ?? '';
    const action = c.menu[menuKey];
    const content: InboundContent = !action
      ? { type: 'unsupported', description: `menu item ${menuKey.slice(0, 64)} (not in WECHAT_OA_MENU)` }
      : 'postback' in action ? { type: 'postback', payload: action.postback, ...(action.text ? { text: action.text } : {}) } : { type: 'text', text: action.text };
    return { kind: 'message', ...base, content, opensWindow: true };
  }
  return { kind: 'none', ...base, opensWindow: WINDOW_EVENTS.has(event), what: event.slice(0, 40) || 'event' };
}

/**
 * WECHAT_OA_MENU: `KEY=words,KEY2=postback:handoff` — a key whose value starts with `postback:`
 * presses that button (`handoff` = talk to a person); any other value is read as if the
 * customer had typed it ("ORDERS=我的订单到哪了").
 */
export function parseMenuSetting(raw: string | undefined): Record<string, MenuAction> {
  const menu: Record<string, MenuAction> = {};
  for (const part of (raw ?? '').split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (!key || !value) continue;
    menu[key] = value.startsWith('postback:') ? { postback: value.slice('postback:'.length) } : { text: value };
  }
  return menu;
}
