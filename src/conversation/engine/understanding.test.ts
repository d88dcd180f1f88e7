import { describe, expect, it } from 'vitest';
import { detectControl } from './understanding.js';

describe('explicit requests for a person', () => {
  it('hears them anywhere in a message, in Chinese and English', () => {
    for (const text of ['转人工', '我的快递一直没到，转人工', '请帮我接人工客服', '我要找人工！', 'I want to talk to a human', 'can I speak with a real person please', 'human agent', 'Let me chat to an agent']) {
      expect(detectControl(text), text).toBe('human');
    }
  });

  it('does not take a refusal or an unrelated sentence for one', () => {
    for (const text of ['不用转人工了', '不需要人工，谢谢', "I don't want to talk to anyone", 'what is a human resources department', '人工智能是什么']) {
      expect(detectControl(text), text).not.toBe('human');
    }
  });

  it('keeps whole-message control words first', () => {
    expect(detectControl('算了')).toBe('cancel');
    expect(detectControl('好的')).toBe('yes');
  });
});
