import { describe, expect, it } from 'vitest';
import { stripQuotedReply } from './mail-quote-stripper.js';

describe('stripQuotedReply', () => {
  it('keeps inline answers between quoted lines and drops the quoted lines', () => {
    const r = stripQuotedReply('> Which size?\nM please\n> Which colour?\nBlue');
    expect(r.text).toBe('M please\nBlue');
    expect(r.stripped).toBe(true);
  });

  it('cuts at the "-- " signature delimiter', () => {
    expect(stripQuotedReply('Where is my parcel?\n-- \nJohn Smith\nACME Ltd').text).toBe('Where is my parcel?');
  });

  it('cuts at the phone-client signatures of both languages', () => {
    expect(stripQuotedReply('退款到了吗\n\n发自我的iPhone').text).toBe('退款到了吗');
    expect(stripQuotedReply('Refund?\n\nSent from my iPhone').text).toBe('Refund?');
    expect(stripQuotedReply('好的\n发自网易邮箱大师').text).toBe('好的');
  });

  it('cuts at 寄件者/寄件日期 (traditional Outlook) and at a NetEase "回复的原邮件" separator', () => {
    expect(stripQuotedReply('謝謝\n\n寄件者: Shop <s@x>\n寄件日期: 2024年3月4日\n內容').text).toBe('謝謝');
    expect(stripQuotedReply('收到\n\n---- 回复的原邮件 ----\n| 发件人 | Shop |').text).toBe('收到');
  });

  it('keeps a customer line that merely starts with "From:" when no date line follows', () => {
    expect(stripQuotedReply('From: Shanghai, shipping to Beijing\nHow long does it take?').text).toBe('From: Shanghai, shipping to Beijing\nHow long does it take?');
  });

  it('keeps a sentence ending in 写道： that is not an attribution', () => {
    expect(stripQuotedReply('说明书上写道：\n请勿水洗').text).toBe('说明书上写道：\n请勿水洗');
  });

  it('leaves a mail without quotes as it is', () => {
    expect(stripQuotedReply('Hello\n\nI want to return SD2024030100.')).toEqual({ text: 'Hello\n\nI want to return SD2024030100.', stripped: false });
  });
});
