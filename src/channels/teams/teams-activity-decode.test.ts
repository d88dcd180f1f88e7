import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeActivity, parseStaffText, splitThreadId } from './teams-activity-decode.js';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const BOT = '28:11111111-2222-4333-8444-555555555555';

describe('decoding Teams activities', () => {
  it('reads the app being installed in a team as "installed", with where the bot can post', () => {
    const d = decodeActivity(fixture('install-team.json'));
    expect(d.inbound).toEqual({ kind: 'installed', channelId: '19:teamgeneral0001@thread.tacv2' });
    expect(d.tenantId).toBe(TENANT);
    expect(d.reference).toEqual({ channelId: '19:teamgeneral0001@thread.tacv2', teamId: '19:teamgeneral0001@thread.tacv2', tenantId: TENANT, serviceUrl: 'https://smba.trafficmanager.net/apac/', botId: BOT, botName: 'shopdesk' });
  });

  it('reads an @mention in a thread as a message for the thread\'s root post, without the mention', () => {
    const d = decodeActivity(fixture('thread-mention.json'));
    expect(d.inbound).toEqual({
      kind: 'thread_message', activityId: '1741076441553', rootId: '1741076102004', text: '您好，我是客服小王，马上帮您查一下订单。',
      user: { id: '29:1WangAgentTeamsUserId', aadObjectId: '2b2b2b2b-3c3c-4d4d-8e5e-6f6f6f6f6f6f', name: '王 Wang' },
    });
    // the channel's reference, not the thread's
    expect(d.reference?.channelId).toBe('19:handoffs0002@thread.tacv2');
  });

  it('leaves the activity it was given untouched (botbuilder edits the text it strips)', () => {
    const a = fixture('thread-mention.json');
    decodeActivity(a);
    expect(a.text).toBe('<at>shopdesk</at> 您好，我是客服小王，马上帮您查一下订单。');
  });

  it('reads a card button as a card action naming the conversation', () => {
    const d = decodeActivity(fixture('card-submit.json'));
    expect(d.inbound).toMatchObject({ kind: 'card_action', activityId: 'f:8c6a1e4b-0000-4a5e-b0a1-claimclick01', action: { shopdeskAction: 'claim', conversationId: 42 } });
    const forged = decodeActivity({ ...fixture('card-submit.json'), value: { shopdeskAction: 'delete_everything', conversationId: 'x' } });
    expect(forged.inbound.kind).toBe('bad_card_action');
  });

  it('reads a direct message as a staff question and keeps no reference for it', () => {
    const d = decodeActivity(fixture('personal-question.json'));
    expect(d.inbound).toMatchObject({ kind: 'question', where: 'personal', text: '上周的退货率是多少？', user: { aadObjectId: '7d7d7d7d-8e8e-4f9f-a0a0-b1b1b1b1b1b1' } });
    expect(d.reference).toBeNull();
  });

  it('reads a mention in a channel\'s own post (no thread) as a staff question', () => {
    const a = { ...fixture('thread-mention.json'), conversation: { conversationType: 'channel', id: '19:handoffs0002@thread.tacv2', tenantId: TENANT } };
    expect(decodeActivity(a).inbound).toMatchObject({ kind: 'question', where: 'channel' });
  });

  it('ignores its own messages, other platforms, other activity types and garbage', () => {
    const own = { ...fixture('thread-mention.json'), from: { id: BOT, name: 'shopdesk' } };
    expect(decodeActivity(own).inbound).toMatchObject({ kind: 'ignored', reason: 'our own message' });
    expect(decodeActivity({ ...fixture('thread-mention.json'), channelId: 'slack' }).inbound.kind).toBe('ignored');
    expect(decodeActivity({ ...fixture('thread-mention.json'), type: 'typing' }).inbound.kind).toBe('ignored');
    expect(decodeActivity({ hello: 'world' })).toEqual({ inbound: { kind: 'ignored', reason: 'not an activity shopdesk reads' }, tenantId: null, reference: null });
    const someoneElseJoined = { ...fixture('install-team.json'), membersAdded: [{ id: '29:1newcolleague' }] };
    expect(decodeActivity(someoneElseJoined).inbound.kind).toBe('ignored');
  });

  it('tells an internal note from a reply, in English and Chinese punctuation', () => {
    expect(parseStaffText('note: call back at 3pm')).toEqual({ type: 'note', text: 'call back at 3pm' });
    expect(parseStaffText('备注：客户是老顾客')).toEqual({ type: 'note', text: '客户是老顾客' });
    expect(parseStaffText('NOTE：vip')).toEqual({ type: 'note', text: 'vip' });
    expect(parseStaffText('notebook arrived?')).toEqual({ type: 'reply', text: 'notebook arrived?' });
  });

  it('splits a thread id into its channel and root post', () => {
    expect(splitThreadId('19:abc@thread.tacv2;messageid=1741076102004')).toEqual({ channelId: '19:abc@thread.tacv2', rootId: '1741076102004' });
    expect(splitThreadId('19:abc@thread.tacv2')).toEqual({ channelId: '19:abc@thread.tacv2', rootId: null });
  });
});
