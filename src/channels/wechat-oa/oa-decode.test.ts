import { describe, expect, it } from 'vitest';
import { decodeOaCallback, parseMenuSetting, type OaCallbackFields } from './oa-decode.js';

const base = { ToUserName: 'gh_0123456789ab', FromUserName: 'oUser_1', CreateTime: '1764000000' };
const menu = parseMenuSetting('ORDERS=我的订单到哪了, HUMAN=postback:handoff');
const decode = (f: Partial<OaCallbackFields>) => decodeOaCallback({ ...base, MsgType: 'text', ...f } as OaCallbackFields, { menu });

describe('decodeOaCallback', () => {
  it('keys messages by MsgId and events by sender + CreateTime (WeChat retries both)', () => {
    expect(decode({ Content: '在吗', MsgId: '24512345678901234' })).toMatchObject({ kind: 'message', key: 'msg:24512345678901234', content: { type: 'text', text: '在吗' } });
    expect(decode({ MsgType: 'event', Event: 'subscribe' })).toMatchObject({ kind: 'subscribe', key: 'evt:oUser_1:1764000000', opensWindow: true });
  });

  it('reads a voice message by its recognised words, and hands one without words to a person', () => {
    expect(decode({ MsgType: 'voice', MediaId: 'm', Format: 'amr', Recognition: '我要退货', MsgId: '1' })).toMatchObject({ kind: 'message', content: { type: 'text', text: '我要退货' } });
    expect(decode({ MsgType: 'voice', MediaId: 'm', Format: 'amr', Recognition: '', MsgId: '2' })).toMatchObject({ content: { type: 'postback', payload: 'handoff' } });
  });

  it('normalises image, location and link messages', () => {
    expect(decode({ MsgType: 'image', PicUrl: 'https://mmbiz.example/p.jpg', MediaId: 'media1', MsgId: '3' })).toMatchObject({ content: { type: 'attachment', kind: 'image', url: 'https://mmbiz.example/p.jpg' }, picUrl: 'https://mmbiz.example/p.jpg' });
    expect(decode({ MsgType: 'location', Location_X: '31.2304', Location_Y: '121.4737', Label: '上海市黄浦区', MsgId: '4' })).toMatchObject({ content: { type: 'location', latitude: 31.2304, longitude: 121.4737, label: '上海市黄浦区' } });
    expect(decode({ MsgType: 'location', Location_X: 'x', Location_Y: '', MsgId: '5' })).toMatchObject({ content: { type: 'unsupported' } });
    expect(decode({ MsgType: 'link', Title: '这件衣服', Url: 'https://shop.example/p/1', MsgId: '6' })).toMatchObject({ content: { type: 'text', text: '这件衣服\nhttps://shop.example/p/1' } });
    expect(decode({ MsgType: 'shortvideo', MsgId: '7' })).toMatchObject({ content: { type: 'unsupported' } });
  });

  it('maps menu clicks to the configured words or button, and an unknown key to unsupported', () => {
    expect(decode({ MsgType: 'event', Event: 'CLICK', EventKey: 'ORDERS' })).toMatchObject({ kind: 'message', content: { type: 'text', text: '我的订单到哪了' }, key: 'evt:oUser_1:1764000000' });
    expect(decode({ MsgType: 'event', Event: 'CLICK', EventKey: 'HUMAN' })).toMatchObject({ content: { type: 'postback', payload: 'handoff' } });
    expect(decode({ MsgType: 'event', Event: 'CLICK', EventKey: 'NOPE' })).toMatchObject({ content: { type: 'unsupported' } });
  });

  it('opens the send window only for the interactions WeChat counts', () => {
    expect(decode({ MsgType: 'event', Event: 'SCAN', EventKey: '123' })).toMatchObject({ kind: 'none', opensWindow: true });
    expect(decode({ MsgType: 'event', Event: 'VIEW', EventKey: 'https://shop.example' })).toMatchObject({ kind: 'none', opensWindow: false });
    expect(decode({ MsgType: 'event', Event: 'unsubscribe' })).toMatchObject({ kind: 'none', opensWindow: false });
    expect(decode({ MsgType: 'event', Event: 'LOCATION', Latitude: '1' } as Partial<OaCallbackFields>)).toMatchObject({ kind: 'none', opensWindow: false });
  });
});

describe('parseMenuSetting', () => {
  it('reads KEY=words and KEY=postback:PAYLOAD pairs, skipping malformed parts', () => {
    expect(parseMenuSetting('A=查订单,B=postback:flow:return, =x,C=')).toEqual({ A: { text: '查订单' }, B: { postback: 'flow:return' } });
    expect(parseMenuSetting(undefined)).toEqual({});
  });
});
