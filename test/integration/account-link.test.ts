import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONAS } from '../../src/crm/seed/index.js';
import { HttpSmsGateway } from '../../src/otp/http-sms-gateway.js';
import { CombinedOtpSender, SmsOtpSender } from '../../src/otp/sms-otp-sender.js';
import { SmtpOtpSender } from '../../src/otp/smtp-otp-sender.js';
import { createHarness, type Harness } from '../factories/engine-harness.js';
import { startSmsGatewayStub } from '../factories/sms-gateway-stub.js';
import { startSmtpTestServer, type SmtpTestServer } from '../factories/smtp-test-server.js';

/**
 * Link codes at the CRM (src/crm/customers/account-link.ts) on a real database, and their
 * delivery over real loopback servers: an SMTP server and an HTTP SMS gateway.
 */
const Z = DEMO_PERSONAS.zhangSan;
const A = DEMO_PERSONAS.alice;
let h: Harness;
let smtp: SmtpTestServer;
let gateway: Awaited<ReturnType<typeof startSmsGatewayStub>>;

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  gateway = await startSmsGatewayStub();
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
  await smtp?.close();
  await gateway?.close();
});

/** A guest sender with a conversation of its own (as the engine makes one for a new e-mail thread). */
async function guestConversation(tag: string) {
  const sender = await h.crm.customers.resolve({ kind: 'email_from', externalId: `${tag}@guest.example` });
  const conversation = await h.crm.conversations.getOrCreate({ channel: 'email', threadId: `SD-${tag}`, customerId: sender.customerId });
  return { senderCustomerId: sender.customerId, conversationId: conversation.id };
}

