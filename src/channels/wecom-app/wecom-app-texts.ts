/**
 * What the WeCom app says to staff (Chinese first, English after: WeCom users read Chinese, the
 * shop's admins may not). Plain text: message/send's `text` keeps line breaks and `<a>` links.
 */
export const T = {
  notLinked: (user: string) =>
    `抱歉，你的企业微信账号尚未关联 shopdesk 员工账号，暂时无法在这里处理会话。请管理员运行：npx shopdesk staff link 姓名 wecom ${user}\nSorry, your WeCom account is not linked to a shopdesk staff account yet; an admin can link it with the command above.`,
  help: [
    'shopdesk 客服助手 · 用法',
    '接 123 — 接单（接手会话 #123，并选为当前会话）',
    '切换 123 — 选择你已接手的会话为当前会话',
    '直接发消息 — 回复当前会话的客户',
    '备注: … — 内部备注（客户看不到）',
    '结束 / 释放 — 结束当前会话 / 交还机器人（可加会话号）',
    '问: … — 问店铺助手（如“问: 今天销售额多少”）；没有当前会话时，消息都交给店铺助手',
    'Commands: /claim 123, /use 123, note: …, /resolve, /release, /ask …',
  ].join('\n'),
  claimed: (id: number) => `✋ 已接手会话 #${id}，现为当前会话。直接发消息即回复客户；“备注: …”写内部备注；“结束”或“释放”收尾。`,
  selected: (id: number) => `👉 当前会话：#${id}。直接发消息即回复这位客户。`,
  resolved: (id: number) => `✅ 会话 #${id} 已结束。`,
  released: (id: number) => `↩ 会话 #${id} 已交还机器人。`,
  noted: (id: number) => `🔒 已为 #${id} 记内部备注（客户看不到）。`,
  noSelection: '还没有当前会话：先“接 会话号”接单，或“切换 会话号”选择你已接手的会话。No conversation selected: "接 123" to claim, "切换 123" to select.',
  emptyNote: '备注内容是空的。Write the note after "备注:".',
  failed: (why: string) => `⚠️ ${why}`,
  notSent: (id: number, why: string) => `⚠️ 未发给 #${id} 的客户：${why}`,
  deselected: '（已取消当前会话；再发的消息将交给店铺助手，直到你“切换”或“接”下一个会话。）',
  unsupported: '目前只能处理文字消息；图片和文件请在 /desk 中发送。Only text works here; send images and files from /desk.',
  unknownButton: '这个按钮已失效，请在 /desk 中处理。This button is no longer valid.',
  notTaken: '⚠️ 暂时无法处理（我们这边的临时问题），客户未收到，请稍后再发一次。Not taken just now; please send it again in a minute.',
};
