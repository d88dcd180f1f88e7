import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBlockAction, decodeMentionEvent, decodeMessageEvent } from './slack-decode.js';

const events = JSON.parse(readFileSync(new URL('./__fixtures__/events.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const actions = JSON.parse(readFileSync(new URL('./__fixtures__/actions.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const ctx = { channelId: 'C0SUPPORT', botUserId: 'U0SHOPBOT' };

describe('decoding what Slack sends', () => {
  it('turns a thread reply in the handoff channel into plain text for the customer, keyed by the event id', () => {
    expect(decodeMessageEvent(events.thread_reply, ctx)).toEqual({
      kind: 'thread_reply', eventId: 'Ev06ABCDEF01', user: 'U0ANN', channel: 'C0SUPPORT', threadTs: '1716999990.000100', ts: '1717000000.000200',
      text: '您好 & welcome, 我来帮您查 物流 (https://shop.example.com/track?o=1)', note: false, mentionsBot: false, hasFiles: false,
    });
  });

  it('reads a full-width 备注： as an internal note, and a reply that addresses a colleague as internal too', () => {
    expect(decodeMessageEvent(events.note_reply, ctx)).toMatchObject({ kind: 'thread_reply', note: true, text: '老顾客，优先处理' });
    expect(decodeMessageEvent(events.colleague_reply, ctx)).toMatchObject({ kind: 'thread_reply', note: true, text: '@U0BOB can you check the stock?' });
  });

  it('drops the bot\'s own mention from a reply but keeps it a reply to the customer', () => {
    expect(decodeMessageEvent(events.bot_mention_reply, ctx)).toMatchObject({ kind: 'thread_reply', note: false, mentionsBot: true, text: '好的，马上处理' });
    expect(decodeMentionEvent(events.mention_in_thread, ctx)).toMatchObject({ kind: 'ignore' });
  });

  it('takes "also send to channel" replies and notes shared files', () => {
    expect(decodeMessageEvent(events.broadcast_reply, ctx)).toMatchObject({ kind: 'thread_reply', text: 'Refund approved' });
    expect(decodeMessageEvent(events.file_share_reply, ctx)).toMatchObject({ kind: 'thread_reply', text: '', hasFiles: true });
  });

  it('ignores its own posts, edits and chatter outside handoff threads', () => {
    expect(decodeMessageEvent(events.own_post, ctx)).toMatchObject({ kind: 'ignore' });
    expect(decodeMessageEvent(events.own_post, { channelId: 'C0SUPPORT' })).toMatchObject({ kind: 'ignore' });
    expect(decodeMessageEvent(events.edited, ctx)).toMatchObject({ kind: 'ignore', reason: 'subtype message_changed' });
    expect(decodeMessageEvent(events.top_level_chatter, ctx)).toMatchObject({ kind: 'ignore' });
    expect(decodeMessageEvent({ nonsense: true }, ctx)).toMatchObject({ kind: 'ignore' });
  });

  it('makes a direct message or an @mention outside a handoff thread a question, answered where it was asked', () => {
    expect(decodeMessageEvent(events.direct_message, ctx)).toEqual({ kind: 'question', eventId: 'Ev06ABCDEF10', user: 'U0ANN', channel: 'D0ANNBOT', ts: '1717000009.000300', text: '本周销售额多少？', where: 'dm' });
    expect(decodeMentionEvent(events.mention_top_level, ctx)).toMatchObject({ kind: 'question', where: 'mention', text: 'how many open tickets?', threadTs: '1717000010.000300' });
    expect(decodeMentionEvent(events.mention_other_channel_thread, ctx)).toMatchObject({ kind: 'ignore', reason: 'a mention without a question' });
  });

  it('reads a Claim press with the conversation id from the button, and nothing from a link or a tampered value', () => {
    expect(decodeBlockAction(actions.claim)).toEqual({
      kind: 'button', action: 'claim', conversationId: 42, user: 'U0ANN', channel: 'C0SUPPORT', messageTs: '1716999990.000100', actionId: '1716999990.000100:1717000100.123456:U0ANN',
    });
    expect(decodeBlockAction(actions.open_link)).toMatchObject({ kind: 'ignore' });
    expect(decodeBlockAction(actions.forged_value)).toMatchObject({ kind: 'ignore' });
  });
});
