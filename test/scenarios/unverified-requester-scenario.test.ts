import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONAS } from '../../src/crm/seed/index.js';
import { SmtpOtpSender } from '../../src/otp/smtp-otp-sender.js';
import { choicesOf, createHarness, textOf, type Harness, type HarnessCustomer } from '../factories/engine-harness.js';
import { startSmtpTestServer, type SmtpTestServer } from '../factories/smtp-test-server.js';
import { buildOrder } from '../factories/shop-builders.js';

/**
 * A guest who proved only an order's last 4 digits asks to return, cancel or change it (issue 6
 * item 6): the request becomes a ticket flagged "unverified requester" on the owner's profile,
 * for staff to approve — or the guest proves ownership with a one-time code e-mailed to the
 * owner through a real SMTP server on loopback, and acts at once.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const Z = DEMO_PERSONAS.zhangSan;
let h: Harness;
let smtp: SmtpTestServer;
let sender: SmtpOtpSender;

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  sender = new SmtpOtpSender({ url: smtp.url, from: 'Demo Shop <service@shop.example>', transport: { ignoreTLS: true } });
  h = await createHarness({ otp: sender });
}, 60_000);
afterAll(async () => {
  sender?.close();
  await h?.close();
  await smtp?.close();
});

const press = (c: HarnessCustomer, payload: string, label = payload) => c.send({ type: 'postback', payload, text: label });
const zhangId = async () => (await h.crm.customers.resolve({ kind: 'phone', externalId: Z.phone })).customerId;

async function guestWithLast4(ask: string, phone: string = Z.phone): Promise<{ c: HarnessCustomer; offer: string; choices: { payload: string }[] }> {
  const c = h.customer({ locale: 'zh-CN' });
  expect(textOf(await c.send(ask))).toContain('后四位');
  const reply = await c.send(phone.slice(-4));
  return { c, offer: textOf(reply), choices: choicesOf(reply) };
}

describe('a return asked by someone who is not the verified owner', () => {
  it('becomes a ticket flagged "unverified requester" on the owner\'s profile, which staff approve', { timeout: 90_000 }, async () => {
    const { c, offer, choices } = await guestWithLast4(`我要退货 ${Z.orders.deliveredRecently}`);
    expect(offer).toMatch(/本人确认/);
    expect(choices.map((x) => x.payload)).toEqual(['owner:code', 'owner:continue', 'handoff']);
    // the guest is never shown the order's items
    expect(offer).not.toMatch(/×/);
    expect(textOf(await press(c, 'owner:continue', '直接提交，等客服核实'))).toContain('原因');
    const done = textOf(await press(c, 'reason:size', '尺码/颜色不合适'));
    expect(done).toMatch(/客服会先与订单账户核实/);
    const number = /T\d{6}/.exec(done)?.[0];
    const ticket = await h.database.db.ticket.findUniqueOrThrow({ where: { id: Number(number?.slice(1)) } });
    expect(ticket).toMatchObject({ type: 'return', customerId: await zhangId(), unverifiedRequester: true, approvedAt: null });
    expect(ticket.requesterCustomerId).not.toBe(ticket.customerId);

    const show = () => promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'src/cli/shopdesk-cli.ts'), 'customers', 'show', Z.phone], { env: { ...process.env, DATABASE_URL: h.database.url, LOG_LEVEL: 'silent' } });
    expect((await show()).stdout).toMatch(new RegExp(`${number}\\s+return\\s+open.*UNVERIFIED REQUESTER`));
    const approve = await promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'src/cli/shopdesk-cli.ts'), 'tickets', 'approve', number!, '--by', 'wang', '--note', 'called the owner'], { env: { ...process.env, DATABASE_URL: h.database.url, LOG_LEVEL: 'silent' } });
    expect(approve.stdout).toContain(`${number} approved by wang`);
    expect((await show()).stdout).toMatch(new RegExp(`${number}.*unverified requester — approved`));
    expect(await h.database.db.ticketEvent.count({ where: { ticketId: ticket.id, type: 'requester_approved', actor: 'staff:wang' } })).toBe(1);
  });

  it('lets the guest act at once with a one-time code e-mailed to the owner, never to the guest', async () => {
    const before = smtp.received.length;
    const { c } = await guestWithLast4(`取消订单 ${Z.orders.pendingPayment}`);
    const sent = textOf(await press(c, 'owner:code', '发送验证码'));
    expect(sent).toMatch(/验证码已发送到订单账户预留的联系方式/);
    expect(sent).not.toContain(Z.email);
    await expect.poll(() => smtp.received.length).toBe(before + 1);
    const mail = smtp.received.at(-1)!;
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain(Z.email);
    expect(mail.subject).toContain(Z.orders.pendingPayment);
    const code = /(\d{6})/.exec(mail.text ?? '')?.[1];
    expect(code).toBeDefined();
    // proved: the owner's own confirmation with the amount; the unpaid order closes at once, with no ticket
    const confirm = textOf(await c.send(`验证码 ${code}`));
    expect(confirm).toMatch(/¥.*还没有付款，确认取消吗/);
    const done = textOf(await press(c, 'yes', '是的'));
    expect(done).toMatch(/已取消/);
    expect(done).not.toMatch(/T\d{6}|退回/);
    expect(await h.database.db.order.findUniqueOrThrow({ where: { orderNumber: Z.orders.pendingPayment } })).toMatchObject({ status: 'cancelled' });
    expect(await h.database.db.ticket.count({ where: { type: 'cancel', order: { orderNumber: Z.orders.pendingPayment } } })).toBe(0);
  });

  it('stops after three wrong codes and offers to send the request for checking instead', async () => {
    // 张三's unpaid order was cancelled above: another of his, paid and not shipped yet
    const paid = await buildOrder(h.database.db, { customerId: await zhangId(), status: 'paid', items: [{ sku: 'BEA-5001', quantity: 1 }], shipPhone: Z.phone, placedAt: new Date() });
    const { c } = await guestWithLast4(`修改订单 ${paid.orderNumber} 地址`);
    await press(c, 'owner:code', '发送验证码');
    expect(textOf(await c.send('000000'))).toMatch(/不正确/);
    expect(textOf(await c.send('000001'))).toMatch(/不正确/);
    const failed = await c.send('000002');
    expect(textOf(failed)).toMatch(/验证没有成功/);
    expect(choicesOf(failed).map((x) => x.payload)).toContain('owner:continue');
  });

  it('answers a code request for an order number that does not exist exactly as for a real one, and sends nothing', async () => {
    /** Five wrong guesses lock the order for this conversation; then the owner's way in is offered. */
    async function lockedThenAskCode(order: string): Promise<string> {
      const c = h.customer({ locale: 'zh-CN' });
      for (let i = 0; i < 5; i++) {
        await c.send(`查订单 ${order}`);
        expect(textOf(await c.send(String(3000 + i)))).toMatch(/没有找到/);
      }
      await c.send(`查订单 ${order}`);
      const lock = await c.send(Z.phone.slice(-4));
      expect(textOf(lock)).toMatch(/验证次数已达上限/);
      expect(choicesOf(lock).map((x) => x.payload)).toEqual(['owner:code', 'handoff']);
      return textOf(await press(c, 'owner:code', '发送验证码'));
    }
    const before = smtp.received.length;
    const fake = await lockedThenAskCode('SD2599999999');
    expect(smtp.received.length).toBe(before);
    const real = await lockedThenAskCode(Z.orders.deliveredLongAgo);
    expect(real).toBe(fake);
    await expect.poll(() => smtp.received.length).toBe(before + 1);
  });

  it('tells the guest when the mail server refuses the code, without pretending it was sent', async () => {
    const { c } = await guestWithLast4(`我要退货 ${Z.orders.deliveredRecently}`);
    smtp.failNext = 1;
    expect(textOf(await press(c, 'owner:code', '发送验证码'))).toMatch(/发送失败/);
  });
});
