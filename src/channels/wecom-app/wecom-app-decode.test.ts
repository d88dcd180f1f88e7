import { describe, expect, it } from 'vitest';
import { decodeAppCallback } from './wecom-app-decode.js';

const base = { ToUserName: 'wwcorp', FromUserName: 'zhangsan', CreateTime: '1700000000', AgentID: '1000002' };

describe('WeCom app callback decoding', () => {
  it('reads a text message with its MsgId as the idempotency key', () => {
    expect(decodeAppCallback({ ...base, MsgType: 'text', Content: '接 12', MsgId: '7301234567890123456' }, 1000002))
      .toEqual({ kind: 'text', user: 'zhangsan', text: '接 12', id: 'msg:7301234567890123456' });
  });

  it('reads a template card button tap', () => {
    const d = decodeAppCallback({ ...base, MsgType: 'event', Event: 'template_card_event', EventKey: 'claim:12', TaskId: 'sd-5', CardType: 'button_interaction', ResponseCode: 'rc' }, 1000002);
    expect(d).toEqual({ kind: 'button', user: 'zhangsan', key: 'claim:12', taskId: 'sd-5', id: 'card:zhangsan:1700000000:sd-5:claim:12', responseCode: 'rc' });
  });

  it('ignores other apps\' messages and plain events, and marks media as unsupported', () => {
    expect(decodeAppCallback({ ...base, AgentID: '99', MsgType: 'text', Content: 'x', MsgId: '1' }, 1000002).kind).toBe('ignore');
    expect(decodeAppCallback({ ...base, MsgType: 'event', Event: 'enter_agent', EventKey: '' }, 1000002).kind).toBe('ignore');
    expect(decodeAppCallback({ ...base, MsgType: 'image', PicUrl: 'http://x', MediaId: 'm', MsgId: '5' }, 1000002)).toEqual({ kind: 'unsupported', user: 'zhangsan', what: 'image', id: 'msg:5' });
    expect(decodeAppCallback({ nonsense: true }, 1000002).kind).toBe('ignore');
  });
});
