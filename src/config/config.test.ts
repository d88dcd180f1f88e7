import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadConfig, ENV_VARIABLES } from './config.js';

describe('config', () => {
  it('runs with no configuration on embedded defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 3000, database: { provider: 'sqlite', url: 'file:./data/shopdesk.db' }, role: 'all', seedDemo: true });
    expect(c.shop.timeZone).toBe('Asia/Shanghai');
    expect(c.shop.nonReturnableCategories).toContain('food');
  });

  it('picks PostgreSQL from the URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/shop' }).database.provider).toBe('postgres');
  });

  it('names every bad variable in one error', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SHOP_TIMEZONE: 'Mars/Olympus', ORDER_NUMBER_PATTERN: '(' });
      expect.unreachable();
    } catch (err) {
      const e = err as { code: string; message: string };
      expect(e.code).toBe('CONFIG_INVALID');
      for (const name of ['PORT', 'DATABASE_URL', 'SHOP_TIMEZONE', 'ORDER_NUMBER_PATTERN']) expect(e.message).toContain(name);
    }
  });

  it('treats empty variables as unset rather than as bad values', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '' }).port).toBe(3000);
  });

  it('parses lists and booleans', () => {
    const c = loadConfig({ NON_RETURNABLE_CATEGORIES: 'food, books ,', SEED_DEMO: 'false' });
    expect(c.shop.nonReturnableCategories).toEqual(['food', 'books']);
    expect(c.seedDemo).toBe(false);
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO/);
  });

  it('reads the desk settings and refuses bad service hours or an escalation before the reminder', () => {
    const c = loadConfig({ SERVICE_HOURS: 'mon-fri 09:00-18:00', HANDOFF_REMIND_AFTER_MINUTES: '2', HANDOFF_ESCALATE_AFTER_MINUTES: '5' });
    expect(c.desk).toMatchObject({ serviceHours: 'mon-fri 09:00-18:00', remindAfterMs: 120_000, escalateAfterMs: 300_000, autoAssign: true, maxChatsPerAgent: 5 });
    expect(() => loadConfig({ SERVICE_HOURS: 'weekdays 9-5' })).toThrow(/SERVICE_HOURS.*not like/s);
    expect(() => loadConfig({ HANDOFF_REMIND_AFTER_MINUTES: '10', HANDOFF_ESCALATE_AFTER_MINUTES: '5' })).toThrow(/HANDOFF_ESCALATE_AFTER_MINUTES/);
    expect(() => loadConfig({ PUBLIC_URL: 'help.example.com' })).toThrow(/PUBLIC_URL/);
  });

  it('turns Slack on only with its bot token, signing secret and channel together, naming what is missing', () => {
    expect(loadConfig({}).slack).toBeUndefined();
    const secret = '8f742231b10e8888abcd990000085a5f';
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: secret, SLACK_CHANNEL_ID: 'C0123ABCD', SLACK_API_URL: 'http://127.0.0.1:9/api' });
    expect(c.slack).toEqual({ botToken: 'xoxb-1-2-abc', signingSecret: secret, channelId: 'C0123ABCD', apiUrl: 'http://127.0.0.1:9/api/', showContact: false });
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).toThrow(/SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set[\s\S]*SLACK_CHANNEL_ID: required/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: secret, SLACK_CHANNEL_ID: '#support' })).toThrow(/SLACK_CHANNEL_ID: must be a channel id/);
  });

  it('takes a WeCom robot URL only on WeCom (or the configured stand-in) and only with PUBLIC_URL for its links', () => {
    const url = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
    expect(loadConfig({ WECOM_ROBOT_WEBHOOK_URL: url, PUBLIC_URL: 'https://help.example.com' }).wecomRobot).toEqual({ webhookUrl: url });
    expect(() => loadConfig({ WECOM_ROBOT_WEBHOOK_URL: url })).toThrow(/PUBLIC_URL: required when WECOM_ROBOT_WEBHOOK_URL/);
    expect(() => loadConfig({ WECOM_ROBOT_WEBHOOK_URL: 'https://evil.example/cgi-bin/webhook/send?key=abc', PUBLIC_URL: 'https://h.example' })).toThrow(/WECOM_ROBOT_WEBHOOK_URL: must start with https:\/\/qyapi\.weixin\.qq\.com/);
    expect(loadConfig({ WECOM_ROBOT_WEBHOOK_URL: 'http://127.0.0.1:4000/cgi-bin/webhook/send?key=k1', WECOM_ROBOT_API_URL: 'http://127.0.0.1:4000', PUBLIC_URL: 'https://h.example' }).wecomRobot).toBeDefined();
  });

  it('sends codes by SMS only with a gateway URL and its token, and has no phone codes by default', () => {
    expect(loadConfig({}).sms).toBeUndefined();
    expect(loadConfig({ SMS_GATEWAY_URL: 'https://sms.example/send', SMS_GATEWAY_TOKEN: 'token-12345' }).sms).toEqual({ url: 'https://sms.example/send', token: 'token-12345' });
    expect(() => loadConfig({ SMS_GATEWAY_URL: 'https://sms.example/send' })).toThrow(/SMS_GATEWAY_TOKEN: required/);
    expect(() => loadConfig({ SMS_GATEWAY_URL: 'ftp://sms.example', SMS_GATEWAY_TOKEN: 'token-12345' })).toThrow(/SMS_GATEWAY_URL/);
  });

  it('documents every variable in .env.example', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    for (const name of ENV_VARIABLES) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});

