import { maskContactText } from '../../shared/contact-masking.js';
import type { StaffAlert } from '../../shared/staff-alerts.js';
import type { StaffNotificationPayload } from '../../shared/staff-notifier.js';

/**
 * The markdown a WeCom group robot posts for a notification (pure). WeCom's markdown has no
 * escaping, so text from customers loses the characters that would make links or tags
 * (`[`, `]`, `<`, `>` become full-width) and stays on one line. Contact details are masked: the
 * group is wider than the desk.
 */
const MAX_BYTES = 4096;

export function defuse(text: string): string {
  return maskContactText(text).replace(/\[/g, '［').replace(/]/g, '］').replace(/</g, '＜').replace(/>/g, '＞').replace(/\s*\n\s*/g, ' ').trim();
}

function clipChars(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Cuts to WeCom's 4096-byte limit (UTF-8), keeping whole characters and the last line (the link). */
export function fitBytes(lines: string[]): string {
  const text = lines.join('\n');
  if (Buffer.byteLength(text, 'utf8') <= MAX_BYTES) return text;
  const last = lines[lines.length - 1]!;
  let body = lines.slice(0, -1).join('\n');
  while (Buffer.byteLength(`${body}…\n${last}`, 'utf8') > MAX_BYTES) body = [...body].slice(0, -20).join('');
  return `${body}…\n${last}`;
}

const REASONS: Record<string, string> = {
  requested: '要求人工 asked for a person', complaint: '投诉 complaint', misses: '机器人未能理解 not understood', anger: '客户不满 upset', ineligible: '需人工判断 needs an exception', voice: '语音消息 voice message',
};

const TITLES: Record<string, string> = {
  handoff: '🔔 转人工 Handoff',
  left_message: '📨 非工作时间留言 Message left',
  reminder: '⏰ 仍在等待 Still waiting',
  escalation: '🚨 升级 Escalation',
};

/** The alert for one notification, or undefined for kinds the robot does not post. */
export function robotMarkdown(kind: string, p: StaffNotificationPayload, publicUrl: string): string | undefined {
  const title = TITLES[kind];
  if (!title) return undefined;
  const c = p.conversation;
  const waited = typeof p.detail?.waitedMinutes === 'number' ? `${p.detail.waitedMinutes} 分钟 min` : undefined;
  const lines = [`### ${title}：${clipChars(defuse(p.customer.name), 40)}`];
  if (kind === 'escalation') lines.push(`<font color="warning">等待${waited ? ` ${waited}` : ''}仍无人接手，请主管处理 Nobody has claimed it: managers, please step in</font>`);
  if (kind === 'reminder') lines.push(`<font color="warning">已等待${waited ? ` ${waited}` : ''}，尚无人接手 Nobody has claimed it yet</font>`);
  if (c.handoffReason) lines.push(`> 原因 Reason：${REASONS[c.handoffReason] ?? defuse(c.handoffReason)}`);
  lines.push(`> 渠道 Channel：${defuse(c.channel)}${p.customer.segment ? ` · 分群 ${defuse(p.customer.segment)}` : ''}`);
  if (c.ticket) lines.push(`> 工单 Ticket：${defuse(c.ticket.number)} ${clipChars(defuse(c.ticket.subject), 60)}`);
  if (p.customer.phoneMasked) lines.push(`> 电话 Phone：${defuse(p.customer.phoneMasked)}`);
  if (p.customer.emailMasked) lines.push(`> 邮箱 E-mail：${defuse(p.customer.emailMasked)}`);
  if (p.message?.text) lines.push(`> 客户说 Said：<font color="comment">${clipChars(defuse(p.message.text), 300)}</font>`);
  lines.push(`[在 /desk 中打开 Open in /desk](${publicUrl}${p.deskPath})`);
  return fitBytes(lines);
}

const ALERT_ICONS: Record<StaffAlert['severity'], string> = { info: 'ℹ️', warning: '⚠️', critical: '🚨' };

/** An operational alert (not about one conversation): title, a few lines, and its link. */
export function robotAlertMarkdown(alert: StaffAlert, publicUrl: string): string {
  const lines = [`### ${ALERT_ICONS[alert.severity]} ${clipChars(defuse(alert.title), 80)}`];
  for (const line of alert.text.split('\n').filter((l) => l.trim())) lines.push(`> ${clipChars(defuse(line), 300)}`);
  const link = alert.linkUrl ?? (alert.linkPath ? `${publicUrl}${alert.linkPath}` : undefined);
  lines.push(link ? `[打开 Open](${link})` : '');
  return fitBytes(lines);
}
