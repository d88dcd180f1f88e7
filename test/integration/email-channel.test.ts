import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailChannel, type EmailSettings } from '../../src/channels/email/email-channel.js';
import { createCrm } from '../../src/crm/index.js';
import { DEMO_PERSONAS } from '../../src/crm/seed/demo-personas.js';
import { FileMediaStore } from '../../src/media/file-media-store.js';
import { SmtpOtpSender } from '../../src/otp/smtp-otp-sender.js';
import type { ChannelInstance } from '../../src/shared/channel-lifecycle.js';
import type { InboundMessage } from '../../src/shared/message-types.js';
import { InProcessRateLimiter } from '../../src/shared/rate-limiter.js';
import { createHarness, type Harness } from '../factories/engine-harness.js';
import { customerMail, dovecotInstalled, startDovecot, startSmtpToImap, type DovecotServer } from '../factories/mail-servers.js';
import type { SmtpTestServer } from '../factories/smtp-test-server.js';
import { createTestDatabase, type TestDatabase } from '../factories/test-database.js';

/**
 * The e-mail channel end to end: mail appended to the shop's mailbox on a real Dovecot is read
 * over IMAP by the channel, answered by the real engine (NLU, flows, seeded demo shop), sent over
 * SMTP to a real smtp-server that delivers it into the customer's mailbox on the same Dovecot,
 * where these tests read it back. .ci/run installs dovecot-imapd, so CI never skips this.
 */
const SHOP = 'support@shop.example';
const FIXTURES = join(import.meta.dirname, '..', '..', 'src', 'channels', 'email', '__fixtures__');
const PER_HOUR = 5;

