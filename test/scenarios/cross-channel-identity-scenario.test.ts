import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONAS } from '../../src/crm/seed/index.js';
import { HttpSmsGateway } from '../../src/otp/http-sms-gateway.js';
import { CombinedOtpSender, SmsOtpSender } from '../../src/otp/sms-otp-sender.js';
import { SmtpOtpSender } from '../../src/otp/smtp-otp-sender.js';
import type { ChannelName, InboundContent, InboundSender, OutboundMessage } from '../../src/shared/message-types.js';
import { choicesOf, createHarness, PLAIN, RecordingChannel, textOf, type Harness } from '../factories/engine-harness.js';
import { startSmsGatewayStub } from '../factories/sms-gateway-stub.js';
import { startSmtpTestServer, type SmtpTestServer } from '../factories/smtp-test-server.js';

/**
 * Account linking by one-time code at the engine level (issue 10 item 7): codes go to the phone or
 * e-mail on file through a real SMTP server and a real HTTP SMS gateway on loopback; each channel
 * is one `Visit` — the normalised message its channel hands the engine. The edge cases live here:
 * a forged `From:`, contacts not on file, an already identified customer, an expired code, a shop
 * without SMS. The happy path — one person on the web chat, WeChat and e-mail ending as one
 * profile — goes through the real channel code in one-customer-real-channels-scenario.test.ts.
 */
const Z = DEMO_PERSONAS.zhangSan;
const A = DEMO_PERSONAS.alice;
let h: Harness;
let smtp: SmtpTestServer;
let gateway: Awaited<ReturnType<typeof startSmsGatewayStub>>;
let mailer: SmtpOtpSender;
const email = new RecordingChannel('email', PLAIN);

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  gateway = await startSmsGatewayStub();
  mailer = new SmtpOtpSender({ url: smtp.url, from: 'Demo Shop <service@shop.example>' });
  const otp = new CombinedOtpSender([mailer, new SmsOtpSender(new HttpSmsGateway({ url: gateway.url, token: 'gateway-token-123' }))]);
  h = await createHarness({ otp, adapters: [email] });
}, 60_000);
afterAll(async () => {
  mailer?.close();
  await h?.close();
  await smtp?.close();
  await gateway?.close();
});

/** One thread on one channel, speaking as its channel would hand messages to the engine. */
function visit(channel: ChannelName, sender: InboundSender, recorder?: RecordingChannel) {
  if (channel === 'web') return h.customer({ sender });
  const threadId = channel === 'email' ? `SD-${randomUUID().slice(0, 10)}` : sender.id;
  return {
    threadId,
    async send(content: string | InboundContent): Promise<OutboundMessage[]> {
      const before = recorder!.forThread(threadId).length;
      await h.engine.accept({ channel, platformMessageId: randomUUID(), threadId, receivedAt: new Date(), sender, content: typeof content === 'string' ? { type: 'text', text: content } : content });
      await h.queue.drain(20_000);
      return recorder!.forThread(threadId).slice(before);
    },
  };
}
const webVisit = () => visit('web', { id: `browser-${randomUUID()}` });
// the e-mail channel's sender: the From: address as its own identity, asserted only
const emailVisit = (from: string, name: string) => visit('email', { id: from, displayName: name, asserted: { email: from } }, email);

