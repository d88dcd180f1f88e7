import { describe, expect, it } from 'vitest';
import { ContactPayload, contactKey, decodeContent, roomMessageWanted, threadIdOf } from './wechaty-decode.js';

describe('contactKey', () => {
  it('prefers the WeChat id, then the alias, and marks a bare contact id as unstable', () => {
    expect(contactKey({ id: 'c1', handle: 'alice_wx', alias: '王女士' })).toEqual({ key: 'wx:alice_wx', stable: true });
    expect(contactKey({ id: 'c1', weixin: 'old_puppet_wx' })).toEqual({ key: 'wx:old_puppet_wx', stable: true });
    expect(contactKey({ id: 'c1', alias: ' 王女士 ' })).toEqual({ key: 'alias:王女士', stable: true });
    expect(contactKey({ id: '@8f3a…', name: 'Alice' })).toEqual({ key: 'id:@8f3a…', stable: false });
  });

  it('parses what a puppet gives without trusting its shape', () => {
    expect(ContactPayload.parse({ id: 'c1', handle: 42, alias: null, name: 'A', extra: true })).toEqual({ id: 'c1', name: 'A', handle: undefined, alias: undefined });
  });
});

describe('threads and rooms', () => {
  it('keeps threads apart per bot account, contact and room', () => {
    expect(threadIdOf('wx:shop', 'wx:alice')).toBe('wx:shop|wx:alice');
    expect(threadIdOf('wx:shop', 'wx:alice', 'r1@chatroom')).toBe('wx:shop|room:r1@chatroom|wx:alice');
  });

  it('answers a room only when the bot is @mentioned or the room is allow-listed by topic or id', () => {
    expect(roomMessageWanted({ id: 'r1', topic: '闲聊' }, false, ['VIP'])).toBe(false);
    expect(roomMessageWanted({ id: 'r1', topic: '闲聊' }, true, [])).toBe(true);
    expect(roomMessageWanted({ id: 'r1', topic: 'VIP ' }, false, ['VIP'])).toBe(true);
    expect(roomMessageWanted({ id: 'r1@chatroom' }, false, ['r1@chatroom'])).toBe(true);
  });
});

describe('decodeContent', () => {
  it('turns links and mini-program cards into text the engine reads', () => {
    expect(decodeContent({ type: 'Url', url: { url: 'https://shop.example/p/1', title: '蓝牙耳机  Pro', description: '限时\n优惠' } }))
      .toEqual({ type: 'text', text: '[链接] 蓝牙耳机 Pro\n限时 优惠\nhttps://shop.example/p/1' });
    expect(decodeContent({ type: 'MiniProgram', miniProgram: { title: '我的订单 SD2405120001' } })).toEqual({ type: 'text', text: '[小程序] 我的订单 SD2405120001' });
  });

  it('keeps voice as audio (the engine hands it to a person) and answers stickers and videos politely', () => {
    expect(decodeContent({ type: 'Audio' })).toMatchObject({ type: 'attachment', kind: 'audio' });
    expect(decodeContent({ type: 'Emoticon' })).toEqual({ type: 'unsupported', description: 'WeChat sticker 表情' });
    expect(decodeContent({ type: 'Video' })).toMatchObject({ type: 'unsupported' });
  });

  it('ignores system notices, recalls and empty text', () => {
    for (const type of ['Unknown', 'Recalled', 'GroupNote']) expect(decodeContent({ type })).toBeUndefined();
    expect(decodeContent({ type: 'Text', text: '   ' })).toBeUndefined();
  });

  it('makes a kept image an attachment, and says why one was not kept', () => {
    const media = { mediaId: 'a'.repeat(32), url: `/media/${'a'.repeat(32)}`, mimeType: 'image/png', sizeBytes: 10 };
    expect(decodeContent({ type: 'Image', media })).toMatchObject({ type: 'attachment', kind: 'image', mediaId: media.mediaId });
    expect(decodeContent({ type: 'Image', mediaRefused: 'too_large' })).toEqual({ type: 'unsupported', description: 'image 图片 not kept: too_large' });
    expect(decodeContent({ type: 'Location', location: { latitude: 31.2, longitude: 121.4, name: '门店' } })).toEqual({ type: 'location', latitude: 31.2, longitude: 121.4, label: '门店' });
  });
});
