import { describe, expect, it } from 'vitest';
import { detectSmallTalk, smallTalkOf } from './small-talk.js';

describe('small talk lexicon', () => {
  it.each([
    ['你是机器人吗', 'identity'], ['你是機器人嗎？', 'identity'], ['您是真人吗', 'identity'], ['是人工还是机器人', 'identity'], ['机器人吗', 'identity'],
    ['are you a bot?', 'identity'], ['Are you a real person or a bot?', 'identity'], ['r u a bot', 'identity'], ['is this automated?', 'identity'], ['who am I talking to?', 'identity'],
    ['在吗', 'presence'], ['亲，在吗？', 'presence'], ['在嗎', 'presence'], ['有人吗？？', 'presence'], ['are you there?', 'presence'], ['Hello? Anyone there?', 'presence'],
    ['哈哈你真可爱', 'compliment'], ['你好棒！', 'compliment'], ['你真好', 'compliment'], ['good bot', 'compliment'], ["you're so helpful :)", 'compliment'], ['You are AWESOME!!', 'compliment'],
    ['讲个笑话', 'joke'], ['給我講個笑話吧', 'joke'], ['tell me a joke', 'joke'], ['Can you tell me a joke please?', 'joke'],
    ['哈哈哈哈', 'laugh'], ['lol', 'laugh'], ['hahaha', 'laugh'],
    ['你好吗', 'how_are_you'], ['how are you?', 'how_are_you'], ["how's it going", 'how_are_you'],
  ])('reads %j as %s', (text, kind) => {
    expect(smallTalkOf(text)).toBe(kind);
  });

  it.each([
    '你好', 'hello', '好', '好的', 'ok', '是的', '在吗，我的快递到哪了', '你是机器人吗？我要退货', 'are you there? my order has not arrived', '转人工',
    '我要投诉', '人工', 'SD2501019001', '1234', '太好了，谢谢', '可以开发票吗', 'what is your return policy?', '😂😂😂', 'tell me a joke about my refund being late',
  ])('leaves %j to the rest of the engine', (text) => {
    expect(smallTalkOf(text)).toBeUndefined();
  });

  it('takes the model\'s small_talk sub-intent when the lexicon does not know the words', () => {
    expect(detectSmallTalk('你今天吃饭了没', 'small_talk')).toBe('other');
    expect(detectSmallTalk('你今天吃饭了没')).toBeUndefined();
    expect(detectSmallTalk('你是机器人吗', 'small_talk')).toBe('identity');
  });
});
