import { describe, expect, it } from 'vitest';
import { stripPoliteness } from './politeness-stripper.js';
import { normaliseText } from './text-normaliser.js';

const strip = (t: string): string => stripPoliteness(normaliseText(t));

describe('stripPoliteness', () => {
  it('peels Chinese greetings, attention-getters and thanks off a request', () => {
    expect(strip('亲，在吗？请问我的快递到哪了，谢谢')).toBe('我的快递到哪了');
    expect(strip('您好 麻烦帮我改下地址 谢谢亲')).toBe('帮我改下地址');
    expect(strip('客服你好，发票开好了吗')).toBe('发票开好了吗');
  });

  it('peels English greetings and sign-offs off a request', () => {
    expect(strip('Hi team, can you help me cancel my order? Thanks in advance')).toBe('can you help me cancel my order?');
    expect(strip('hello, where is my refund??? thx')).toBe('where is my refund?');
  });

  it('leaves a message that is only politeness as it is', () => {
    expect(strip('你好呀')).toBe('你好呀');
    expect(strip('在吗在吗')).toBe('在吗在吗');
    expect(strip('ok thanks bye')).toBe('ok thanks bye');
  });

  it('never eats the start of a word or a meaningful opener', () => {
    expect(strip('hiking boots in stock?')).toBe('hiking boots in stock?');
    expect(strip('客服电话多少')).toBe('客服电话多少');
    expect(strip('早点发货')).toBe('早点发货');
  });
});
