import { z } from 'zod';

/**
 * A decrypted callback of the WeCom self-built app, as what a staff member did (pure, zod):
 * a text message (`MsgType` text, with its `MsgId`), a tap on a template card's button
 * (`template_card_event`, whose `EventKey` is the button's key), or anything else.
 */
export type WecomAppInbound =
  | { kind: 'text'; user: string; text: string; id: string }
  | { kind: 'button'; user: string; key: string; taskId: string; id: string; /** Lets the card be updated once (72 h). */ responseCode?: string }
  | { kind: 'unsupported'; user: string; id: string; what: string }
  | { kind: 'ignore'; reason: string };

const Base = z.object({
  ToUserName: z.string().optional(),
  FromUserName: z.string().min(1).max(64),
  CreateTime: z.string().regex(/^\d+$/),
  MsgType: z.string(),
  AgentID: z.string().optional(),
}).passthrough();

const Text = Base.extend({ MsgType: z.literal('text'), Content: z.string().max(4096), MsgId: z.string().min(1) });
const CardEvent = Base.extend({
  MsgType: z.literal('event'), Event: z.literal('template_card_event'), EventKey: z.string().max(1024), TaskId: z.string().max(128),
  ResponseCode: z.string().max(512).optional(),
});
const AnyEvent = Base.extend({ MsgType: z.literal('event'), Event: z.string() });
const Other = Base.extend({ MsgId: z.string().optional() });

/**
 * `raw` is the parsed inner XML (an object of strings). Events have no MsgId: WeCom's advice is
 * FromUserName + CreateTime, made unique per button by the task and key.
 */
export function decodeAppCallback(raw: unknown, agentId: number): WecomAppInbound {
  const base = Base.safeParse(raw);
  if (!base.success) return { kind: 'ignore', reason: 'not a WeCom app message' };
  // the same corp may point several apps at one URL by mistake: only ours counts
  if (base.data.AgentID && base.data.AgentID !== String(agentId)) return { kind: 'ignore', reason: 'another app\'s message' };
  const text = Text.safeParse(raw);
  if (text.success) return { kind: 'text', user: text.data.FromUserName, text: text.data.Content, id: `msg:${text.data.MsgId}` };
  const card = CardEvent.safeParse(raw);
  if (card.success) {
    const d = card.data;
    return {
      kind: 'button', user: d.FromUserName, key: d.EventKey, taskId: d.TaskId, id: `card:${d.FromUserName}:${d.CreateTime}:${d.TaskId}:${d.EventKey}`,
      ...(d.ResponseCode ? { responseCode: d.ResponseCode } : {}),
    };
  }
  const event = AnyEvent.safeParse(raw);
  // opening the app, location reports, menu views: nothing for shopdesk to do
  if (event.success) return { kind: 'ignore', reason: `event ${event.data.Event.slice(0, 40)}` };
  const other = Other.parse(raw);
  return { kind: 'unsupported', user: other.FromUserName, what: other.MsgType.slice(0, 20), id: other.MsgId ? `msg:${other.MsgId}` : `other:${other.FromUserName}:${other.CreateTime}` };
}
