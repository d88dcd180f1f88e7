import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetFor, decodeEncodedWords, MailIconv } from './mail-charsets.js';
import { decodeMail } from './mail-decode.js';
import { htmlToText } from './mail-html-text.js';
import { noReplyReason } from './mail-loop-guard.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '__fixtures__', name));
const US = { address: 'support@shop.example' };

describe('charsets Chinese mail really uses', () => {
  it('decodes a body labelled GB2312 as GB18030, four-byte characters included', async () => {
    const mail = await decodeMail(fixture('gbk-order-question.eml'));
    expect(mail.text).toContain('我的订单 SD2024030100 到哪了？什么时候发货？');
    expect(mail.text).toContain('吉𠮷祥');
    expect(mail.text).not.toContain('\ufffd');
  });

  it('joins a GB2312 subject split in the middle of a character across two encoded words', async () => {
    const mail = await decodeMail(fixture('gbk-order-question.eml'));
    expect(mail.subject).toBe('我的订单到哪了');
    expect(mail.from).toEqual({ address: 'zhang.san@example.cn', name: '张三𠮷' });
  });

  it('decodes Big5 with the HKSCS characters Cantonese uses, and a raw 8-bit Big5 subject by the message charset', async () => {
    const mail = await decodeMail(fixture('big5-hkscs.eml'));
    expect(mail.text).toBe('請問我嘅訂單幾時到㗎？');
    expect(mail.subject).toBe('訂單查詢');
  });

  it('reads GBK bytes under an unknown charset label instead of showing mojibake', async () => {
    const mail = await decodeMail(fixture('unknown-charset.eml'));
    expect(mail.text).toBe('我想退货');
  });

  it('maps every GB label to GB18030 and Big5 labels to Big5-HKSCS, and never decodes from UTF-7', () => {
    for (const label of ['gb2312', 'GBK', 'x-gbk', 'cp936', '"GB2312"', 'euc-cn']) expect(charsetFor(label)).toBe('gb18030');
    expect(charsetFor('big5')).toBe('big5hkscs');
    expect(charsetFor('utf-7')).toBe('sniff');
    expect(charsetFor('x-mystery')).toBe('sniff');
    expect(charsetFor('iso-8859-1')).toBe('iso-8859-1');
  });

  it('streams a GB18030 body split anywhere into chunks without losing a character', async () => {
    const bytes = iconv.encode('退款𠮷到账了吗', 'gb18030');
    for (let cut = 1; cut < bytes.length; cut++) {
      const stream = new MailIconv('gb2312', 'UTF-8//TRANSLIT//IGNORE');
      const out: Buffer[] = [];
      stream.on('data', (c: Buffer) => out.push(c));
      const ended = new Promise((r) => stream.on('end', r));
      stream.write(bytes.subarray(0, cut));
      stream.end(bytes.subarray(cut));
      await ended;
      expect(Buffer.concat(out).toString('utf8')).toBe('退款𠮷到账了吗');
    }
  });

  it('decodes Q-encoded words and keeps plain text between them', () => {
    expect(decodeEncodedWords('Re: =?utf-8?Q?caf=C3=A9_au_lait?= now')).toBe('Re: café au lait now');
  });
});

describe('quoted replies and signatures, in both languages', () => {
  it('keeps only the answer of an Outlook (Chinese) reply with 原始邮件 and a phone signature', async () => {
    const mail = await decodeMail(fixture('outlook-zh-reply.eml'));
    expect(mail.text).toBe('好的，那我要退货，怎么寄回？');
    expect(mail.quoted).toBe(true);
    expect(mail.inReplyTo).toBe('<sd.111@shop.example>');
    expect(mail.references).toEqual(['<gbk-1@mail.example.cn>', '<sd.111@shop.example>']);
  });

  it('strips a wrapped Gmail "On … wrote:" attribution, the quote and the "--" signature', async () => {
    const mail = await decodeMail(fixture('gmail-en-reply.eml'));
    expect(mail.text).toBe('Thanks. Can I change the delivery address?');
  });

  it('strips Gmail\'s Chinese "于…写道：" and "在…写道：" attributions', async () => {
    const mail = await decodeMail(fixture('gmail-zh-reply.eml'));
    expect(mail.text).toBe('退款什么时候到账？');
    expect(mail.subject).toBe('回复： 退款');
  });

  it('strips QQ Mail\'s "原始邮件" block and decodes its GB18030 display name', async () => {
    const mail = await decodeMail(fixture('qq-reply.eml'));
    expect(mail.text).toBe('你好，我要换货，尺码太小了。');
    expect(mail.from?.name).toBe('王五');
  });

  it('strips an Outlook (English) "From: … Sent: …" header block under its rule', async () => {
    const mail = await decodeMail(fixture('outlook-en-reply.eml'));
    expect(mail.text).toBe('Please cancel it.\n\nThanks\nCarol');
  });
});

