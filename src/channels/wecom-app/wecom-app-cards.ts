import { maskContactText } from '../../shared/contact-masking.js';
import type { StaffNotificationPayload, StaffNotificationRow } from '../../shared/staff-notifier.js';
import { buttonKey } from './wecom-app-commands.js';

/** The tool's name in staff identities and in `actor.via` (`shopdesk staff link NAME wecom USERID`). */
export const WECOM_SOURCE = 'wecom';

/**
 * What the WeCom app sends staff for a notification (pure; the notifier adds `touser` and
 * `agentid`). New work — a handoff, a message left, an escalation — is a template card
 * (button_interaction) with 接单 / 结束 buttons whose keys come back in the callback, and a tap on
 * the card opens the conversation in /desk. A reminder is a textcard. What a customer says to the
 * staff member who holds the conversation is a text line, so they can answer right there.
 * Everything a customer wrote is masked (phone, e-mail, house numbers): the app is on phones.
 */
export type WecomAppMessage =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'textcard'; textcard: { title: string; description: string; url: string; btntxt?: string } }
  | { msgtype: 'template_card'; template_card: TemplateCard }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'image'; image: { media_id: string } };

export interface TemplateCard {
  card_type: 'button_interaction';
  source: { desc: string };
  main_title: { title: string; desc?: string };
  sub_title_text?: string;
  horizontal_content_list?: { keyname: string; value: string }[];
  card_action: { type: 1; url: string };
  /** Unique per app and message: WeCom refuses a task_id it has seen. */
  task_id: string;
  button_list: { text: string; style: 1 | 2 | 3 | 4; key: string }[];
}

/** Cuts to `max` characters (code points), marking the cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Cuts to at most `max` UTF-8 bytes, keeping whole characters (WeCom counts bytes). */
export function clipBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  const chars = [...text];
  while (chars.length && Buffer.byteLength(`${chars.join('')}…`, 'utf8') > max) chars.pop();
  return `${chars.join('')}…`;
}

/** Customer text for a staff member's phone: masked, on one line. */
export function safe(text: string, max: number): string {
  return clip(maskContactText(text).replace(/\s*\n\s*/g, ' ').trim(), max);
}

const REASONS: Record<string, string> = {
  requested: '要求人工', complaint: '投诉', misses: '机器人未能理解', anger: '客户不满', ineligible: '需人工判断',
};

const TITLES: Record<string, string> = {
  handoff: '🔔 转人工', left_message: '📨 非工作时间留言', escalation: '🚨 升级：无人接手',
};

/** The kinds the app sends; rows are written only for these. */
export const WECOM_APP_KINDS = ['handoff', 'left_message', 'reminder', 'escalation', 'customer_message', 'claim', 'transfer'] as const;

function deskUrl(p: StaffNotificationPayload, publicUrl: string): string {
  return `${publicUrl}${p.deskPath}`;
}

const waited = (p: StaffNotificationPayload) => (typeof p.detail?.waitedMinutes === 'number' ? `${p.detail.waitedMinutes} 分钟` : undefined);

