/** What the Teams bot says to staff, in the shop's default language (SHOP_DEFAULT_LOCALE). */
export type StaffLocale = 'zh' | 'en';

const en = {
  handoffTitle: (name: string) => `🙋 ${name} asks for a person`,
  leftTitle: (name: string) => `📝 ${name} left a message (outside service hours)`,
  customer: 'Customer', segment: 'Segment', phone: 'Phone', email: 'E-mail', channel: 'Channel', reason: 'Reason', ticket: 'Ticket',
  waitingSince: 'Waiting since', assignee: 'Assigned to', lastMessage: 'Last message',
  howTo: 'Answer the customer by @mentioning the bot in this thread. Start with "note:" for an internal note.',
  claim: 'Claim', resolve: 'Resolve', release: 'Release to bot', openDesk: 'Open in /desk',
  customerSaid: (name: string) => `💬 ${name}:`,
  image: '[image — open it in /desk]',
  staffSaid: (name: string) => `↪ ${name} to the customer:`,
  noteBy: (name: string) => `🔒 Internal note by ${name}:`,
  claimed: (name: string) => `✋ ${name} took this conversation.`,
  released: (name: string) => `↩ ${name} handed the conversation back to the bot.`,
  resolved: (name: string) => `✅ Resolved by ${name}.`,
  transferred: (from: string, to: string) => `➡ ${from} passed the conversation to ${to}.`,
  leftQueue: '🚪 The customer stopped waiting and went back to the bot.',
  reminder: (min: number) => `⏰ Still waiting for a person after ${min} min.`,
  escalation: (min: number) => `🚨 Managers: nobody has taken this conversation for ${min} min.`,
  someone: 'someone', theBot: 'the bot', system: 'shopdesk',
  installed: (here: string, configured: string, isIt: boolean) =>
    `shopdesk is here. This channel's id is ${here}. ${isIt ? 'Handoffs will be posted here.' : `Handoffs go to the channel set in TEAMS_CHANNEL_ID (${configured}).`}`,
  emptyReply: 'Write your reply after the @mention. Start with "note:" for an internal note.',
  replyFailed: (why: string) => `⚠️ Not sent: ${why}`,
  actionFailed: (why: string) => `⚠️ ${why}`,
  unknownAction: 'This card button is not one shopdesk knows.',
};

export type TeamsTexts = typeof en;

const zh: TeamsTexts = {
  handoffTitle: (name: string) => `🙋 ${name} 请求人工客服`,
  leftTitle: (name: string) => `📝 ${name} 在非服务时间留言`,
  customer: '客户', segment: '分群', phone: '电话', email: '邮箱', channel: '渠道', reason: '原因', ticket: '工单',
  waitingSince: '开始等待', assignee: '负责人', lastMessage: '最新消息',
  howTo: '在本帖中 @机器人 回复客户；以“note:”或“备注：”开头则为内部备注。',
  claim: '接手', resolve: '已解决', release: '交还机器人', openDesk: '在 /desk 中打开',
  customerSaid: (name: string) => `💬 ${name}：`,
  image: '[图片——请在 /desk 中查看]',
  staffSaid: (name: string) => `↪ ${name} 回复客户：`,
  noteBy: (name: string) => `🔒 ${name} 的内部备注：`,
  claimed: (name: string) => `✋ ${name} 已接手此会话。`,
  released: (name: string) => `↩ ${name} 已将会话交还机器人。`,
  resolved: (name: string) => `✅ ${name} 已标记为解决。`,
  transferred: (from: string, to: string) => `➡ ${from} 已将会话转给 ${to}。`,
  leftQueue: '🚪 客户不再等待，已回到机器人。',
  reminder: (min: number) => `⏰ 已等待人工 ${min} 分钟。`,
  escalation: (min: number) => `🚨 请主管注意：此会话已 ${min} 分钟无人接手。`,
  someone: '某位同事', theBot: '机器人', system: 'shopdesk',
  installed: (here: string, configured: string, isIt: boolean) =>
    `shopdesk 已加入。本频道的 id 是 ${here}。${isIt ? '转人工的通知会发在这里。' : `转人工的通知发在 TEAMS_CHANNEL_ID 指定的频道（${configured}）。`}`,
  emptyReply: '请在 @机器人 之后写回复内容；以“note:”或“备注：”开头则为内部备注。',
  replyFailed: (why: string) => `⚠️ 未发送：${why}`,
  actionFailed: (why: string) => `⚠️ ${why}`,
  unknownAction: 'shopdesk 不认识这个卡片按钮。',
};

export function teamsTexts(locale: StaffLocale): TeamsTexts {
  return locale === 'zh' ? zh : en;
}
