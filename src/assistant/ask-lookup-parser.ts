import type { CustomerRef, Lookup } from './ask-query.js';

/**
 * Who and which order a question is about: e-mail addresses, phone numbers and order numbers
 * (taken out first, so their digits are never read as dates), customer names in Chinese and
 * English, and which lookup the words ask for.
 */
export interface Entities {
  email?: string;
  phone?: string;
  order?: string;
  spans: [number, number][];
}

const EMAIL = /(?<![a-z0-9._%+-])[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/g;
// mainland mobiles (138 0013 8000, +86 138-0013-8000) and international numbers with a plus
const PHONE = /(?<![\d+])(?:(?:\+|00)86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)|(?<![\d+])\+\d{1,3}(?:[\s-]?\d){6,13}(?!\d)/g;
const ORDER_NO = /(?<![a-z0-9])[a-z]{2}\d{10}(?!\d)/g;

/** Takes e-mail, phone and order number out of the normalised text (`cased` keeps the asker's case). */
export function extractEntities(text: string, cased: string): Entities {
  const out: Entities = { spans: [] };
  const take = (re: RegExp, set: (s: string, cs: string) => void): void => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (out.spans.some(([s, e]) => start < e && end > s)) continue;
      out.spans.push([start, end]);
      set(m[0], cased.slice(start, end));
    }
  };
  take(EMAIL, (s) => (out.email ??= s));
  take(ORDER_NO, (s) => (out.order ??= s.toUpperCase()));
  take(PHONE, (s) => (out.phone ??= s.replace(/[\s-]/g, '').replace(/^00/, '+')));
  return out;
}

const SURNAMES = '欧阳|司马|诸葛|上官|东方|皇甫|令狐|慕容|尉迟|长孙|夏侯|公孙|王|李|张|刘|陈|杨|黄|周|高|金|方|白|石|龙|常|华|赵|吴|徐|孙|马|朱|胡|郭|何|林|罗|郑|梁|谢|宋|唐|许|韩|冯|邓|曹|彭|曾|肖|萧|田|董|袁|潘|于|蒋|蔡|余|杜|叶|程|苏|魏|吕|丁|任|沈|姚|卢|姜|崔|钟|谭|陆|汪|范|廖|贾|夏|韦|付|傅|邹|孟|熊|秦|邱|江|尹|薛|闫|阎|段|雷|侯|史|陶|黎|贺|顾|毛|郝|龚|邵|钱|严|覃|武|戴|莫|孔|汤|温|康|施|牛|樊|葛|邢|齐|易|乔|伍|庞|颜|倪|庄|聂|章|鲁|岳|翟|殷|詹|申|欧|耿|兰|焦|俞|左|柳|甘|祝|宁|舒|阮|柯|纪|梅|童|凌|毕|裴|霍|涂|盛|翁|冉|骆|辛|靳|柴|蒙|鲍|喻|祁|蒲|滕|屈|饶|牟|艾|尤|阳|穆|卓|缪|芦|麦|褚|娄|窦|戚|岑|卜|晏|席|卫|柏|瞿|桂|佟|臧|闵|苟|邬|卞|姬|仇|栾|隋|刁|巫|寇|桑|郎|甄|丛|仲|虞|敖|巩|佘|苑|迟|邝';
// characters that end a name: particles and the words that follow a name in a question
const NOT_GIVEN = '的买下在最上这有是订工资信客近了啥什么和跟与吗呢多少几那单售退卖历全所账号电话手机邮呀啊吧嘛还都也又很今昨本去前后每个月周年天日号查看找搜给把被让从到至品额价量率数款件类';
const ZH_NAME = new RegExp(`(?:${SURNAMES})(?:(?![${NOT_GIVEN}])[\\u4e00-\\u9fff]){1,2}`, 'g');
// a name counts only where a person is plainly meant: after 客户/查, before 的订单/买了, or alone
const ZH_NAME_BEFORE = /(?:^|客户|顾客|用户|会员|买家|查询?|查一下|查下|查查|看看|看一下|看下|找一下|找|搜一下|搜|帮我查|告诉我|关于|[\s,.?!:])\s*$/;
const ZH_NAME_AFTER = /^\s*(?:$|的|买|下单|下了|在|最近|有|是谁|是|资料|信息|订单|工单|售后|详情|档案|这个|这位|那个|客户|[,.?!:])/;
// words that start with a surname character but are not names
const ZH_NOT_NAMES = new Set([
  '谢谢', '谢了', '马上', '高兴', '方便', '明白', '周末', '黄金', '王者', '江湖', '周边', '高端', '高级', '金牌', '杨梅', '高价', '孙子', '马虎', '陈列', '朱红',
  '何时', '何地', '罗列', '郑重', '宋体', '许多', '许久', '韩国', '田园', '董事', '于是', '余额', '余下', '杜绝', '叶子', '程序', '苏州', '魏国', '丁点', '任何',
  '任务', '沈阳', '卢布', '姜茶', '钟点', '陆续', '范围', '石头', '夏天', '夏季', '付款', '付了', '方式', '方面', '方法', '白天', '白色', '孟买', '熊猫', '秦朝',
  '江苏', '雷达', '龙井', '史上', '陶瓷', '黎明', '贺卡', '顾客', '毛利', '毛巾', '钱包', '严重', '武汉', '戴森', '莫名', '孔雀', '汤圆', '常见', '常用', '温度',
  '康复', '施工', '文件', '牛奶', '安装', '齐全', '易用', '庞大', '颜色', '庄园', '章节', '岳父', '殷勤', '申请', '耿直', '焦虑', '左边', '柳树', '甘肃', '祝贺',
  '包裹', '宁波', '尚未', '符合', '舒服', '纪录', '梅花', '童装', '凌晨', '毕业', '季度', '涂料', '苗条', '谷歌', '盛大', '曲线', '骆驼', '蓝牙', '蓝色', '路上',
  '游戏', '辛苦', '管理', '柴油', '蒙古', '鲍鱼', '华为', '房子', '解决', '尤其', '阳光', '时候', '农村', '司机', '卓越', '古代', '吉林', '简单', '车子', '项目',
  '芦荟', '景点', '党员', '宫殿', '费用', '冷门', '席位', '卫衣', '米饭', '柏林', '宗教', '桂林', '全部', '应该', '边上', '师傅', '和平', '仇人', '隋朝', '商品',
  '刁难', '沙发', '荣誉', '巫师', '桑拿', '甄别', '丛林', '仲裁', '巩固', '明天', '池塘', '查询', '麻烦', '迟到', '黄色', '红色', '高峰', '金额',
]);
const ZH_NAME_BARE = /^\s*(?:客户|顾客|查询?|查一下|查下|看看|找)?\s*$/;

