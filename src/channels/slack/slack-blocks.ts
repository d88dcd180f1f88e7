import type { StaffNotificationPayload } from '../../shared/staff-notifier.js';
import { maskContactText } from '../../shared/contact-masking.js';
import { clip, escapeMrkdwn } from './slack-text.js';

/**
 * What shopdesk posts in Slack, as Block Kit (pure; the notifier sends it). One handoff message per
 * handoff with the customer summary and the Claim / Resolve / Release buttons; everything after it
 * is a line in that message's thread, and the message itself is updated to show who has it.
 */

/** The buttons' action ids; their value is the conversation id. */
export const SLACK_ACTIONS = { claim: 'shopdesk_claim', resolve: 'shopdesk_resolve', release: 'shopdesk_release' } as const;
export type SlackActionName = keyof typeof SLACK_ACTIONS;
export const ACTION_ID_PATTERN = /^shopdesk_(claim|resolve|release)$/;

/** Block Kit as plain objects: only what shopdesk uses. */
export type SlackBlock = Record<string, unknown>;
export interface SlackPost { text: string; blocks?: SlackBlock[] }

export interface RenderOptions {
  /** PUBLIC_URL: the "Open in /desk" button (absent: no button, Slack needs an absolute URL). */
  publicUrl?: string;
  /** Show contact details as they are (SLACK_SHOW_CONTACT); otherwise free text is masked too. */
  showContact: boolean;
  /** Unmasked phone and e-mail, looked up when showContact is on. */
  contact?: { phone: string | null; email: string | null };
}

/** Free text from customers and staff, made safe for mrkdwn and masked unless contacts may show. */
export function safeText(text: string, o: RenderOptions, max = 2800): string {
  return escapeMrkdwn(clip(o.showContact ? text : maskContactText(text), max));
}

const REASONS: Record<string, string> = {
  requested: 'asked for a person 要求人工', complaint: 'complaint 投诉', misses: 'the bot did not understand 机器人未能理解',
  anger: 'upset customer 客户不满', ineligible: 'needs an exception 需人工判断', voice: 'voice message 语音消息',
};
const reasonText = (r: string | null) => (r ? (REASONS[r] ?? r) : '—');

/** Where the conversation stands, one line: for the handoff message's footer. */
export function statusLine(p: StaffNotificationPayload): string {
  const c = p.conversation;
  if (c.mode === 'human') return `:raising_hand: *${escapeMrkdwn(c.assignee?.name ?? 'A staff member')}* has this conversation 已接手`;
  if (c.mode === 'waiting') {
    const since = c.waitingSince ? Math.floor(Date.parse(c.waitingSince) / 1000) : undefined;
    return `:hourglass_flowing_sand: Waiting for a person 等待接手${since ? ` since <!date^${since}^{time}|${c.waitingSince}>` : ''}`;
  }
  return c.status === 'resolved' ? ':white_check_mark: Resolved 已解决' : ':robot_face: Back with the bot 已交还机器人';
}

function button(name: SlackActionName, label: string, conversationId: number, style?: 'primary' | 'danger'): SlackBlock {
  return { type: 'button', action_id: SLACK_ACTIONS[name], text: { type: 'plain_text', text: label }, value: String(conversationId), ...(style ? { style } : {}) };
}

function actions(p: StaffNotificationPayload, o: RenderOptions): SlackBlock | undefined {
  const id = p.conversation.id;
  const mode = p.conversation.mode;
  const elements: SlackBlock[] = [];
  if (mode === 'waiting') elements.push(button('claim', 'Claim 接手', id, 'primary'));
  if (mode === 'waiting' || mode === 'human') elements.push(button('resolve', 'Resolve 解决', id), button('release', 'Release 交还机器人', id));
  if (o.publicUrl) elements.push({ type: 'button', action_id: 'shopdesk_open', text: { type: 'plain_text', text: 'Open in /desk' }, url: `${o.publicUrl}${p.deskPath}` });
  return elements.length ? { type: 'actions', block_id: `shopdesk_conv_${id}`, elements } : undefined;
}

