/**
 * What the assistant never does, told apart before anything is read as a query: requests to
 * change data (refused with what it can do), and SQL or markup pasted in (treated as text it does
 * not understand). Matched against the normalised question.
 */

const ZH_WRITE = new RegExp([
  '删除', '删掉', '删了', '删光', '清空', '清除', '清掉', '移除', '抹掉',
  '修改(?!地址)', '更改(?!地址)', '改成', '改为', '改一下', '改下', '改掉', '改价', '调价', '降价', '涨价', '改状态', '改个',
  '更新(?!时间|日期|于)', '编辑', '添加', '插入', '新建(?!的)', '创建(?!时间|日期|的)', '作废', '禁用', '封号', '拉黑', '合并', '导入', '重置',
  '退钱', '退款给', '给.{0,12}退(?:款|钱|了)', '帮.{0,8}退(?:款|钱|掉)', '把.{0,24}(?:取消|退款|退了|退掉|改|删|关|标记|设为|设置|发货|合并|备注|分配|转给)', '新增(?:\\d+|一)?(?:个|位|条|笔)(?!月)', '批量',
  '帮我?(?:取消|退款|退掉|关闭|关掉|发货|发个|发一|标记|分配)', '关闭(?:所有|全部|这些|这个|那些)?工单', '关掉', '取消(?:掉|一下|这|那|该|他|她|它|sd|订单\\s*sd)',
  '(?:发|送)(?:个|一张|张|一个|一些|些)?(?:优惠券|代金券|券|红包|短信|邮件|通知)', '标记为', '设为', '设置为', '发货(?:吧|一下)',
].join('|'));

const EN_VERB = '(?:delete|remove|drop|truncate|insert|wipe|erase|purge|destroy|alter|update|modify|edit|change|set|cancel|refund|add|create|mark|reset|close|reopen|assign|merge|ban|block|give|send|issue|void|approve|reject|apply|discount|ship|move|rename|reprice|re-price|resend)';
const EN_OBJECT = '(?:all|every|each|the|this|that|these|those|them|it|him|her|his|their|my|our|a|an|order|orders|customer|customers|ticket|tickets|sd\\d+|\\d|[a-z0-9._%+-]+@|coupons?|vouchers?|discounts?|price|prices|status)';
const EN_WRITE = new RegExp([
  '\\b(?:delete|remove|drop|truncate|wipe|erase|purge|destroy)\\b',
  '\\binsert\\s+into\\b', '\\balter\\s+table\\b', '\\bupdate\\s+\\w+\\s+set\\b',
  `\\b${EN_VERB}\\s+(?:out\\s+|up\\s+|off\\s+)?${EN_OBJECT}\\b`,
  // an imperative at the start, unless it is a metric noun ("refund rate", "change in revenue")
  `^(?:please\\s+|pls\\s+|plz\\s+|can\\s+you\\s+|could\\s+you\\s+|would\\s+you\\s+|i\\s+(?:want|need)\\s+(?:you\\s+)?to\\s+|help\\s+me\\s+|go\\s+(?:and\\s+)?|let'?s\\s+)*${EN_VERB}\\b(?!\\s+(?:me|us|rate|amount|total|tickets?|requests?|ratio|%|count|numbers?|volume|trend|breach|in\\b|of\\b|over\\b|vs\\b|history))`,
  '\\bmark\\s+\\S+\\s+as\\b', '\\bset\\s+\\S+\\s+to\\b', '\\bgive\\s+\\S+\\s+(?:a\\s+)?(?:refund|discount|coupon|voucher)',
  '\\bcan\\s+you\\s+(?:refund|cancel|delete|change|update|close|ship)\\b',
].join('|'));

/** SQL or markup pasted into the box: read as text, never as a query. */
const CODE = /\bselect\b[\s\S]*\bfrom\b|<\s*\/?\s*(?:script|img|iframe|svg|a|div|body|html|style)\b|\bunion\s+(?:all\s+)?select\b|;\s*--|\bjavascript:|\$\{|\{\{|\bexec\s*\(|\beval\s*\(|\brm\s+-rf\b|\bsleep\s*\(\d|\bor\s+1\s*=\s*1\b/;

// "how much did we refund this month" asks about a change, it does not ask for one
const EN_QUESTION = /\b(?:how\s+(?:much|many)|did\s+we|do\s+we|have\s+we|were\s+there|was\s+there|what|which|when)\b/;
const EN_DESTRUCTIVE = /\b(?:delete|remove|drop|truncate|wipe|erase|purge|destroy)\b|\binsert\s+into\b|\balter\s+table\b|\bupdate\s+\w+\s+set\b/;
const NOUN_USE = /\b(?:refund|return|exchange|change|update|issue|ship)\s+(?:tickets?|requests?|cases?|rate|ratio|amount|total)\b/g;

export function isWriteRequest(text: string): boolean {
  if (ZH_WRITE.test(text)) return true;
  if (EN_DESTRUCTIVE.test(text)) return true;
  if (EN_QUESTION.test(text)) return /\b(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:refund|cancel|change|update|close|ship|mark|set|add|create|send|give)\b/.test(text);
  return EN_WRITE.test(text.replace(NOUN_USE, ' '));
}

export function looksLikeCode(text: string): boolean {
  return CODE.test(text);
}

/** Nothing but spaces and punctuation. */
export function isEmptyQuestion(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text);
}