describe('HTML mail and attachments', () => {
  it('turns HTML into text without the quoted block, script or style, and lists the attachments', async () => {
    const mail = await decodeMail(fixture('html-with-attachments.eml'));
    expect(mail.text).toBe('The parcel arrived damaged & the box was open.\nPhoto attached.');
    const [logo, photo, doc] = mail.attachments;
    expect(logo).toMatchObject({ contentType: 'image/png', inline: true });
    expect(photo).toMatchObject({ filename: 'damage.png', contentType: 'image/png', inline: false });
    expect(photo.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(doc).toMatchObject({ filename: 'invoice.doc', contentType: 'application/msword' });
  });

  it('cuts an Outlook HTML reply at divRplyFwdMsg and decodes entities', () => {
    const html = '<div>Ok &amp; thanks&nbsp;&#x4f60;&#22909;</div><hr style="x"><div id="divRplyFwdMsg"><b>From:</b> Shop</div><div>old text</div>';
    expect(htmlToText(html)).toBe('Ok & thanks 你好');
  });

  it('reads the headers of malformed MIME instead of failing', async () => {
    const mail = await decodeMail(fixture('malformed.eml'));
    expect(mail.messageId).toBe('<malformed-1@example.com>');
    expect(mail.from?.address).toBe('eve@example.com');
  });

  it('gives a mail without a Message-ID a stable id from its bytes', async () => {
    const raw = Buffer.from('From: a@example.com\r\nSubject: x\r\n\r\nhello\r\n');
    const [a, b] = [await decodeMail(raw), await decodeMail(Buffer.from(raw))];
    expect(a.hasMessageId).toBe(false);
    expect(a.messageId).toMatch(/^<[a-f0-9]{40}@shopdesk\.invalid>$/);
    expect(b.messageId).toBe(a.messageId);
  });
});

describe('which mail gets no bot reply', () => {
  it('a bounce (null Return-Path, MAILER-DAEMON, multipart/report)', async () => {
    expect(noReplyReason(await decodeMail(fixture('bounce-dsn.eml')), US)).toBe('bounce');
  });

  it('an automatic reply (Auto-Submitted: auto-replied)', async () => {
    expect(noReplyReason(await decodeMail(fixture('out-of-office.eml')), US)).toBe('auto_submitted');
  });

  it('list and bulk mail (Precedence, List-Id)', async () => {
    expect(noReplyReason(await decodeMail(fixture('mailing-list.eml')), US)).toBe('bulk');
    const listOnly = Buffer.from('From: n@lists.example\r\nList-Id: <x.lists.example>\r\nMessage-ID: <l@x>\r\n\r\nhi\r\n');
    expect(noReplyReason(await decodeMail(listOnly), US)).toBe('mailing_list');
  });

  it('mail from our own address (any case, any plus tag) and our own Message-ID come back', async () => {
    const own = Buffer.from('From: Support+SD-x@Shop.Example\r\nMessage-ID: <o@x>\r\n\r\nhi\r\n');
    expect(noReplyReason(await decodeMail(own), US)).toBe('own_address');
    const looped = await decodeMail(Buffer.from('From: robot@example.net\r\nMessage-ID: <sd.1@shop.example>\r\n\r\nhi\r\n'));
    expect(noReplyReason(looped, { ...US, ownMessage: true })).toBe('own_message');
  });

  it('answers an ordinary customer mail, also one that says Auto-Submitted: no', async () => {
    expect(noReplyReason(await decodeMail(fixture('gbk-order-question.eml')), US)).toBeUndefined();
    const no = Buffer.from('From: a@example.com\r\nAuto-Submitted: no\r\nMessage-ID: <n@x>\r\n\r\nhi\r\n');
    expect(noReplyReason(await decodeMail(no), US)).toBeUndefined();
  });
});