/** The handoff message: who, why, their last words, where it stands, the buttons. Also its later updates. */
export function handoffPost(p: StaffNotificationPayload, o: RenderOptions): SlackPost {
  const cu = p.customer;
  const name = escapeMrkdwn(clip(cu.name, 80));
  const phone = o.showContact && o.contact ? o.contact.phone : cu.phoneMasked;
  const email = o.showContact && o.contact ? o.contact.email : cu.emailMasked;
  const fields = [
    `*Customer 客户*\n${name}${cu.segment ? ` · ${escapeMrkdwn(cu.segment)}` : ''}`,
    `*Channel 渠道*\n${escapeMrkdwn(p.conversation.channel)} · ${cu.lang}`,
    `*Reason 原因*\n${escapeMrkdwn(reasonText(p.conversation.handoffReason))}`,
    ...(p.conversation.ticket ? [`*Ticket 工单*\n${escapeMrkdwn(p.conversation.ticket.number)} ${safeText(p.conversation.ticket.subject, o, 200)}`] : []),
    ...(phone ? [`*Phone 电话*\n${escapeMrkdwn(phone)}`] : []),
    ...(email ? [`*E-mail 邮箱*\n${escapeMrkdwn(email)}`] : []),
  ];
  const blocks: SlackBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `:bell: *Handoff 转人工* — ${name} needs a person` } },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  if (p.message?.text) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `> ${safeText(p.message.text, o).replace(/\n/g, '\n> ')}` } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: statusLine(p) }] });
  const buttons = actions(p, o);
  if (buttons) blocks.push(buttons);
  return { text: `Handoff 转人工: ${clip(cu.name, 80)} needs a person (${reasonText(p.conversation.handoffReason)})`, blocks };
}

/** A message left outside service hours: a post of its own (there is no handoff to thread under). */
export function leftMessagePost(p: StaffNotificationPayload, o: RenderOptions): SlackPost {
  const name = escapeMrkdwn(clip(p.customer.name, 80));
  const link = o.publicUrl ? ` <${o.publicUrl}${p.deskPath}|Open in /desk>` : '';
  const ticket = p.conversation.ticket ? ` (${escapeMrkdwn(p.conversation.ticket.number)})` : '';
  const said = p.message?.text ? `\n> ${safeText(p.message.text, o).replace(/\n/g, '\n> ')}` : '';
  return { text: `:envelope: *Message left outside service hours 非工作时间留言*${ticket} by ${name}.${link}${said}` };
}

const who = (p: StaffNotificationPayload) => escapeMrkdwn(p.actor?.name ?? 'Someone');

/** The thread line for a later notification, or undefined for kinds that post none. */
export function threadLine(kind: string, p: StaffNotificationPayload, o: RenderOptions): string | undefined {
  const text = p.message ? safeText(p.message.text, o) : '';
  const waited = typeof p.detail?.waitedMinutes === 'number' ? `${p.detail.waitedMinutes} min` : 'a while';
  switch (kind) {
    case 'customer_message': return `:speech_balloon: *${escapeMrkdwn(clip(p.customer.name, 80))}*: ${text}`;
    case 'staff_message': return `:technologist: *${escapeMrkdwn(p.message?.author ?? p.actor?.name ?? 'Staff')}* → customer: ${text}`;
    case 'note': return `:memo: *${escapeMrkdwn(p.message?.author ?? p.actor?.name ?? 'Staff')}* (note 内部备注, not sent): ${text}`;
    case 'claim': return `:raising_hand: ${who(p)} claimed this conversation 已接手. Reply in this thread to answer the customer; start with \`note:\` for an internal note.`;
    case 'transfer': return `:arrow_right_hook: ${who(p)} transferred it to *${escapeMrkdwn(p.conversation.assignee?.name ?? '?')}* 已转交`;
    case 'release': return `:robot_face: ${who(p)} handed it back to the bot 已交还机器人`;
    case 'resolve': return `:white_check_mark: ${p.actor?.kind === 'staff' ? who(p) : 'The bot'} resolved it 已解决`;
    case 'leave_queue': return ':door: The customer left the queue and is back with the bot 客户已退出排队';
    case 'reminder': return `:alarm_clock: Still waiting after ${waited}, nobody has claimed it 仍在等待接手`;
    case 'escalation': return `:rotating_light: *Escalation 升级*: waiting ${waited} with nobody on it. Managers, please step in 请主管处理`;
    default: return undefined;
  }
}

/** Kinds that change what the handoff message shows (its status line and buttons). */
export const UPDATES_PARENT: readonly string[] = ['claim', 'transfer', 'release', 'resolve', 'leave_queue'];
