import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/assistant/assistant-module.js';
import { staffAssistantPort } from '../../src/assistant/staff-assistant-adapter.js';
import { loadConfig } from '../../src/config/config.js';
import { createCrm } from '../../src/crm/index.js';
import { createTestDatabase } from '../factories/test-database.js';
import { createHarness, textOf, type Harness } from '../factories/engine-harness.js';

/*
 * Who reaches the managers' assistant through the conversation engine (issue 9, item 3): a sender
 * whose platform-verified id is linked to an active StaffMember, on a staff channel — never a
 * customer, whatever they type, and never anyone on the web chat. The demo shop links Slack users
 * U0DEMOMGR1 (manager Mike Chen) and U0DEMOAGT1 (agent 王芳).
 */
let h: Harness;
const MANAGER = 'U0DEMOMGR1';
const AGENT = 'U0DEMOAGT1';

beforeAll(async () => {
  const database = await createTestDatabase();
  const crm = createCrm(database.db);
  const assistant = createAssistant(crm, loadConfig({ SHOP_TIMEZONE: 'Asia/Shanghai', ASK_AGENT_SEES_FIGURES: 'false' }));
  h = await createHarness({ database, staffAssistant: staffAssistantPort(assistant) });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

async function fromSlack(senderId: string, text: string): Promise<{ threadId: string; text: string }> {
  const threadId = `D-${randomUUID()}`;
  await h.engine.accept({ channel: 'slack', platformMessageId: randomUUID(), threadId, receivedAt: new Date(), sender: { id: senderId }, content: { type: 'text', text } });
  await h.queue.drain(20_000);
  return { threadId, text: textOf(h.slack.forThread(threadId)) };
}
const assistantAudits = () => h.database.db.auditLog.count({ where: { action: 'assistant.ask' } });

describe('staff in the conversation engine', () => {
  it('a customer typing "今天销售额多少" in the web chat gets a customer answer, not figures', async () => {
    const before = await assistantAudits();
    const reply = textOf(await h.customer().send('今天销售额多少'));
    expect(reply.length).toBeGreaterThan(0);
    expect(reply).not.toMatch(/销售额\s*¥|总额|共 \d+ 单/);
    expect(await assistantAudits()).toBe(before);
  });

  it('a web chat sender claiming a staff member’s Slack id is still a customer', async () => {
    const before = await assistantAudits();
    const reply = textOf(await h.customer({ sender: { id: MANAGER } }).send('revenue today'));
    expect(reply).not.toMatch(/Revenue, today/);
    expect(await assistantAudits()).toBe(before);
  });

  it('a manager on Slack asks and gets the figures, audited, without becoming a customer', async () => {
    const customersBefore = await h.database.db.customer.count();
    const conversationsBefore = await h.database.db.conversation.count();
    const { threadId, text } = await fromSlack(MANAGER, '今天销售额多少');
    expect(text).toMatch(/今天.*销售额 ¥[\d,]+\.\d\d/);
    const audit = await h.database.db.auditLog.findFirst({ where: { action: 'assistant.ask' }, orderBy: { id: 'desc' } });
    const mike = await h.crm.staff.byIdentity('slack', MANAGER);
    expect(audit).toMatchObject({ actor: `staff:${mike!.id}`, entityId: 'revenue' });
    expect(JSON.parse(audit!.detail!)).toMatchObject({ channel: 'slack', role: 'manager' });
    expect(await h.database.db.customer.count()).toBe(customersBefore);
    expect(await h.database.db.conversation.count()).toBe(conversationsBefore);
    const inbound = await h.database.db.message.findFirst({ where: { channel: 'slack', threadId, direction: 'in' } });
    expect(inbound).toMatchObject({ status: 'processed', conversationId: null, intent: 'staff_assistant' });
  });

  it('an agent on Slack is refused sales figures', async () => {
    const { text } = await fromSlack(AGENT, '今天销售额多少');
    expect(text).toContain('客服账号不能查看');
  });

  it('a Slack user not linked to staff goes to the customer flows', async () => {
    const before = await assistantAudits();
    const { text } = await fromSlack('U0SOMEONE', '今天销售额多少');
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/销售额\s*¥/);
    expect(await assistantAudits()).toBe(before);
  });
});
