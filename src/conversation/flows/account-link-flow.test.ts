import { describe, expect, it } from 'vitest';
import { isLinkRequest } from './account-link-flow.js';

describe('account link requests', () => {
  it('recognises asking to link or verify a phone, e-mail or account, in Chinese and English', () => {
    for (const text of ['绑定手机', '我想绑定一下手机号', '验证邮箱', '关联我的账号', '核实身份', 'link my account', 'Please verify my email', 'can you link this chat', 'connect my account']) {
      expect(isLinkRequest(text), text).toBe(true);
    }
  });

  it('leaves codes, broken phones and orders alone', () => {
    for (const text of ['验证码没收到', '我的手机坏了，想退货', '手机壳有货吗', 'where is my order?', 'my email changed', 'verification code please']) {
      expect(isLinkRequest(text), text).toBe(false);
    }
  });
});