const EN_NAME_WORD = "[a-z][a-z'-]*";
const EN_NAME_CONTEXT = [
  new RegExp(`\\b(?:who\\s+is|who's|look\\s*up|lookup|find|search(?:\\s+for)?|pull\\s+up|show\\s+me|info\\s+(?:on|for|about)|details\\s+(?:on|for|of)|profile\\s+(?:of|for)|customer|client|buyer)\\s+(${EN_NAME_WORD}(?:\\s+${EN_NAME_WORD}){0,2})`, 'g'),
  new RegExp(`\\b(?:orders?|tickets?|purchases?|cases?|complaints?|history|chats?|conversations?)\\s+(?:of|for|from|by|placed\\s+by|made\\s+by|opened\\s+by)\\s+(${EN_NAME_WORD}(?:\\s+${EN_NAME_WORD}){0,2})`, 'g'),
  new RegExp(`\\b(${EN_NAME_WORD}(?:\\s+${EN_NAME_WORD}){0,2})'s?\\s+(?:orders?|tickets?|purchases?|profile|info|details|account|history|cases?|record)\\b`, 'g'),
  new RegExp(`\\bwhat\\s+(?:did|has|have)\\s+(${EN_NAME_WORD}(?:\\s+${EN_NAME_WORD}){0,2})\\s+(?:buy|bought|order|ordered|purchase)`, 'g'),
  // "alice smith tickets", "Alice orders": no 's, so two words or a capital are needed
  new RegExp(`\\b(${EN_NAME_WORD}(?:\\s+${EN_NAME_WORD}){0,2})\\s+(?:orders?|tickets?|purchases?|profile|details|account|history)\\b`, 'g'),
];
const LAST_CONTEXT = EN_NAME_CONTEXT.length - 1;

