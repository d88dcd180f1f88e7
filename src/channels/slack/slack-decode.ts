import { z } from 'zod';
import { ACTION_ID_PATTERN, type SlackActionName } from './slack-blocks.js';
import { fromSlackMarkup, leadingMention, noteText, withoutLeadingMention } from './slack-text.js';

/**
 * Slack's payloads in, one normalised shape out (pure; zod at the edge). What a staff member did:
 * replied in a handoff thread (to the customer, or a `note:`), pressed a button on a handoff
 * message, or asked the bot something (a direct message, an @mention elsewhere). Everything else
 * — bots (shopdesk's own posts first of all), edits, joins, chatter outside handoff threads — is
 * ignored with a reason.
 */
export type SlackInbound =
  | { kind: 'thread_reply'; eventId: string; user: string; channel: string; threadTs: string; ts: string; text: string; note: boolean; mentionsBot: boolean; hasFiles: boolean }
  | { kind: 'question'; eventId: string; user: string; channel: string; ts: string; threadTs?: string; text: string; where: 'dm' | 'mention' }
  | { kind: 'button'; actionId: string; user: string; channel: string; messageTs: string; action: SlackActionName; conversationId: number }
  | { kind: 'ignore'; reason: string };

export interface DecodeContext {
  /** SLACK_CHANNEL_ID: handoff threads live here. */
  channelId: string;
  /** The bot's own user id (auth.test), when known. */
  botUserId?: string;
}

const File = z.object({ id: z.string() }).passthrough();
const MessageEvent = z.object({
  type: z.literal('message'),
  subtype: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  app_id: z.string().optional(),
  text: z.string().default(''),
  ts: z.string(),
  thread_ts: z.string().optional(),
  channel: z.string(),
  channel_type: z.string().optional(),
  files: z.array(File).optional(),
});
const MentionEvent = z.object({
  type: z.literal('app_mention'),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().default(''),
  ts: z.string(),
  thread_ts: z.string().optional(),
  channel: z.string(),
});
const Envelope = z.object({ event_id: z.string().min(1), event: z.unknown() });
const BlockActions = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string() }),
  container: z.object({ message_ts: z.string().optional(), channel_id: z.string().optional() }).passthrough().optional(),
  channel: z.object({ id: z.string() }).optional(),
  message: z.object({ ts: z.string() }).passthrough().optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional(), action_ts: z.string().optional() }).passthrough()).min(1),
});

/** Subtypes that are a person writing; the rest (edits, deletions, joins, bots) are not staff replies. */
const PERSON_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

const isThreadReply = (e: { ts: string; thread_ts?: string }) => Boolean(e.thread_ts && e.thread_ts !== e.ts);

/** A `message` event (channel, private channel or direct message), from its envelope. */
export function decodeMessageEvent(envelope: unknown, ctx: DecodeContext): SlackInbound {
  const env = Envelope.safeParse(envelope);
  if (!env.success) return { kind: 'ignore', reason: 'not an event envelope' };
  const parsed = MessageEvent.safeParse(env.data.event);
  if (!parsed.success) return { kind: 'ignore', reason: 'not a message event' };
  const e = parsed.data;
  if (e.bot_id || e.subtype === 'bot_message' || (ctx.botUserId && e.user === ctx.botUserId)) return { kind: 'ignore', reason: 'a bot wrote it (shopdesk\'s own posts included)' };
  if (!PERSON_SUBTYPES.has(e.subtype)) return { kind: 'ignore', reason: `subtype ${e.subtype}` };
  if (!e.user) return { kind: 'ignore', reason: 'no user' };
  if (e.channel_type === 'im') {
    const text = fromSlackMarkup(e.text, ctx.botUserId);
    return text ? { kind: 'question', eventId: env.data.event_id, user: e.user, channel: e.channel, ts: e.ts, text, where: 'dm' } : { kind: 'ignore', reason: 'empty direct message' };
  }
  if (e.channel !== ctx.channelId || !isThreadReply(e)) return { kind: 'ignore', reason: 'not in a thread of the handoff channel' };
  const raw = ctx.botUserId ? withoutLeadingMention(e.text, ctx.botUserId) : e.text;
  const mentionsBot = Boolean(ctx.botUserId && e.text.includes(`<@${ctx.botUserId}`));
  // a reply that starts by addressing a colleague is talk among staff: it stays internal
  const toColleague = leadingMention(raw) !== undefined;
  const plain = fromSlackMarkup(raw, ctx.botUserId);
  const note = noteText(plain);
  return {
    kind: 'thread_reply', eventId: env.data.event_id, user: e.user, channel: e.channel, threadTs: e.thread_ts!, ts: e.ts,
    text: note ?? plain, note: note !== undefined || toColleague, mentionsBot, hasFiles: Boolean(e.files?.length),
  };
}

/**
 * An `app_mention`. In a thread of the handoff channel the `message` event carries the same words
 * (as a reply, or as a question when the thread is not a handoff), so the mention is ignored there.
 */
export function decodeMentionEvent(envelope: unknown, ctx: DecodeContext): SlackInbound {
  const env = Envelope.safeParse(envelope);
  if (!env.success) return { kind: 'ignore', reason: 'not an event envelope' };
  const parsed = MentionEvent.safeParse(env.data.event);
  if (!parsed.success) return { kind: 'ignore', reason: 'not an app_mention event' };
  const e = parsed.data;
  if (e.bot_id || !e.user || (ctx.botUserId && e.user === ctx.botUserId)) return { kind: 'ignore', reason: 'a bot wrote it' };
  if (e.channel === ctx.channelId && isThreadReply(e)) return { kind: 'ignore', reason: 'a thread of the handoff channel: the message event handles it' };
  const text = fromSlackMarkup(withoutLeadingMention(e.text, ctx.botUserId), ctx.botUserId);
  if (!text) return { kind: 'ignore', reason: 'a mention without a question' };
  return { kind: 'question', eventId: env.data.event_id, user: e.user, channel: e.channel, ts: e.ts, threadTs: e.thread_ts ?? e.ts, text, where: 'mention' };
}

/** A button press on a handoff message (interactivity payload `block_actions`). */
export function decodeBlockAction(body: unknown): SlackInbound {
  const parsed = BlockActions.safeParse(body);
  if (!parsed.success) return { kind: 'ignore', reason: 'not a block action' };
  const b = parsed.data;
  const a = b.actions[0]!;
  const name = ACTION_ID_PATTERN.exec(a.action_id)?.[1] as SlackActionName | undefined;
  const conversationId = Number(a.value);
  const channel = b.channel?.id ?? b.container?.channel_id;
  const messageTs = b.container?.message_ts ?? b.message?.ts;
  if (!name || !Number.isSafeInteger(conversationId) || conversationId <= 0 || !channel || !messageTs) return { kind: 'ignore', reason: 'not a shopdesk button' };
  // the action's own timestamp is unique per press: a double click is two presses, the second refused by the state machine
  return { kind: 'button', actionId: `${messageTs}:${a.action_ts ?? ''}:${b.user.id}`, user: b.user.id, channel, messageTs, action: name, conversationId };
}