const mail = (o: Omit<Parameters<typeof customerMail>[0], 'to'>) => customerMail({ to: `Demo Shop <${SHOP}>`, ...o });

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!dovecotInstalled())('e-mail channel on Dovecot (IMAP) and smtp-server (SMTP)', () => {
  let dovecot: DovecotServer;
  let smtp: SmtpTestServer;
  let database: TestDatabase;
  let harness: Harness;
  let channel: ChannelInstance;
  let settings: EmailSettings;
  let media: FileMediaStore;
  let mediaDir: string;
  const accepted: InboundMessage[] = [];

  function build(): ChannelInstance {
    const crm = createCrm(database.db);
    return createEmailChannel(settings, {
      // the engine is made after the channel (its adapter goes into the engine's registry)
      sink: { accept: (m) => { accepted.push(m); return harness.engine.accept(m); } },
      state: crm.channelState('email'), tryLease: async () => null, media, limiter,
    });
  }
  const limiter = new InProcessRateLimiter();

  /** Waits until the mail is stored and its turn is done, then returns the replies to it in the customer's mailbox. */
  async function settle(messageId: string): Promise<ParsedMail[]> {
    await until(`message ${messageId} processed`, async () => {
      const rows = await database.db.message.findMany({ where: { channel: 'email', direction: 'in', platformMessageId: messageId } });
      return rows.length > 0 && rows.every((r) => r.status === 'processed');
    });
    await harness.queue.drain(20_000);
    return (await dovecot.messages('customer')).map((m) => m.mail).filter((m) => m.inReplyTo === messageId);
  }

  async function send(raw: string | Buffer): Promise<void> {
    await dovecot.append('shop', raw);
  }

  const text = (m: ParsedMail) => m.text ?? '';

  beforeAll(async () => {
    dovecot = await startDovecot(['shop', 'customer']);
    smtp = await startSmtpToImap(dovecot, 'customer');
    database = await createTestDatabase();
    mediaDir = mkdtempSync(join(tmpdir(), 'shopdesk-email-media-'));
    media = new FileMediaStore(mediaDir, { maxBytes: 5 * 1024 * 1024, maxPixels: 64_000_000, maxSidePx: 16_384 }, 'email-test-secret-0123456789');
    settings = {
      address: SHOP, fromName: 'Demo Shop',
      imap: { host: '127.0.0.1', port: dovecot.port, secure: false, user: 'shop', pass: 'test-password-1', mailbox: 'INBOX', pollIntervalMs: 300, maxMailBytes: 2 * 1024 * 1024 },
      smtpUrl: smtp.url, autoreplyPerHour: PER_HOUR,
    };
    channel = build();
    // one-time codes go out over the same SMTP server, into the customer's mailbox
    harness = await createHarness({ database, adapters: [channel.adapter], otp: new SmtpOtpSender({ url: smtp.url, from: `Demo Shop <${SHOP}>` }) });
    await channel.start();
    await until('IMAP up', async () => channel.health().state === 'up');
  }, 120_000);

  afterAll(async () => {
    await channel?.stop();
    await harness?.close();
    await smtp?.close();
    await dovecot?.close();
    if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
  });

  it('answers a mail with one threaded reply in the customer\'s mailbox, and threads the customer\'s answer to it', async () => {
    const first = mail({ from: 'Bob Lee <bob@customer.example>', subject: 'Returns', body: 'Hello, what is your return policy?' });
    await send(first.raw);
    const [reply, ...more] = await settle(first.id);
    expect(more).toEqual([]);
    expect(reply.subject).toMatch(/^Re: Returns \[#SD-[a-z2-9]{10}\]$/);
    expect(reply.from?.value[0].address).toBe(SHOP);
    expect((reply.to as { value: { address: string }[] }).value[0].address).toBe('bob@customer.example');
    expect(reply.references).toContain(first.id);
    expect(reply.headers.get('auto-submitted')).toBe('auto-replied');
    expect(text(reply).length).toBeGreaterThan(20);
    expect(reply.html).toContain('<p');
    expect(reply.messageId).toMatch(/^<sd\.[a-f0-9]{24}@shop\.example>$/);

    const answer = mail({ from: 'bob@customer.example', subject: `Re: ${reply.subject}`, body: `Thanks! Do you have an invoice?\n\nOn Mon, Demo Shop <${SHOP}> wrote:\n> ${text(reply).split('\n')[0]}`, inReplyTo: reply.messageId, references: [first.id, reply.messageId!] });
    await send(answer.raw);
    const [second] = await settle(answer.id);
    expect(second.subject).toBe(reply.subject);
    expect(second.references).toEqual(expect.arrayContaining([first.id, answer.id]));
    const rows = await database.db.message.findMany({ where: { channel: 'email', direction: 'in', platformMessageId: { in: [first.id, answer.id] } }, orderBy: { id: 'asc' } });
    expect(rows[1].threadId).toBe(rows[0].threadId);
    expect(rows[1].conversationId).toBe(rows[0].conversationId);
    // the quoted earlier reply is not part of what the customer said
    expect(rows[1].text).toBe('Thanks! Do you have an invoice?');
  });

  it('understands a GBK mail labelled GB2312 and answers its Chinese question in Chinese', async () => {
    const raw = readFileSync(join(FIXTURES, 'gbk-order-question.eml'));
    await send(raw);
    const [reply] = await settle('<gbk-1@mail.example.cn>');
    const row = await database.db.message.findFirstOrThrow({ where: { channel: 'email', platformMessageId: '<gbk-1@mail.example.cn>' } });
    expect(row.text).toContain('我的订单 SD2024030100 到哪了');
    expect(row.intent).toBe('order_status');
    expect(text(reply)).toMatch(/[订单手机号]/);
    expect(reply.subject).toMatch(/^Re: 我的订单到哪了 \[#SD-/);
  });

  it('stores a bounce, an automatic reply, a list mail and our own mail coming back, and answers none of them', async () => {
    const ids = ['<dsn-1@mx.example.net>', '<ooo-1@example.com>', '<list-1@lists.example.com>'];
    for (const f of ['bounce-dsn.eml', 'out-of-office.eml', 'mailing-list.eml']) await send(readFileSync(join(FIXTURES, f)));
    const own = mail({ from: `Demo Shop <${SHOP}>`, body: 'Where is my order?' });
    await send(own.raw);
    for (const id of [...ids, own.id]) expect(await settle(id)).toEqual([]);
    const stored = await database.db.message.findMany({ where: { channel: 'email', direction: 'in', platformMessageId: { in: [...ids, own.id] } } });
    expect(stored).toHaveLength(4);
    for (const s of stored) {
      expect(s.conversationId).not.toBeNull();
      expect(JSON.parse(s.payload!).botSilent).toMatch(/bounce|report|auto_submitted|bulk|own_address/);
    }
    expect(await database.db.message.count({ where: { direction: 'out', replyToId: { in: stored.map((s) => s.id) } } })).toBe(0);
  });

  it('breaks a mail loop: a robot gets EMAIL_AUTOREPLY_PER_HOUR answers, and our reply sent back to us gets none', async () => {
    const replies: number[] = [];
    for (let i = 0; i < PER_HOUR + 2; i++) {
      const m = mail({ from: 'robot@loop.example', subject: `Ticket ${i}`, body: `We received your message about your order (${i}).` });
      await send(m.raw);
      replies.push((await settle(m.id)).length);
    }
    expect(replies).toEqual([...Array(PER_HOUR).fill(1), 0, 0]);
    // a forwarder that sends our own reply back into our mailbox
    const ours = (await dovecot.messages('customer')).find((m) => m.mail.to && JSON.stringify(m.mail.to).includes('robot@loop.example'));
    expect(ours).toBeDefined();
    await send(ours!.raw);
    expect(await settle(ours!.mail.messageId!)).toEqual([]);
  });

  it('neither loses nor repeats a mail across restarts of the channel (UID cursor, Message-ID)', async () => {
    await channel.stop();
    const waiting = [0, 1, 2].map((i) => mail({ from: `carol${i}@customer.example`, subject: 'Invoice', body: 'Can I get an invoice for my order?' }));
    for (const m of waiting) await send(m.raw);
    channel = build();
    await channel.start();
    for (const m of waiting) expect(await settle(m.id)).toHaveLength(1);
    // a crash after storing but before the cursor moved: the cursor is set back, the mail is read again
    const { createCrm: crmOf } = await import('../../src/crm/index.js');
    const state = crmOf(database.db).channelState('email');
    const cursor = JSON.parse((await state.get('cursor:INBOX'))!) as { uidValidity: string; lastUid: number };
    await channel.stop();
    await state.set('cursor:INBOX', JSON.stringify({ ...cursor, lastUid: cursor.lastUid - 3 }));
    const before = accepted.length;
    channel = build();
    await channel.start();
    await until('the three mails re-read', async () => accepted.length >= before + 3 && channel.health().counters!.duplicates >= 3);
    await harness.queue.drain(20_000);
    for (const m of waiting) expect(await settle(m.id)).toHaveLength(1);
    expect(JSON.parse((await state.get('cursor:INBOX'))!).lastUid).toBe(cursor.lastUid);
  });

  it('shows a forged From: of a known customer none of her orders', async () => {
    const alice = DEMO_PERSONAS.alice;
    const ask = mail({ from: `Alice Smith <${alice.email}>`, subject: 'My orders', body: 'Where is my order? Please list my recent orders.' });
    await send(ask.raw);
    const [reply] = await settle(ask.id);
    for (const secret of [alice.orders.shipped, alice.orders.deliveredRecently, alice.tracking.shipped, 'DHL']) expect(text(reply)).not.toContain(secret);
    const byNumber = mail({ from: `Alice Smith <${alice.email}>`, subject: 'Order status', body: `What is the status of order ${alice.orders.shipped}?` });
    await send(byNumber.raw);
    const [asked] = await settle(byNumber.id);
    expect(text(asked)).toContain('last 4 digits');
    expect(text(asked)).not.toContain(alice.tracking.shipped);
    const aliceId = await harness.crm.customers.findByContact(alice.email);
    expect(aliceId).toBeDefined();
    const conversation = await database.db.message.findFirstOrThrow({ where: { platformMessageId: byNumber.id }, include: { conversation: true } });
    expect(await harness.crm.customers.surviving(conversation.conversation!.customerId)).not.toBe(aliceId);
  });

  it('lets the real owner act on her order only after a one-time code sent to the address on file, never by her From: line', async () => {
    const z = DEMO_PERSONAS.zhangSan;
    const from = `张三 <${z.email}>`;
    const start = mail({ from, subject: '退货', body: `我要退货 ${z.orders.deliveredRecently}` });
    await send(start.raw);
    let [reply] = await settle(start.id);
    expect(text(reply)).toContain('后四位');
    const chain = [start.id];
    const answer = async (body: string): Promise<string> => {
      chain.push(reply.messageId!);
      const m = mail({ from, subject: `回复: ${reply.subject}`, body, inReplyTo: reply.messageId, references: [...chain] });
      chain.push(m.id);
      await send(m.raw);
      [reply] = await settle(m.id);
      return text(reply);
    };
    expect(await answer(z.phone.slice(-4))).toMatch(/1\. 发送验证码/);
    const isCode = (m: { mail: ParsedMail }) => (m.mail.subject ?? '').includes(`订单 ${z.orders.deliveredRecently} 验证码`);
    const codesBefore = (await dovecot.messages('customer')).filter(isCode).length;
    expect(await answer('1')).toContain('6 位验证码');
    const codeMail = await until('the one-time code mail', async () => (await dovecot.messages('customer')).filter(isCode)[codesBefore]);
    expect((codeMail.mail.to as { value: { address: string }[] }).value[0].address).toBe(z.email);
    const code = /(\d{6})/.exec(codeMail.mail.text ?? '')![1];
    // proved: the return goes on as the owner's, who may see the order's items (a guest never does)
    expect(await answer(code)).toMatch(/请选择要退货的商品[\s\S]*1\. .*×\d/);
    const row = await database.db.message.findFirstOrThrow({ where: { platformMessageId: start.id } });
    const proofs = await database.db.conversationProof.findMany({ where: { conversationId: row.conversationId! } });
    expect(proofs.map((p) => p.kind)).toContain('order_otp');
    // the proof belongs to this conversation: the From: line still does not make the sender 张三
    const ownerId = await harness.crm.customers.findByContact(z.email);
    const conversation = await database.db.conversation.findUniqueOrThrow({ where: { id: row.conversationId! } });
    expect(await harness.crm.customers.surviving(conversation.customerId)).not.toBe(ownerId);
  }, 60_000);

  it('opens a new conversation for a mail whose headers point at someone else\'s conversation', async () => {
    const own = mail({ from: 'dora@customer.example', subject: 'Shipping', body: 'How long does shipping take?' });
    await send(own.raw);
    const [reply] = await settle(own.id);
    const forged = mail({ from: 'mallory@evil.example', subject: `Re: ${reply.subject}`, body: 'How long does shipping take to Mars?', inReplyTo: reply.messageId, references: [own.id, reply.messageId!] });
    await send(forged.raw);
    const [toMallory] = await settle(forged.id);
    expect((toMallory.to as { value: { address: string }[] }).value[0].address).toBe('mallory@evil.example');
    expect(toMallory.subject).not.toBe(reply.subject);
    const rows = await database.db.message.findMany({ where: { platformMessageId: { in: [own.id, forged.id] } }, orderBy: { id: 'asc' } });
    expect(rows[1].threadId).not.toBe(rows[0].threadId);
    expect(rows[1].conversationId).not.toBe(rows[0].conversationId);
  });

  it('strips quoted Chinese and English replies before the engine reads them', async () => {
    const start = mail({ from: '张三 <zhang.san@customer.example>', subject: '退货', body: '你好，我想退货' });
    await send(start.raw);
    const [reply] = await settle(start.id);
    const zh = mail({
      from: 'zhang.san@customer.example', subject: `回复: ${reply.subject}`, inReplyTo: reply.messageId, references: [start.id, reply.messageId!],
      body: `好的，那怎么寄回？\n\n发自我的iPhone\n\n-----原始邮件-----\n发件人: Demo Shop <${SHOP}>\n发送时间: 2024年3月1日 10:05\n主题: ${reply.subject}\n\n${text(reply)}`,
    });
    const en = mail({
      from: 'erin@customer.example', subject: 'Delivery', body: `Is delivery free?\n\n________________________________\nFrom: Demo Shop <${SHOP}>\nSent: Monday, March 4, 2024 9:00 AM\nSubject: old\n\nold text`,
    });
    await send(zh.raw);
    await send(en.raw);
    await settle(zh.id);
    await settle(en.id);
    const texts = await database.db.message.findMany({ where: { platformMessageId: { in: [zh.id, en.id] } }, orderBy: { id: 'asc' }, select: { text: true } });
    expect(texts.map((t) => t.text)).toEqual(['好的，那怎么寄回？', 'Delivery\nIs delivery free?']);
  });

  it('puts attachments into the media store, owned by the mail\'s thread, and answers the mail once', async () => {
    await send(readFileSync(join(FIXTURES, 'html-with-attachments.eml')));
    const replies = await settle('<html-photo-1@example.com>');
    expect(replies).toHaveLength(1);
    const rows = await database.db.message.findMany({ where: { channel: 'email', platformMessageId: { startsWith: '<html-photo-1@example.com>' } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => JSON.parse(r.payload!).content.type)).toEqual(['text', 'attachment', 'unsupported']);
    const photo = JSON.parse(rows[1].payload!).content as { mediaId: string; url: string };
    const record = await media.get(photo.mediaId);
    expect(record).toMatchObject({ mimeType: 'image/png', name: 'damage.png', owner: { channel: 'email', threadId: rows[0].threadId, uploadedBy: 'customer' } });
    expect(photo.url).toBe(`/media/${photo.mediaId}`);
  });

  it('keeps only the headers of a mail over the size limit, stores that it came, and answers nothing', async () => {
    const big = mail({ from: 'hank@customer.example', subject: 'Huge video', body: 'x'.repeat(3 * 1024 * 1024) });
    await send(big.raw);
    expect(await settle(big.id)).toEqual([]);
    const rows = await database.db.message.findMany({ where: { channel: 'email', platformMessageId: { startsWith: big.id } }, orderBy: { id: 'asc' } });
    expect(rows[0].text).toMatch(/could not be read \(mail larger than EMAIL_MAX_MAIL_MB/);
    expect(JSON.parse(rows[0].payload!).botSilent).toBe('unreadable');
    expect(channel.health().counters!.oversize).toBe(1);
  });

  it('reconnects after the IMAP server restarts and takes the mail that arrived meanwhile', async () => {
    await dovecot.stop();
    await until('the channel notices', async () => channel.health().state !== 'up');
    await dovecot.restart();
    const m = mail({ from: 'fred@customer.example', subject: 'Hello', body: 'Do you ship to Hong Kong?' });
    await send(m.raw);
    expect(await settle(m.id)).toHaveLength(1);
    expect(channel.health().state).toBe('up');
    expect(channel.health().counters!.reconnects).toBeGreaterThan(0);
  }, 60_000);
});