function newWorkCard(row: StaffNotificationRow, publicUrl: string): WecomAppMessage {
  const p = row.payload;
  const c = p.conversation;
  const fields: { keyname: string; value: string }[] = [
    { keyname: '会话', value: `#${c.id}` },
    { keyname: '原因', value: c.handoffReason ? (REASONS[c.handoffReason] ?? safe(c.handoffReason, 20)) : '—' },
    { keyname: '渠道', value: safe(`${c.channel}${p.customer.segment ? ` · ${p.customer.segment}` : ''}`, 24) },
  ];
  if (c.ticket) fields.push({ keyname: '工单', value: safe(`${c.ticket.number} ${c.ticket.subject}`, 24) });
  if (p.customer.phoneMasked) fields.push({ keyname: '电话', value: p.customer.phoneMasked });
  if (p.customer.emailMasked) fields.push({ keyname: '邮箱', value: clip(p.customer.emailMasked, 24) });
  const desc = row.kind === 'escalation' ? `已等待${waited(p) ? ` ${waited(p)}` : ''}，请主管处理` : c.mode === 'waiting' ? '等待接手 · 回复“接 ' + c.id + '”亦可' : undefined;
  const buttons: TemplateCard['button_list'] = [];
  if (c.mode === 'waiting') buttons.push({ text: '接单', style: 1, key: buttonKey('claim', c.id) });
  if (c.mode === 'waiting' || c.mode === 'human') buttons.push({ text: '结束', style: 2, key: buttonKey('resolve', c.id) });
  return {
    msgtype: 'template_card',
    template_card: {
      card_type: 'button_interaction',
      source: { desc: 'shopdesk' },
      main_title: { title: clip(`${TITLES[row.kind] ?? '🔔'}：${safe(p.customer.name, 20)}`, 36), ...(desc ? { desc: clip(desc, 44) } : {}) },
      ...(p.message?.text ? { sub_title_text: `客户说：${safe(p.message.text, 100)}` } : {}),
      horizontal_content_list: fields.slice(0, 6),
      card_action: { type: 1, url: deskUrl(p, publicUrl) },
      task_id: `sd-${row.id}`,
      // a card must have a button; an escalation after a claim only links to /desk
      button_list: buttons.length ? buttons : [{ text: '查看', style: 2, key: `open:${c.id}` }],
    },
  };
}

/** The message for one row, or undefined when this row is not for the app (e.g. its own user's action). */
export function appMessage(row: StaffNotificationRow, publicUrl: string): WecomAppMessage | undefined {
  const p = row.payload;
  const c = p.conversation;
  switch (row.kind) {
    case 'handoff':
    case 'left_message':
    case 'escalation':
      return newWorkCard(row, publicUrl);
    case 'reminder':
      return {
        msgtype: 'textcard',
        textcard: {
          title: clipBytes(`⏰ 仍在等待：${safe(p.customer.name, 20)}（#${c.id}）`, 128),
          description: clipBytes(`已等待${waited(p) ? ` ${waited(p)}` : ''}，尚无人接手。回复“接 ${c.id}”接单。${p.message?.text ? `\n客户说：${safe(p.message.text, 80)}` : ''}`, 512),
          url: deskUrl(p, publicUrl),
          btntxt: '打开',
        },
      };
    case 'customer_message': {
      if (!p.message) return undefined;
      const said = p.message.imageUrl && !p.message.text ? '[图片，请在 /desk 查看]' : safe(p.message.text, 600);
      return { msgtype: 'text', text: { content: `💬 ${safe(p.customer.name, 20)}（#${c.id}）：${said}` } };
    }
    case 'claim':
    case 'transfer':
      // told to the staff member it was given to, unless they took it here themselves
      if (p.actor?.via === WECOM_SOURCE || (p.actor?.staffId !== undefined && p.actor.staffId === row.staffId)) return undefined;
      return { msgtype: 'text', text: { content: `📌 会话 #${c.id}（${safe(p.customer.name, 20)}）已分配给你。回复“切换 ${c.id}”后，直接发消息即回复客户。<a href="${deskUrl(p, publicUrl)}">在 /desk 打开</a>` } };
    default:
      return undefined;
  }
}

/** Who a row goes to: the team (agents and up), managers and admins, or one staff member. */
export type WecomAudience = { kind: 'agents' } | { kind: 'managers' } | { kind: 'staff'; staffId: number };

export function audienceOf(row: StaffNotificationRow): WecomAudience | undefined {
  const p = row.payload;
  if (row.kind === 'customer_message') {
    // only the one who holds the conversation: the team sees new work, not every line
    const holder = p.conversation.mode === 'human' ? p.conversation.assignee?.id : undefined;
    return holder ? { kind: 'staff', staffId: holder } : undefined;
  }
  if (row.kind === 'claim' || row.kind === 'transfer') return row.staffId ? { kind: 'staff', staffId: row.staffId } : undefined;
  if (p.audience === 'managers') return { kind: 'managers' };
  if (p.audience === 'staff' && row.staffId) return { kind: 'staff', staffId: row.staffId };
  return { kind: 'agents' };
}