const codeOf = (r: Awaited<ReturnType<Harness['crm']['customers']['issueLinkCode']>>) => {
  if (r.status !== 'sent') throw new Error(`no code: ${r.status}`);
  return r.code;
};
const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('link codes', () => {
  it('keeps only a hash of the code, sends it to the contact on file and links the guest record into that customer', async () => {
    const c = await guestConversation('hash');
    const issued = await h.crm.customers.issueLinkCode({ ...c, kind: 'email', value: ` ${A.email.toUpperCase()} ` });
    const code = codeOf(issued);
    expect(issued).toMatchObject({ to: { kind: 'email', address: A.email }, ttlMinutes: 10 });
    const rows = await h.database.db.oneTimeCode.findMany({ where: { conversationId: c.conversationId } });
    expect(rows).toHaveLength(1);
    expect(rows[0].codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(code);
    const alice = await h.crm.customers.findByContact(A.email);
    expect(await h.crm.customers.verifyLinkCode({ ...c, code })).toEqual({ status: 'linked', customerId: alice, merged: true });
    // the guest's conversation and its e-mail identity are Alice's now; the conversation proved it
    expect((await h.crm.conversations.get(c.conversationId))?.customerId).toBe(alice);
    expect(await h.crm.customers.surviving(c.senderCustomerId)).toBe(alice);
    expect(await h.crm.customers.identityProvenIn(c.conversationId, alice!)).toBe(true);
    // used once
    expect(await h.crm.customers.verifyLinkCode({ ...c, code })).toEqual({ status: 'no_code' });
    expect(await h.database.db.auditLog.count({ where: { action: 'identity.linked', entityId: String(alice) } })).toBeGreaterThan(0);
  });

  it('refuses an expired code, and a code after five wrong tries even when the sixth is right', async () => {
    const t0 = new Date();
    const c = await guestConversation('expiry');
    const code = codeOf(await h.crm.customers.issueLinkCode({ ...c, kind: 'sms', value: Z.phone, now: t0 }));
    expect(await h.crm.customers.verifyLinkCode({ ...c, code, now: new Date(t0.getTime() + 10 * 60_000 + 1) })).toEqual({ status: 'no_code' });

    const d = await guestConversation('tries');
    const code2 = codeOf(await h.crm.customers.issueLinkCode({ ...d, kind: 'sms', value: `+86 ${Z.phone}` }));
    for (const left of [4, 3, 2, 1]) expect(await h.crm.customers.verifyLinkCode({ ...d, code: wrongFor(code2) })).toEqual({ status: 'wrong', triesLeft: left });
    expect(await h.crm.customers.verifyLinkCode({ ...d, code: wrongFor(code2) })).toEqual({ status: 'no_code' });
    expect(await h.crm.customers.verifyLinkCode({ ...d, code: code2 })).toEqual({ status: 'no_code' });
    expect(await h.crm.customers.surviving(d.senderCustomerId)).toBe(d.senderCustomerId);
  });

  it("never links with a code made for customer A to customer B, nor with one a newer request replaced", async () => {
    const zhang = await h.crm.customers.findByContact(Z.email);
    const alice = await h.crm.customers.findByContact(A.email);
    const one = await guestConversation('a-to-b-1');
    const two = await guestConversation('a-to-b-2');
    const codeForZhang = codeOf(await h.crm.customers.issueLinkCode({ ...one, kind: 'email', value: Z.email }));
    codeOf(await h.crm.customers.issueLinkCode({ ...two, kind: 'email', value: A.email }));
    // Zhang's code typed where Alice's was asked for: wrong (the code is bound to its conversation and customer)
    expect((await h.crm.customers.verifyLinkCode({ ...two, code: codeForZhang })).status).toBe('wrong');
    // a new request in the first conversation (for Alice) voids Zhang's code there
    const codeForAlice = codeOf(await h.crm.customers.issueLinkCode({ ...one, kind: 'email', value: A.email }));
    if (codeForAlice !== codeForZhang) expect((await h.crm.customers.verifyLinkCode({ ...one, code: codeForZhang })).status).toBe('wrong');
    expect(await h.crm.customers.verifyLinkCode({ ...one, code: codeForAlice })).toMatchObject({ status: 'linked', customerId: alice });
    expect(await h.crm.customers.surviving(one.senderCustomerId)).not.toBe(zhang);
  });

  it('counts codes per typed contact whether it is on file or not, so the limit tells nobody which contacts exist', async () => {
    // one number nobody has, one on file (Li Si's, typed with the country code)
    for (const [value, first] of [['13700000001', 'not_on_file'], [`+86 ${DEMO_PERSONAS.liSi.phone}`, 'sent']] as const) {
      const answers: string[] = [];
      for (let i = 0; i < 4; i++) answers.push((await h.crm.customers.issueLinkCode({ ...(await guestConversation(`limit-${first}-${i}`)), kind: 'sms', value })).status);
      expect(answers).toEqual([first, first, first, 'too_many_codes']);
    }
    // per sender: one guest, many conversations, different contacts
    const sender = await h.crm.customers.resolve({ kind: 'email_from', externalId: 'busy@guest.example' });
    const statuses: string[] = [];
    for (let i = 0; i < 6; i++) {
      const conversation = await h.crm.conversations.getOrCreate({ channel: 'email', threadId: `SD-busy-${i}`, customerId: sender.customerId });
      statuses.push((await h.crm.customers.issueLinkCode({ conversationId: conversation.id, senderCustomerId: sender.customerId, kind: 'email', value: `nobody${i}@example.com` })).status);
    }
    expect(statuses).toEqual(['not_on_file', 'not_on_file', 'not_on_file', 'not_on_file', 'not_on_file', 'too_many_codes']);
  });
});

describe('code delivery', () => {
  it('posts a text message as JSON with the bearer token to the SMS gateway, and reports its refusals without the number', async () => {
    const sms = new HttpSmsGateway({ url: gateway.url, token: 'gateway-token-123' });
    const sender = new CombinedOtpSender([new SmsOtpSender(sms)]);
    await sender.send({ to: { kind: 'sms', phone: Z.phone }, code: '482913', lang: 'zh', shopName: 'Demo Shop', ttlMinutes: 10 });
    const [req] = gateway.state.requests;
    expect(req).toMatchObject({ authorization: 'Bearer gateway-token-123', contentType: 'application/json', body: { to: Z.phone } });
    expect(req.body.text).toMatch(/【Demo Shop】您的验证码是 482913，用于把客服对话关联到您的账户，10 分钟内有效/);
    expect(req.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    gateway.state.status = 503;
    gateway.state.retryAfter = '30';
    const outage = await sender.send({ to: { kind: 'sms', phone: Z.phone }, code: '111111', lang: 'en', shopName: 'Demo Shop', ttlMinutes: 10 }).catch((e: unknown) => e);
    expect(outage).toMatchObject({ code: 'CHANNEL_SEND_FAILED', retryable: true, details: { retryAfterMs: 30_000 } });
    expect(String((outage as Error).message)).not.toContain(Z.phone);
    gateway.state.status = 400;
    gateway.state.retryAfter = undefined;
    await expect(sms.send(Z.phone, 'x')).rejects.toMatchObject({ code: 'CHANNEL_SEND_FAILED', retryable: false });
    gateway.state.status = 200;
  });

  it('e-mails an account code in the customer\'s language over SMTP', async () => {
    const mailer = new SmtpOtpSender({ url: smtp.url, from: 'Demo Shop <service@shop.example>' });
    try {
      await mailer.send({ to: { kind: 'email', address: A.email }, code: '604218', lang: 'en', shopName: 'Demo Shop', ttlMinutes: 10 });
    } finally {
      mailer.close();
    }
    const mail = smtp.received.at(-1)!;
    expect(mail.subject).toBe('Demo Shop: your account verification code');
    expect(mail.text).toMatch(/your code is 604218\. It links our chat with you to your customer account and is valid for 10 minutes/);
  });
});
