import { describe, expect, it } from 'vitest';
import { followUpCue, isClosing, languageSwitchOf, pointsAtAnOrder } from './context-cues.js';
import { splitRequests } from './request-splitter.js';

describe('follow-up cues', () => {
  it.each([
    ['等多久?', 'eta'], ['还要等多久啊', 'eta'], ['还没到', 'eta'], ['怎麼還沒到？', 'eta'], ['啥时候到', 'eta'], ['那现在到哪了', 'eta'],
    ['how long?', 'eta'], ['When will it arrive?', 'eta'], ["it still hasn't arrived", 'eta'], ['any updates?', 'eta'],
    ['开好了吗', 'progress'], ['開好了嗎', 'progress'], ['处理了没', 'progress'], ['is it done yet?', 'progress'], ['any progress?', 'progress'],
    ['另一个呢', 'other_order'], ['那另外一个订单呢？', 'other_order'], ['what about the other one?', 'other_order'], ['And my other order?', 'other_order'],
  ])('reads %j as a follow-up (%s)', (text, cue) => {
    expect(followUpCue(text)).toBe(cue);
  });

  it.each(['我的订单SD2501019001到哪了', '怎么开发票', 'how long does a refund take?', 'where is my order', '你好', '退货'])('does not read %j as a bare follow-up', (text) => {
    expect(followUpCue(text)).toBeUndefined();
  });

  it('notices a message about an order it does not name', () => {
    expect(pointsAtAnOrder('我要取消这个订单')).toBe(true);
    expect(pointsAtAnOrder('I want to return it')).toBe(true);
    expect(pointsAtAnOrder('我要退货')).toBe(false);
    expect(pointsAtAnOrder('这个能退吗')).toBe(true);
    expect(pointsAtAnOrder('can I return this?')).toBe(true);
    expect(pointsAtAnOrder('这个手机壳有货吗')).toBe(false);
  });
});

describe('language switch requests', () => {
  it.each([['我想用中文', 'zh'], ['请说中文', 'zh'], ['中文可以吗？', 'zh'], ['Chinese please', 'zh'], ['English please', 'en'], ['can you speak English?', 'en'], ['用英文', 'en'], ['說英文吧', 'en']])('%j asks for %s', (text, lang) => {
    expect(languageSwitchOf(text)).toBe(lang);
  });
  it.each(['中文说明书有吗', 'is the manual in english?', '英文版的书有货吗'])('%j is not a switch request', (text) => {
    expect(languageSwitchOf(text)).toBeUndefined();
  });
});

describe('closing', () => {
  it.each(['好的谢谢', '好的，谢谢！', '多谢啦亲', 'much appreciated', '谢谢，没有了', '没事了，谢谢', '不用了，谢谢', '謝謝您', 'thanks', "thanks that's all", 'Thank you so much!', 'ok thanks, bye', "that's all, thanks"])('%j closes the conversation', (text) => {
    expect(isClosing(text)).toBe(true);
  });
  it.each(['好的', 'ok', '嗯嗯那个', '谢谢，我的退款到哪了', 'thanks, where is my refund?', '不用了', 'no'])('%j does not', (text) => {
    expect(isClosing(text)).toBe(false);
  });
});

describe('two requests in one message', () => {
  it('splits at a connector, in Chinese and English', () => {
    expect(splitRequests('查一下订单SD2501019001，另外怎么开发票')).toMatchObject({ first: '查一下订单SD2501019001', second: '怎么开发票' });
    expect(splitRequests('where is my order SD2501019011? Also, how do I get an invoice')).toMatchObject({ first: 'where is my order SD2501019011', second: 'how do I get an invoice' });
    expect(splitRequests('订单SD2501019001到哪了？怎么开发票？')).toMatchObject({ first: '订单SD2501019001到哪了', second: '怎么开发票？', seam: 'question' });
  });
  it('leaves a single request alone', () => {
    expect(splitRequests('我想退货，尺码不合适')).toBeUndefined();
    expect(splitRequests('where is my order?')).toBeUndefined();
    expect(splitRequests('另外怎么开发票')).toBeUndefined();
  });
});
