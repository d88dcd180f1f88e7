import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeKfMessage, KfSyncResult, kfThreadId, parseKfThreadId } from './kf-decode.js';

const page = KfSyncResult.parse(JSON.parse(readFileSync(new URL('./__fixtures__/sync-msg.json', import.meta.url), 'utf8')));
const ctx = { corpId: 'wwcorp', now: new Date('2026-01-01T00:00:00Z') };
const decoded = (page.msg_list ?? []).map((m) => decodeKfMessage(m, ctx));
const THREAD = 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q:wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw';

describe('decodeKfMessage (published sync_msg entries)', () => {
  it('makes a customer text a message on the account\'s thread, sender scoped by the corp and nothing verified', () => {
    expect(decoded[0]).toEqual({
      kind: 'customer',
      message: {
        channel: 'wecom_kf', platformMessageId: 'from_msgid_4622416642169452483', threadId: THREAD,
        sender: { id: 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw', scope: 'wwcorp' }, receivedAt: new Date(1615478585_000),
        content: { type: 'text', text: '你好，我的快递到哪了' },
      },
    });
  });

  it('reads a msgmenu click as a postback of the item id', () => {
    expect(decoded[1]).toMatchObject({ kind: 'customer', message: { content: { type: 'postback', payload: 'csat:5', text: '满意' } } });
  });

  it('leaves an image to be fetched into the media store, and keeps a location', () => {
    expect(decoded[2]).toMatchObject({ kind: 'customer', media: { mediaId: '2iSLeVyqzk4eX0IB5kTi9Ljfa2rt9dwfq5WKRQ4Nvvgw', kind: 'image' } });
    expect(decoded[3]).toMatchObject({ message: { content: { type: 'location', latitude: 23.1291, longitude: 113.2644, label: '广州塔 广州市海珠区阅江西路222号' } } });
  });

  it('skips a WeCom agent\'s own message and reports session events', () => {
    expect(decoded[4]).toMatchObject({ kind: 'skip' });
    expect(decoded[5]).toEqual({ kind: 'event', eventType: 'session_status_change', threadId: THREAD, changeType: 3 });
    expect(decoded[6]).toMatchObject({ kind: 'event', eventType: 'enter_session' });
  });

  it('describes a mini program card for staff and skips an entry that is not the published format', () => {
    expect(decoded[7]).toMatchObject({ message: { content: { type: 'unsupported', description: expect.stringContaining('商品详情') } } });
    expect(decoded[8]).toMatchObject({ kind: 'skip' });
  });

  it('round-trips thread ids and refuses malformed ones', () => {
    expect(parseKfThreadId(kfThreadId('wk1', 'wm:2'))).toEqual({ openKfid: 'wk1', externalUserId: 'wm:2' });
    expect(parseKfThreadId('nothread')).toBeUndefined();
    expect(parseKfThreadId(':x')).toBeUndefined();
  });
});
