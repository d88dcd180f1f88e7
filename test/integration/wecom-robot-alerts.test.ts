import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WecomRobotNotifier } from '../../src/channels/wecom-robot/wecom-robot-notifier.js';
import { logger } from '../../src/shared/logger.js';
import { fanOutAlerts } from '../../src/shared/staff-alerts.js';
import { createHarness, type Harness } from '../factories/engine-harness.js';
import { startWebhookStub } from '../factories/webhook-stub.js';

const PUBLIC_URL = 'https://help.example.com';

describe('the WeCom group robot as a handoff alert target (real outbox, a stub robot webhook)', () => {
  let h: Harness;
  let robot: Awaited<ReturnType<typeof startWebhookStub>>;
  // WeCom answers HTTP 200 with an errcode: the first alert hits the robot's rate limit (45009)
  const answers: { errcode: number; errmsg: string }[] = [{ errcode: 45009, errmsg: 'api freq out of limit' }];

  beforeAll(async () => {
    robot = await startWebhookStub(() => ({ status: 200, body: answers.shift() ?? { errcode: 0, errmsg: 'ok' } }));
    const base = new URL(robot.url).origin;
    const notifier = new WecomRobotNotifier({ webhookUrl: `${base}/cgi-bin/webhook/send?key=k-123`, publicUrl: PUBLIC_URL, rateLimitRetryMs: 300 });
    h = await createHarness({ seed: false, notifiers: [notifier] });
  });

  afterAll(async () => {
    await h?.close();
    await robot?.close();
  });

  it('retries an alert refused with errcode 45009 after a pause and then posts it once, as markdown linking to /desk', async () => {
    const c = h.customer();
    await c.send('你好');
    const conv = await h.database.db.conversation.findFirstOrThrow({ where: { threadId: c.threadId } });
    await h.database.db.customer.update({ where: { id: conv.customerId }, data: { phone: '13912345678', name: '韩梅梅 [点我](https://evil.example)' } });
    await c.send('转人工');
    const deadline = Date.now() + 10_000;
    let row = await h.database.db.staffNotification.findFirstOrThrow({ where: { target: 'wecom-robot', conversationId: conv.id, kind: 'handoff' } });
    while (row.status !== 'sent' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      row = await h.database.db.staffNotification.findFirstOrThrow({ where: { id: row.id } });
    }
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    expect(robot.requests).toHaveLength(2);
    expect(robot.requests[1]!.at - robot.requests[0]!.at).toBeGreaterThanOrEqual(250);
    const body = robot.requests[1]!.body as { msgtype: string; markdown: { content: string } };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.content).toContain(`[在 /desk 中打开 Open in /desk](${PUBLIC_URL}/desk#/c/${conv.id})`);
    expect(body.markdown.content).toContain('139****5678');
    expect(body.markdown.content).not.toContain('13912345678');
    // a customer's name cannot smuggle a link into the staff group
    expect(body.markdown.content).not.toContain('](https://evil.example)');
    expect(body.markdown.content).toContain('韩梅梅 ［点我］');

    // the conversation's other notifications are not the robot's business
    await c.send('还要等多久');
    await h.queue.drain(10_000);
    expect(await h.database.db.staffNotification.count({ where: { target: 'wecom-robot', conversationId: conv.id } })).toBe(1);
    expect(robot.requests).toHaveLength(2);
  });

  it('does not retry a wrong robot key (errcode 93000): the row is set aside for `desk outbox --retry-failed`', async () => {
    answers.push({ errcode: 93000, errmsg: 'invalid webhook url, hint: [1700000000_1], from ip: 127.0.0.1' });
    const before = robot.requests.length;
    const c = h.customer();
    await c.send('转人工');
    const conv = await h.database.db.conversation.findFirstOrThrow({ where: { threadId: c.threadId } });
    await h.queue.drain(10_000);
    const row = await h.database.db.staffNotification.findFirstOrThrow({ where: { target: 'wecom-robot', conversationId: conv.id } });
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.lastError).toContain('errcode 93000');
    expect(row.lastError).toContain('WECOM_ROBOT_WEBHOOK_URL');
    expect(row.lastError).not.toContain('k-123');
    expect(robot.requests.length - before).toBe(1);
  });

  it('posts an operational alert (a channel account logged out) through the same robot, and reports a refusal without throwing', async () => {
    const base = new URL(robot.url).origin;
    const alerts = fanOutAlerts([new WecomRobotNotifier({ webhookUrl: `${base}/cgi-bin/webhook/send?key=k-123`, publicUrl: PUBLIC_URL })], logger('test'));
    const before = robot.requests.length;
    const ok = await alerts.alert({ key: 'wechaty:scan', severity: 'warning', title: '微信号需要扫码登录 Scan to log in', text: 'line one\nline <two>', linkPath: '/media/abc?t=tok' });
    expect(ok).toEqual({ posted: ['wecom-robot'], failed: [] });
    const body = robot.requests[before]!.body as { msgtype: string; markdown: { content: string } };
    expect(body.markdown.content).toBe(`### ⚠️ 微信号需要扫码登录 Scan to log in\n> line one\n> line ＜two＞\n[打开 Open](${PUBLIC_URL}/media/abc?t=tok)`);
    answers.push({ errcode: 93000, errmsg: 'invalid webhook url' });
    expect(await alerts.alert({ key: 'wechaty:logout', severity: 'critical', title: 'logged out', text: 'scan again' })).toEqual({ posted: [], failed: ['wecom-robot'] });
  });
});