describe('config: the e-mail channel', () => {
  const ON = { EMAIL_IMAP_URL: 'imaps://support%40shop.example:p%3Ass@imap.example.com/Support%20Box', EMAIL_SMTP_URL: 'smtps://u:p@smtp.example.com:465', EMAIL_ADDRESS: 'Support@Shop.example' };

  it('is off unless configured, and parses the IMAP URL when on', () => {
    expect(loadConfig({}).email).toBeUndefined();
    const c = loadConfig({ ...ON, EMAIL_AUTOREPLY_PER_HOUR: '3', EMAIL_POLL_SECONDS: '5' });
    expect(c.email).toMatchObject({
      address: 'support@shop.example', smtpUrl: ON.EMAIL_SMTP_URL, autoreplyPerHour: 3,
      imap: { host: 'imap.example.com', port: 993, secure: true, user: 'support@shop.example', pass: 'p:ss', mailbox: 'Support Box', pollIntervalMs: 5000 },
    });
    expect(loadConfig({ ...ON, EMAIL_IMAP_URL: 'imap://u:p@127.0.0.1:31143' }).email?.imap).toMatchObject({ port: 31143, secure: false, mailbox: 'INBOX' });
  });

  it('names the missing variable when only part of it is set, and never echoes a password', () => {
    expect(() => loadConfig({ EMAIL_IMAP_URL: ON.EMAIL_IMAP_URL })).toThrow(/EMAIL_SMTP_URL: required[\s\S]*EMAIL_ADDRESS: required/);
    try {
      loadConfig({ ...ON, EMAIL_IMAP_URL: 'pop3://u:hunter2@host' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/EMAIL_IMAP_URL: must be imap/);
      expect((err as Error).message).not.toContain('hunter2');
    }
    expect(() => loadConfig({ ...ON, EMAIL_ADDRESS: 'support' })).toThrow(/EMAIL_ADDRESS/);
  });

  it('keeps the LLM off unless its three variables are set, and names a missing one', () => {
    expect(loadConfig({}).llm).toBeUndefined();
    const on = { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1/', OPENAI_API_KEY: 'sk-test-secret', OPENAI_MODEL: 'small' };
    expect(loadConfig(on).llm).toEqual({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-test-secret', model: 'small', timeoutMs: 4000 });
    expect(loadConfig({ ...on, OPENAI_TIMEOUT_MS: '800' }).llm?.timeoutMs).toBe(800);
    try {
      loadConfig({ OPENAI_BASE_URL: on.OPENAI_BASE_URL, OPENAI_API_KEY: on.OPENAI_API_KEY });
      expect.unreachable();
    } catch (err) {
      expect((err as { code: string }).code).toBe('CONFIG_INVALID');
      expect((err as Error).message).toContain('OPENAI_MODEL');
      expect((err as Error).message).not.toContain('sk-test-secret');
    }
    expect(() => loadConfig({ ...on, OPENAI_BASE_URL: 'api.openai.com' })).toThrow(/OPENAI_BASE_URL/);
  });
});
