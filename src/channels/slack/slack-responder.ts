import type { AssistantPort } from '../../shared/assistant-port.js';
import { logger } from '../../shared/logger.js';
import type { StaffActionResult, StaffActionSink, StaffCommand } from '../../shared/staff-notifier.js';
import { slackCall, type SlackClient } from './slack-api.js';
import type { SlackInbound } from './slack-decode.js';
import { clip } from './slack-text.js';

const log = logger('slack.responder');

type Reply = Extract<SlackInbound, { kind: 'thread_reply' }>;
type Question = Extract<SlackInbound, { kind: 'question' }>;
type Button = Extract<SlackInbound, { kind: 'button' }>;

/** What an unlinked Slack user is told: who can fix it, and how. */
export function notLinkedText(user: string): string {
  return `:wave: Sorry, your Slack account is not linked to a shopdesk staff account yet, so I cannot act for you here. 抱歉，您的 Slack 账号尚未关联 shopdesk 员工账号。\nAn admin can link it: \`npx shopdesk staff link NAME slack ${user}\``;
}

const IMAGES_NOT_FORWARDED = ':frame_with_picture: Images posted in Slack do not reach the customer; send them from /desk. Slack 中的图片不会发给客户，请在 /desk 发送。';
const NOT_TAKEN = ':warning: shopdesk could not take this just now (a temporary problem on our side); nothing was sent to the customer. Please send it again in a minute. 暂时无法处理，客户未收到，请稍后重发。';

/**
 * Does what a staff member asked in Slack and tells them only what they need to know: nothing on
 * success (the thread shows the outcome), an ephemeral line — visible to them alone — when it was
 * refused. Questions go to the managers' assistant, never to a customer.
 */
export class SlackResponder {
  constructor(private readonly deps: { client: SlackClient; sink: StaffActionSink; assistant: AssistantPort; channelId: string }) {}

  /** `retry`: Slack sent this event again; only idempotent work is redone (no second answer or refusal). */
  async respond(inbound: Exclude<SlackInbound, { kind: 'ignore' }>, opts: { retry: boolean }): Promise<void> {
    if (inbound.kind === 'thread_reply') return this.threadReply(inbound, opts);
    if (inbound.kind === 'button') return this.button(inbound);
    if (!opts.retry) return this.question(inbound);
  }

  private async perform(a: Parameters<StaffActionSink['perform']>[0], tell: (text: string) => Promise<void>): Promise<StaffActionResult | undefined> {
    try {
      return await this.deps.sink.perform(a);
    } catch (err) {
      log.error({ err: (err as Error).message.slice(0, 300), command: a.command.type }, 'a staff action from Slack failed');
      await tell(NOT_TAKEN);
      return undefined;
    }
  }

  private async threadReply(r: Reply, opts: { retry: boolean }): Promise<void> {
    const tell = (text: string) => this.ephemeral(r.user, r.channel, text, r.threadTs);
    if (!r.text) {
      if (r.hasFiles && !opts.retry) await tell(IMAGES_NOT_FORWARDED);
      return;
    }
    const command: StaffCommand = r.note ? { type: 'note', text: r.text } : { type: 'reply', text: r.text };
    const result = await this.perform({ source: 'slack', externalStaffId: r.user, platformMessageId: r.eventId, conversation: { platformRef: r.threadTs }, command }, tell);
    if (!result || opts.retry) return;
    if (result.ok) {
      if (r.hasFiles && !r.note) await tell(IMAGES_NOT_FORWARDED);
      return;
    }
    if (result.reason === 'unknown_conversation') {
      // not a handoff thread: talk among staff, unless they addressed the bot
      if (r.mentionsBot) await this.question({ kind: 'question', eventId: r.eventId, user: r.user, channel: r.channel, ts: r.ts, threadTs: r.threadTs, text: r.text, where: 'mention' });
      return;
    }
    await tell(result.reason === 'unknown_staff' ? notLinkedText(r.user) : `:warning: ${result.message}`);
  }

  private async button(b: Button): Promise<void> {
    const tell = (text: string) => this.ephemeral(b.user, b.channel, text);
    const result = await this.perform({ source: 'slack', externalStaffId: b.user, platformMessageId: `action:${b.actionId}`, conversation: { conversationId: b.conversationId }, command: { type: b.action } }, tell);
    if (!result || result.ok) return;
    await tell(result.reason === 'unknown_staff' ? notLinkedText(b.user) : `:warning: ${result.message}`);
  }

  private async question(q: Question): Promise<void> {
    const answer = await this.deps.assistant.ask(q.text, { source: 'slack', externalStaffId: q.user });
    const text = answer.ok ? answer.text : answer.reason === 'unknown_staff' ? notLinkedText(q.user) : answer.message;
    const threadTs = q.where === 'dm' ? undefined : q.threadTs;
    await slackCall('chat.postMessage', () => this.deps.client.chat.postMessage({ channel: q.channel, text: clip(text, 3900), ...(threadTs ? { thread_ts: threadTs } : {}) } as Parameters<SlackClient['chat']['postMessage']>[0]));
    if (answer.ok && answer.chartPng) {
      const chart = Buffer.from(answer.chartPng);
      await slackCall('files.uploadV2', () => this.deps.client.filesUploadV2({ channel_id: q.channel, ...(threadTs ? { thread_ts: threadTs } : {}), file: chart, filename: 'chart.png', title: 'Chart' } as Parameters<SlackClient['filesUploadV2']>[0]));
    }
  }

  /** A message only `user` sees (in the thread when given). */
  private async ephemeral(user: string, channel: string, text: string, threadTs?: string): Promise<void> {
    await slackCall('chat.postEphemeral', () => this.deps.client.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) } as Parameters<SlackClient['chat']['postEphemeral']>[0]));
  }
}
