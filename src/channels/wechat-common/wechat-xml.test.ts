import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildWechatXml, EncryptedEnvelope, parseWechatXml } from './wechat-xml.js';

describe('WeChat XML', () => {
  it('round-trips CDATA text and keeps 64-bit ids as strings', () => {
    const xml = buildWechatXml({ ToUserName: 'gh_1', CreateTime: 1700000000, MsgId: '23456789012345678901', Content: '你好 <b>&]]> end' });
    expect(xml).toContain('<![CDATA[gh_1]]>');
    expect(xml).toContain('<CreateTime>1700000000</CreateTime>');
    const back = parseWechatXml(xml, z.object({ ToUserName: z.string(), CreateTime: z.string(), MsgId: z.string(), Content: z.string() }));
    expect(back).toEqual({ ToUserName: 'gh_1', CreateTime: '1700000000', MsgId: '23456789012345678901', Content: '你好 <b>&]]> end' });
  });

  it('parses the encrypted envelope the platform posts', () => {
    const env = parseWechatXml('<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[abc=]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>', EncryptedEnvelope);
    expect(env.Encrypt).toBe('abc=');
  });

  it('refuses what is not the expected XML as CALLBACK_CORRUPTED', () => {
    expect(() => parseWechatXml('not xml at all', EncryptedEnvelope)).toThrow(expect.objectContaining({ code: 'CALLBACK_CORRUPTED' }));
    expect(() => parseWechatXml('<xml><ToUserName>x</ToUserName></xml>', EncryptedEnvelope)).toThrow(expect.objectContaining({ code: 'CALLBACK_CORRUPTED' }));
    expect(() => parseWechatXml('<!DOCTYPE x [<!ENTITY a "b">]><xml><Encrypt>&a;</Encrypt></xml>', EncryptedEnvelope)).toThrow(expect.objectContaining({ code: 'CALLBACK_CORRUPTED' }));
    expect(() => parseWechatXml(`<xml><Encrypt>${'a'.repeat(70_000)}</Encrypt></xml>`, EncryptedEnvelope)).toThrow(expect.objectContaining({ code: 'CALLBACK_CORRUPTED' }));
  });
});