const EN_BARE_NAME = /^\s*[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+){1,2}\s*$/;

export interface NameHit { name: string; start: number; end: number }

/**
 * A customer's name in `text` (what is left after time and metric words are blanked), cut from
 * `cased` so an English name keeps its capitals. `stop` holds words that are never names.
 */
export function findName(text: string, cased: string, stop: ReadonlySet<string>): NameHit | undefined {
  ZH_NAME.lastIndex = 0;
  for (let m = ZH_NAME.exec(text); m; m = ZH_NAME.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const before = text.slice(0, start);
    const after = text.slice(end);
    if (ZH_NOT_NAMES.has(m[0])) continue;
    const bare = ZH_NAME_BARE.test(before) && /^\s*(?:呢|的资料|的信息|[?.!]|\s)*$/.test(after);
    if (bare || (ZH_NAME_BEFORE.test(before) && ZH_NAME_AFTER.test(after))) return { name: cased.slice(start, end), start, end };
  }
  // "Alice Smith" alone: two or three capitalised words that are not keywords
  const bare = EN_BARE_NAME.exec(cased);
  if (bare && bare[0].length === text.trim().length && !bare[0].toLowerCase().split(/\s+/).some((w) => stop.has(w))) {
    const start = cased.indexOf(bare[0]);
    return { name: bare[0], start, end: start + bare[0].length };
  }
  for (const [i, re] of EN_NAME_CONTEXT.entries()) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      // "find customer alice smith": skip the keywords before the name, stop at the first after it
      const words = m[1].split(/\s+/);
      const isStop = (w: string): boolean => stop.has(w.replace(/'s?$/, ''));
      let first = 0;
      while (first < words.length && isStop(words[first])) first++;
      let n = first;
      while (n < words.length && !isStop(words[n])) n++;
      if (n === first) continue;
      const start = m.index + m[0].indexOf(m[1]) + words.slice(0, first).map((w) => w.length + 1).reduce((a, b) => a + b, 0);
      const len = words.slice(first, n).join(' ').length;
      const name = cased.slice(start, start + len).replace(/'s?$/, '');
      if (i === LAST_CONTEXT && n - first < 2 && !/^[A-Z]/.test(name)) continue;
      if (name.length >= 2) return { name, start, end: start + len };
    }
  }
  return undefined;
}

const TIMELINE = /物流|到哪|到了没|进度|时间线|轨迹|跟踪|追踪|记录|经过|历史|状态变化|发生了什么|怎么回事|快递|动态|\btimeline\b|\bhistory\b|\btrack(?:ing)?\b|\bwhere(?:'s|\s+is)\b|\bwhat\s+happened\b|\bjourney\b|\bevents?\b|\blog\b|\bprogress\b|\bupdates?\b|\bshipping\b|\bdelivery\s+status\b|\btrace\b/;
const WHO = /谁(?:买|下|的)|哪个(?:客户|人|用户)|客户是谁|买家是谁|是谁的|下单人|下单的人|收件人|客户信息|客户资料|\bwho\b|\bwhose\b|\bwhich\s+customer\b|\bcustomer\s+(?:of|for|behind|on|info)\b|\bbuyer\b|\bbelongs?\s+to\b/;
const CUSTOMER_ORDERS = /订单|买了|买过|买的|下过|下的单|购买|消费记录|购物记录|买啥|买什么|\borders?\b|\bpurchases?\b|\bbought\b|\bbuy\b|\bordered\b|\bspent\b/;
const CUSTOMER_TICKETS = /工单|售后|投诉|申请|\btickets?\b|\bcases?\b|\bcomplaints?\b|\bsupport\s+requests?\b|\bclaims?\b/;

/** The lookup a question about one order or one customer asks for. */
export function lookupKind(text: string, who: CustomerRef | null, order: string | undefined): Lookup {
  if (order && !who) {
    if (WHO.test(text)) return 'customer';
    return TIMELINE.test(text) ? 'order_timeline' : 'order';
  }
  if (CUSTOMER_TICKETS.test(text)) return 'customer_tickets';
  if (CUSTOMER_ORDERS.test(text)) return 'customer_orders';
  return 'customer';
}