async function until<T>(what: string, fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const mailsTo = (address: string) => smtp.received.filter((m) => (m.to as { value: { address: string }[] } | undefined)?.value.some((v) => v.address === address));
const mailedCode = (address: string, n: number) => until(`code mail #${n} to ${address}`, () => /\b(\d{6})\b/.exec(mailsTo(address)[n - 1]?.text ?? '')?.[1]);
const textedCode = (phone: string, n: number) => until(`code text #${n} to ${phone}`, () => /(\d{6})/.exec(gateway.textsTo(phone)[n - 1] ?? '')?.[1]);
const ownOrders = (text: string, persona: { orders: Record<string, string> }) => Object.values(persona.orders).filter((o) => text.includes(o));

describe('one customer across channels', () => {
  it("keeps a forged From: of a linked customer away from her orders until it proves the code, which went to her mailbox", { timeout: 90_000 }, async () => {
    // Alice links her mailbox once…
    const real = emailVisit(A.email, 'Alice Smith');
    await real.send('verify my email');
    await real.send(A.email);
    expect(textOf(await real.send(await mailedCode(A.email, 1)))).toMatch(/Verified!/);
    // …then someone else writes a new mail with her From:
    const forged = emailVisit(A.email, 'Alice Smith');
    const asked = await forged.send('Where is my order? Please list my orders.');
    expect(ownOrders(textOf(asked), A)).toEqual([]);
    expect(textOf(await forged.send(`order ${A.orders.shipped}`))).toMatch(/last 4 digits/);
    expect(textOf(await forged.send('link my account'))).toMatch(/e-mail address/);
    await forged.send(A.email);
    const code = await mailedCode(A.email, 2);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(textOf(await forged.send(wrong))).toMatch(/not right\. You have 4 more tries/);
    expect(ownOrders(textOf(await forged.send('Where is my order?')), A)).toEqual([]);
    const conversation = await h.crm.conversations.byThread('email', forged.threadId);
    expect(await h.crm.customers.identityProvenIn(conversation!.id, conversation!.customerId)).toBe(false);
  });

  it('answers a contact that is not on file exactly like one that is, and sends nothing', { timeout: 60_000 }, async () => {
    const mailsBefore = smtp.received.length;
    const textsBefore = gateway.state.requests.length;
    const probe = webVisit();
    await probe.send('link my account');
    const unknown = textOf(await probe.send('nobody.here@example.com'));
    const other = webVisit();
    await other.send('link my account');
    const known = textOf(await other.send(A.email));
    expect(unknown.replace('no***@example.com', '<contact>')).toBe(known.replace('al***@example.com', '<contact>'));
    await mailedCode(A.email, 2 + 1);
    expect(smtp.received.length).toBe(mailsBefore + 1);
    expect(mailsTo('nobody.here@example.com')).toEqual([]);
    expect(gateway.state.requests.length).toBe(textsBefore);
    // the prober's code attempts lead nowhere
    expect(textOf(await probe.send('123456'))).toMatch(/no longer works/);
  });

  it('tells an identified customer there is nothing to link, and asks a new code for an expired one', { timeout: 60_000 }, async () => {
    const signedIn = visit('web', { id: `browser-${randomUUID()}`, verified: { customerRef: `REF-${randomUUID()}`, phone: DEMO_PERSONAS.liSi.phone } });
    expect(textOf(await signedIn.send('绑定手机'))).toContain('已经验证过了');
    const web = webVisit();
    await web.send('link my account');
    await web.send(`+86 ${DEMO_PERSONAS.liSi.phone}`);
    const code = await textedCode(DEMO_PERSONAS.liSi.phone, 1);
    const conversation = await h.crm.conversations.byThread('web', web.threadId);
    await h.database.db.oneTimeCode.updateMany({ where: { conversationId: conversation!.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const dead = await web.send(code);
    expect(textOf(dead)).toMatch(/no longer works/);
    expect(choicesOf(dead).map((c) => c.payload)).toEqual(['flow:link', 'handoff']);
  });
});

describe('a shop without an SMS gateway', () => {
  it('says phone codes are unavailable and offers e-mail; with no sender at all it offers a person', { timeout: 90_000 }, async () => {
    const local = await startSmtpTestServer();
    const emailOnly = new SmtpOtpSender({ url: local.url, from: 'Demo Shop <service@shop.example>' });
    const noSms = await createHarness({ otp: emailOnly });
    const none = await createHarness({ database: noSms.database, seed: false });
    try {
      const c = noSms.customer();
      expect(textOf(await c.send('绑定手机'))).toContain('邮箱（这里暂时不能用短信验证）');
      expect(textOf(await c.send(Z.phone))).toContain('暂时不能用短信发送验证码');
      expect(textOf(await c.send(Z.email))).toContain('6 位验证码');
      await until('code mail', () => local.received[0]);
      const d = none.customer();
      const r = await d.send('link my account');
      expect(textOf(r)).toMatch(/can't send verification codes here/);
      expect(choicesOf(r).map((x) => x.payload)).toEqual(['handoff']);
    } finally {
      emailOnly.close();
      await none.queue.close();
      await noSms.close();
      await local.close();
    }
  });
});
