/* global window, document, navigator, localStorage */
/* Shopdesk staff desk: interface strings (zh, en), picked by browser language and switchable. */
(function () {
  'use strict';
  var STRINGS = {
    zh: {
      loginTitle: '客服工作台', loginName: '登录名', password: '密码', signIn: '登录', signOut: '退出',
      loginHint: '还没有账号？请管理员运行 npx shopdesk staff add 名字 --role agent',
      choosePassword: '设置您的密码', choosePasswordHint: '您是用一次性密码登录的。请设置自己的密码（至少 10 个字符）。',
      currentPassword: '一次性密码 / 当前密码', newPassword: '新密码', repeatPassword: '再输入一次', savePassword: '保存并进入',
      passwordsDiffer: '两次输入的新密码不一致',
      tabWaiting: '排队中', tabMine: '我的', tabActive: '全部进行中', tabLeft: '留言',
      searchPlaceholder: '搜索：客户、手机号、订单号、聊天内容…', pickConversation: '从左侧选择一个会话',
      emptyWaiting: '没有排队的客户', emptyMine: '您目前没有会话', emptyActive: '目前没有人工会话', emptyLeft: '没有留言', emptySearch: '没有找到',
      claim: '接入', transfer: '转接', release: '交还机器人', resolve: '已解决', send: '发送', canned: '常用语', image: '图片',
      modeReply: '回复客户', modeNote: '内部备注', cancel: '取消', transferTo: '转接给',
      replyPlaceholder: '输入回复，Enter 发送，Shift+Enter 换行', notePlaceholder: '仅同事可见的备注…',
      claimToReply: '接入后才能回复客户', ownedBy: '{name} 正在处理', yourConversation: '由您处理',
      online: '在线', away: '离开', soundOn: '提示音：开', soundOff: '提示音：关', enableNotifications: '开启桌面通知', admin: '管理',
      hoursOpen: '服务中 · {hours}', hoursClosed: '非服务时间 · {hours}',
      modeWaiting: '排队中', modeHuman: '人工', modeBot: '机器人', statusResolved: '已解决',
      waitingFor: '已等待 {min} 分钟', justNow: '刚刚', minAgo: '{min} 分钟前', hourAgo: '{h} 小时前',
      reason_requested: '主动要求人工', reason_misses: '机器人答不上', reason_complaint: '投诉', reason_anger: '客户情绪激动', reason_ineligible: '需人工处理', reason_voice: '语音消息',
      channel_web: '网页', channel_rest: 'API', channel_wechat: '微信', channel_wechaty: '个人微信', channel_email: '邮件', channel_terminal: '终端', channel_wechat_oa: '公众号', channel_wecom_kf: '微信客服',
      os_pending_payment: '待付款', os_paid: '已付款', os_processing: '处理中', os_shipped: '已发货', os_delivered: '已签收', os_completed: '已完成', os_cancelled: '已取消', os_refunded: '已退款', os_partially_refunded: '部分退款',
      tt_return: '退货', tt_refund: '退款', tt_exchange: '换货', tt_cancel: '取消订单', tt_address_change: '改地址', tt_complaint: '投诉', tt_inquiry: '咨询', tt_handoff: '转人工',
      ts_open: '待处理', ts_in_progress: '处理中', ts_waiting_customer: '等待客户', ts_resolved: '已解决', ts_closed: '已关闭', ts_cancelled: '已取消',
      from_customer: '客户', from_bot: '机器人', from_note: '备注', from_system: '系统',
      ev_handoff: '转人工（{reason}）', ev_claim: '{actor} 接入', ev_release: '{actor} 交还机器人', ev_transfer: '{actor} 转接给 {to}', ev_resolve: '{actor} 标记已解决',
      ev_reopen: '客户重新打开会话', ev_leave_queue: '客户不等了，回到机器人', actorSystem: '系统自动分配', actorBot: '机器人', actorCustomer: '客户',
      status_queued: '发送中…', status_sent: '已送达', status_failed: '发送失败',
      ordersCount: '{n} 笔订单', guest: '访客 #{id}', profile: '客户资料', segment: '客户分层', lifetimeValue: '累计消费', orders: '最近订单', openTickets: '未结工单', noOrders: '暂无订单',
      noTickets: '没有未结工单', unverifiedGuest: '由未验证身份的访客提交（仅验证了手机后四位），请先与订单本人核实', identities: '身份', lifecycle: '生命周期', satisfaction: '满意度', notes: '备注', handoffTicket: '转人工工单',
      leftMessage: '客户在非服务时间留言（工单 {ticket}）。接入即可回复。', channelNoPush: '该客户通过 API 渠道联系，无法主动回复，请使用备注或其他方式联系。',
      olderMessages: '（更早的 {n} 条消息未显示）', newHandoff: '新的转人工：{name}', reminderTitle: '仍在排队：{name}', escalationTitle: '升级：{name} 等待已久',
      assignedToYou: '已分配给您：{name}', newMessage: '{name} 发来新消息',
      cannedAdd: '添加常用语', cannedTitle: '标题', cannedText: '内容', save: '保存', delete: '删除', noCanned: '还没有常用语',
      staffAdmin: '员工管理', addStaff: '添加员工', displayName: '显示名（客户可见）', name: '姓名', role: '角色', status: '状态', load: '接待中 / 上限',
      deactivate: '停用', activate: '启用', resetPassword: '重置密码', revokeSessions: '强制下线', inactive: '已停用', offline: '离线',
      oneTimePassword: '{name} 的一次性密码：{password}（首次登录时需修改）', revoked: '已让 {name} 的 {n} 个会话下线',
      confirmDeactivate: '停用 {name}？TA 将立即下线，无法再登录。', confirmRelease: '把会话交还给机器人？', confirmResolve: '标记为已解决？客户会收到满意度评价。',
      sessionExpired: '登录已过期，请重新登录', connectionLost: '实时连接已断开，正在重连…', imageTooLarge: '图片太大了',
      outboxLine: '通知外发：{summary}',
      ask: '问数据', askTitle: '问数据（销售、客户、订单、工单）', askSubmit: '提问', askPlaceholder: '例如：上周销售额多少',
      askHint: '例如：上周销售额多少、这个月卖得最好的5个商品、本月销售额环比、张三的订单、订单 SD2501019002 的物流', askWorking: '正在查询…'
    },
    en: {
      loginTitle: 'Staff desk', loginName: 'Sign-in name', password: 'Password', signIn: 'Sign in', signOut: 'Sign out',
      loginHint: 'No account yet? An admin runs: npx shopdesk staff add NAME --role agent',
      choosePassword: 'Choose your password', choosePasswordHint: 'You signed in with a one-time password. Choose your own (at least 10 characters).',
      currentPassword: 'One-time / current password', newPassword: 'New password', repeatPassword: 'Repeat it', savePassword: 'Save and continue',
      passwordsDiffer: 'The new passwords differ',
      tabWaiting: 'Waiting', tabMine: 'Mine', tabActive: 'All active', tabLeft: 'Messages left',
      searchPlaceholder: 'Search: customer, phone, order number, words…', pickConversation: 'Pick a conversation on the left',
      emptyWaiting: 'Nobody is waiting', emptyMine: 'You have no conversations', emptyActive: 'No conversation has a person', emptyLeft: 'No messages left', emptySearch: 'Nothing found',
      claim: 'Claim', transfer: 'Transfer', release: 'Back to bot', resolve: 'Resolve', send: 'Send', canned: 'Canned', image: 'Image',
      modeReply: 'Reply', modeNote: 'Internal note', cancel: 'Cancel', transferTo: 'Transfer to',
      replyPlaceholder: 'Type a reply — Enter sends, Shift+Enter for a new line', notePlaceholder: 'A note only colleagues see…',
      claimToReply: 'Claim the conversation to reply', ownedBy: '{name} has this conversation', yourConversation: 'Yours',
      online: 'Online', away: 'Away', soundOn: 'Sound: on', soundOff: 'Sound: off', enableNotifications: 'Enable desktop notifications', admin: 'Admin',
      hoursOpen: 'Open · {hours}', hoursClosed: 'Closed · {hours}',
      modeWaiting: 'Waiting', modeHuman: 'With a person', modeBot: 'Bot', statusResolved: 'Resolved',
      waitingFor: 'waiting {min} min', justNow: 'just now', minAgo: '{min} min ago', hourAgo: '{h} h ago',
      reason_requested: 'asked for a person', reason_misses: 'bot did not understand', reason_complaint: 'complaint', reason_anger: 'customer upset', reason_ineligible: 'needs a person', reason_voice: 'voice message',
      channel_web: 'Web', channel_rest: 'API', channel_wechat: 'WeChat', channel_wechaty: 'WeChat (personal)', channel_email: 'E-mail', channel_terminal: 'Terminal', channel_wechat_oa: 'WeChat Official Account', channel_wecom_kf: 'WeCom customer service',
      from_customer: 'Customer', from_bot: 'Bot', from_note: 'Note', from_system: 'shopdesk',
      ev_handoff: 'Handed off ({reason})', ev_claim: '{actor} claimed', ev_release: '{actor} handed back to the bot', ev_transfer: '{actor} transferred to {to}', ev_resolve: '{actor} resolved',
      ev_reopen: 'The customer reopened it', ev_leave_queue: 'The customer left the queue', actorSystem: 'Auto-assigned', actorBot: 'The bot', actorCustomer: 'The customer',
      status_queued: 'sending…', status_sent: 'delivered', status_failed: 'not delivered',
      ordersCount: '{n} orders', guest: 'Guest #{id}', profile: 'Customer', segment: 'Segment', lifetimeValue: 'Lifetime value', orders: 'Recent orders', openTickets: 'Open tickets', noOrders: 'No orders yet',
      noTickets: 'No open tickets', unverifiedGuest: 'Opened by an unverified guest (proved only the phone digits): check with the owner first', identities: 'Identities', lifecycle: 'Lifecycle', satisfaction: 'Satisfaction', notes: 'Notes', handoffTicket: 'Handoff ticket',
      leftMessage: 'The customer left a message outside service hours (ticket {ticket}). Claim it to reply.', channelNoPush: 'This customer used the API channel, which cannot receive a later reply. Use a note or contact them another way.',
      olderMessages: '({n} older messages not shown)', newHandoff: 'New handoff: {name}', reminderTitle: 'Still waiting: {name}', escalationTitle: 'Escalated: {name} has waited long',
      assignedToYou: 'Assigned to you: {name}', newMessage: 'New message from {name}',
      cannedAdd: 'Add a canned reply', cannedTitle: 'Title', cannedText: 'Text', save: 'Save', delete: 'Delete', noCanned: 'No canned replies yet',
      staffAdmin: 'Staff', addStaff: 'Add staff', displayName: 'Display name (customers see it)', name: 'Name', role: 'Role', status: 'Status', load: 'Chats / cap',
      deactivate: 'Deactivate', activate: 'Activate', resetPassword: 'Reset password', revokeSessions: 'Sign out everywhere', inactive: 'deactivated', offline: 'offline',
      oneTimePassword: 'One-time password for {name}: {password} (they choose their own at first sign-in)', revoked: 'Signed {name} out of {n} sessions',
      confirmDeactivate: 'Deactivate {name}? They are signed out at once and cannot sign in.', confirmRelease: 'Hand the conversation back to the bot?', confirmResolve: 'Mark as resolved? The customer is asked for a rating.',
      sessionExpired: 'Your session has expired; please sign in again', connectionLost: 'Live connection lost; reconnecting…', imageTooLarge: 'The image is too large',
      outboxLine: 'Outgoing notifications: {summary}',
      ask: 'Ask', askTitle: 'Ask the shop (sales, customers, orders, tickets)', askSubmit: 'Ask', askPlaceholder: 'e.g. revenue last week',
      askHint: 'e.g. revenue last week, top 5 products this month, revenue this month vs last month, Alice Smith\'s orders, timeline of order SD2501019002', askWorking: 'Looking it up…'
    }
  };

  function pick() {
    var saved = null;
    try { saved = localStorage.getItem('sd_desk_lang'); } catch { /* storage blocked */ }
    if (saved === 'zh' || saved === 'en') return saved;
    return /^zh/i.test(navigator.language || '') ? 'zh' : 'en';
  }

  var lang = pick();

  function t(key, params) {
    var s = (STRINGS[lang] && STRINGS[lang][key]) || STRINGS.en[key] || key;
    return s.replace(/\{(\w+)\}/g, function (m, k) { return params && params[k] !== undefined ? String(params[k]) : m; });
  }

  function apply() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('loginTitle') + ' · shopdesk';
    document.querySelectorAll('[data-i18n]').forEach(function (n) { n.textContent = t(n.getAttribute('data-i18n')); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach(function (n) { n.setAttribute('placeholder', t(n.getAttribute('data-i18n-placeholder'))); });
    document.querySelectorAll('[data-i18n-title]').forEach(function (n) { n.setAttribute('title', t(n.getAttribute('data-i18n-title'))); });
    document.querySelectorAll('.lang-switch').forEach(function (n) { n.textContent = lang === 'zh' ? 'English' : '中文'; });
  }

  function setLang(l) {
    lang = l;
    try { localStorage.setItem('sd_desk_lang', l); } catch { /* storage blocked */ }
    apply();
  }

  window.DeskI18n = { t: t, apply: apply, setLang: setLang, lang: function () { return lang; } };
})();
