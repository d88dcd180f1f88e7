import type { GroupBy, Metric } from './ask-query.js';

/**
 * The words for metrics, breakdowns, top N and counting, Chinese and English, matched against
 * the normalised question (simplified, lower-case, numerals as digits, typos fixed). Tables are
 * ordered: the first entry that matches wins, so a narrower phrase (退货最多的商品) sits before
 * a wider one (商品).
 */
export interface Found<T> { value: T; start: number; end: number }

export function firstMatch<T>(text: string, table: readonly (readonly [RegExp, T])[]): Found<T> | undefined {
  for (const [re, value] of table) {
    const m = re.exec(text);
    if (m) return { value, start: m.index, end: wordEnd(text, m.index + m[0].length) };
  }
  return undefined;
}

/** A match that stops inside a Latin word ("satisf" of "satisfaction") takes the whole word. */
export function wordEnd(text: string, end: number): number {
  if (end === 0 || !/[a-z]/.test(text[end - 1])) return end;
  while (end < text.length && /[a-z]/.test(text[end])) end++;
  return end;
}

const PRODUCT_NOUN = '(?:products?|items?|skus?|goods|sellers?|things|stuff|merch)';

export const METRIC_WORDS: readonly (readonly [RegExp, Metric])[] = [
  [/退货(?:最多|最高|率最高|排行|排名|前)|退(?:得|的)?最多|退(?:得|的)多|被退(?:货)?最多|退货(?:量)?(?:top|排行)|\bmost[\s-]+returned\b|\btop\s*\d*\s*returned\b|\breturned\s+(?:the\s+)?most\b|\b(?:most|highest|top)\s+returns?\b|\breturned\s+(?:items|products|skus)\b|\bmost\s+refunded\b|\b(?:items|products|skus)\s+(?:with\s+the\s+)?most\s+(?:returns|refunds|returned|refunded)\b/, 'top_returned_products'],
  [new RegExp(`卖(?:得|的)?(?:最好|最多|最火|最快|好的)|买(?:得|的)?最多|销冠|(?:哪些|哪个|哪款|哪几款|什么)(?:商品|产品|东西|款)?卖(?:得|的)?(?:好|最好|多|最多|火|最火)|最(?:好|佳|热|火|受欢迎)的?[^,.?!]{0,4}(?:商品|产品|单品|款|sku)|最(?:畅销|好卖|受欢迎|热门|火)|畅销|热销|爆款|爆品|销量(?:最高|最好|最多|前|排行|排名|榜|top)|商品(?:排行|排名|榜|销量排|top)|(?:top|前)\\s*\\d*\\s*(?:的)?(?:个|款|名)?(?:商品|产品|单品|sku)|(?:哪些|哪个|哪款|什么)(?:商品|产品|东西)卖|\\bbest[\\s-]*sell(?:ers?|ing)?\\b|\\btop[\\s-]*sell(?:ers?|ing)\\b|\\b(?:most\\s+popular|best|top|hottest|bestselling)\\s+(?:\\d+\\s+)?(?:\\w+\\s+)?${PRODUCT_NOUN}\\b|\\btop\\s*\\d+\\s+${PRODUCT_NOUN}\\b|\\bwhat\\s+(?:sold|sells|is\\s+selling)\\s+(?:best|most)\\b|\\b(?:sold|sells?|selling)\\s+(?:the\\s+)?(?:best|most)\\b`), 'top_products'],
  [/新老客|新客(?:户)?(?:和|与|跟|vs|对比)?老客|老客(?:户)?(?:和|与|跟|vs|对比)?新客|新客(?:户)?占比|老客(?:户)?(?:占比|比例)|\bnew\s+(?:vs\.?|versus|and|or)\s+(?:returning|repeat|existing|old)\b|\b(?:returning|repeat|existing)\s+(?:vs\.?|versus|and|or)\s+new\b|\b(?:share|percentage|percent|%|proportion|ratio|split|mix)\s+(?:of\s+)?new\s+(?:customers|buyers|shoppers)\b|\bnew\s+(?:customers|buyers)\s+(?:share|percentage|ratio|split|mix)\b/, 'new_vs_returning'],
  [/复购|回购|重复购买|再次购买|回头客|二次购买|\brepeat\s+(?:purchase\s+)?rate\b|\brepurchase|\brepeat\s+(?:customers?|buyers?|purchases?)\b|\b(?:came|come|coming)\s+back\s+(?:and|to)\s+(?:buy|bought|order)|\bbought\s+again\b|\bretention\b/, 'repurchase_rate'],
  [/退款率|退货率|退款比例|退款占比|退单率|\b(?:refund|return)\s*(?:rate|ratio|%)|%\s*(?:of\s+orders\s+)?(?:got\s+|were\s+|are\s+|get\s+)?refunded\b|\b(?:share|percentage|percent|proportion)\s+of\s+orders\s+(?:got\s+|were\s+|are\s+|that\s+were\s+)?refunded\b|\bhow\s+often\b[\w\s]*\brefund/, 'refund_rate'],
  [/退款(?:金额|额|总额|总金额|数额|的钱|了多少钱|多少钱)|退款了?多少(?![单笔个件])|退了多少(?:钱)?(?![单笔个件])|退(?:了|掉|的)?(?:多少)?钱|\brefund(?:ed)?\s+(?:amount|total|sum|value|money)\b|\b(?:total|sum\s+of)\s+refunds?\b|\bhow\s+much\b[\w\s']*\brefund|\bmoney\s+(?:was\s+|we\s+)?refunded\b|\bamount\s+refunded\b|\brefunds?\s+(?:in\s+)?(?:money|dollars|yuan|rmb)\b/, 'refund_amount'],
  [/超时|逾期|超期|违约|sla|\bbreach|\boverdue\b|\bpast\s+due\b|\blate\s+tickets?\b/, 'sla_breaches'],
  [/(?:未|没|没有|还没|待|尚未)(?:处理|解决|关闭|跟进|回复)|积压|还剩|还有多少(?:个)?工单|打开的工单|开着的工单|未结|\bopen\s+(?:\w+\s+)?(?:tickets?|cases?|complaints?|issues?|requests?)\b|\b(?:tickets?|cases?|complaints?|requests?)\b[\w\s]*\b(?:are\s+|still\s+)?(?:open|unresolved|pending|outstanding)\b|\b(?:tickets?|cases?)\s+(?:still\s+)?(?:waiting|pending|unanswered|not\s+(?:yet\s+)?(?:closed|resolved|handled))\b|\b(?:pending|outstanding|unresolved|waiting|unanswered)\s+(?:\w+\s+)?(?:tickets?|cases?|complaints?|requests?)\b|\bbacklog\b|\bunresolved\b|\boutstanding\s+tickets?\b|\bticket\s+queue\b/, 'open_tickets'],
  [/满意度|满意|好评率|好评|差评|评分|评价|\bcsat\b|\bsatisf|\bhappy\b|\bhappiness\b|\bratings?\b|\bsentiment\b|\breviews?\s+score\b/, 'csat'],
  [/机器人(?:解决|处理|独立解决|自动解决)?率?|自动化率?|自动回复率?|自动解决|自助解决|无人工|智能客服解决|\bautomat|\bbot\s+(?:resolution|resolved|solved|rate|handled|resolves?|solves?|handles?)\b|\bon\s+its\s+own\b|\bbot\s+(?:vs\.?|versus|or)\s+(?:human|people|staff|agents?)\b|人工.{0,4}机器人|机器人.{0,4}人工|\bresolved\s+by\s+(?:the\s+)?bot\b|\bhandled\s+by\s+(?:the\s+)?bot\b|\bdeflection\b|\bcontainment\b|\bself[\s-]+service\s+rate\b|\bwithout\s+(?:a\s+)?human\b/, 'automation_rate'],
  [/沉睡|沉默|休眠|流失(?!风险)|不活跃|(?:很久|好久|多久|长期)没(?:买|下单|来|复购|消费)|没回购|\bdormant\b|\binactive\b|\bchurned\b|\blapsed\b|\bsleeping\b|\bhaven'?t\s+(?:bought|ordered|purchased)|\bstopped\s+(?:buying|ordering|purchasing|shopping)\b|\bnot\s+(?:bought|ordered)\s+(?:in|for)\b/, 'dormant_customers'],
  [/新客|新用户|新增[^,.?!]{0,6}?(?:客户|用户|会员|顾客|买家|粉丝)|新(?:来|进)的?(?:客户|用户|顾客)|新注册|拉新|首单(?:客户|用户)?|新买家|第一次(?:买|下单|购买)|首次(?:购买|下单)|新会员|\bnew\s+(?:customers?|buyers?|users?|clients?|shoppers?|members?|signups?|sign[\s-]+ups?|accounts?)\b|\bfirst[\s-]+time\s+(?:buyers?|customers?|shoppers?|purchasers?)\b|\b(?:new\s+)?sign[\s-]*ups?\b|\bacquired\b|\bacquisition\b/, 'new_customers'],
  [/会话|对话|咨询(?!.*工单)|聊天|进线|接待量|来访|消息量|\bconversations?\b|\bchats?\b|\bmessages\b|\bchatted\b|\bchatting\b|\bconvos?\b|\binquir(?:y|ies)\b|\benquir(?:y|ies)\b|\bcontacted\s+us\b|\breached\s+out\b|\bmessaged\s+us\b|\bsupport\s+(?:volume|requests)\b/, 'conversations'],
  [/客单价|客单(?!量)|人均(?:消费|客单|金额|订单金额)|平均(?:每单|订单|单价|客单|消费|每笔|每个订单)|每单平均|笔单价|\baov\b|\baverage\s+(?:order|basket|cart|spend|ticket|purchase|transaction)|\bavg\.?\s+(?:order|basket|cart|spend|purchase|ticket)|\bbasket\s+size\b|\bspend\s+per\s+order\b|\bper[\s-]+order\s+(?:value|spend)\b/, 'aov'],
  [/客户(?:数|总数|数量|量|有多少|多少|规模)|(?:多少|几个)(?:个)?(?:客户|用户|会员|顾客|买家)|用户(?:数|总数|量)|会员(?:数|总数|量)|顾客(?:数|总数)|\bcustomers?\s+(?:count|base|total|number)|\b(?:number|count|total)\s+of\s+(?:customers|clients|buyers|users|members)\b|\bhow\s+many\s+(?:\w+\s+)?(?:customers|clients|buyers|users|members|shoppers)\b|\bcustomers\b/, 'customers'],
  [/卖(?:了|出|掉)?(?:多少|几)(?:件|个|双|台|套|瓶)|\bhow\s+many\b[\w\s]*\b(?:did|do|have)\s+we\s+(?:sell|sold)\b|\bunits?\s+sold\b|订单|定单|单量|销量|多少单|几单|下单|成交(?:了)?(?:多少|几)(?:单|笔)|多少笔|几笔|单子|\borders?\b|\border\s+(?:count|volume)\b|\bpurchases\b|\btransactions\b/, 'orders'],
  [/销售额|销售|消售额|营业额|营收|收入|流水|gmv|成交额|成交金额|业绩|卖(?:了)?(?:多少|几|啥)|卖(?:得|的)(?:怎么样|咋样|如何)|卖(?:得|的)?(?:好|不好)|生意|赚(?:了)?多少|赚了|进账|进了多少|\brevenues?\b|\bsales?\b|\bturnover\b|\bincome\b|\btakings\b|\bearn(?:ed|ings)?\b|\bmake\b|\bmade\b|\bsell\b|\bsold\b|\bselling\b|\bhow'?d\s+we\s+do\b|\bhow\s+(?:did|do|are|have|were)\s+we\s+(?:do|doing|done)\b|\bhow(?:'s|\s+is|\s+was)\s+business\b|\bbusiness\b|\bmoney\b|\bbring\s+in\b|\bbrought\s+in\b|\bdollars\b|\bnumbers\b/, 'revenue'],
];

/** "退款" or "refunds" with nothing else: the amount (with a period) or, with no period either, the rate or the amount. */
export const REFUND_ALONE = /^(?:看看|看下|查下|查一下)?(?:退款|退货退款|refunds?)(?:情况|呢|怎么样|咋样|\?)?$/;

export const GROUP_BY_WORDS: readonly (readonly [RegExp, GroupBy])[] = [
  [/(?:前|top)\s*\d*\s*(?:的|个)?(?:省份?|地区|城市)|按(?:照)?(?:地区|省份?|城市|区域|地域|市)|各(?:个)?(?:地区|省份?|城市|区域|地)|分(?:地区|省|区域|城市)|每个(?:地区|省份?|城市)|哪个(?:省|地区|城市)|哪些(?:省|地区|城市)|地区分布|\bby\s+(?:region|province|state|city|country|location|area|geography|geo)s?\b|\bper\s+(?:region|province|state|city|country)\b|\beach\s+(?:region|province|state|city)\b|\bregional\b|\b(?:which|what|top\s*\d*|best|biggest)\s+(?:regions?|provinces?|states?|cit(?:y|ies)|countr(?:y|ies))\b/, 'region'],
  [/(?:前|top)\s*\d*\s*(?:的|个)?(?:品类|类目)|按(?:照)?(?:品类|类目|分类|类别|大类)|各(?:个)?(?:品类|类目|分类|类别)|分(?:品类|类目)|每个(?:品类|类目|分类)|哪个(?:品类|类目)|哪些(?:品类|类目)|\bby\s+(?:product\s+)?(?:category|categories|type)\b|\bper\s+category\b|\beach\s+category\b|\b(?:which|what|top\s*\d*|best|biggest)\s+categor(?:y|ies)\b/, 'category'],
  [/按(?:照)?(?:客群|分群|人群|客户群|客户分群|细分|rfm)|各(?:个)?(?:客群|分群|人群|客户群|细分)|分客群|每个(?:客群|分群)|\bby\s+(?:customer\s+)?(?:segments?|cohorts?|groups?|rfm)\b|\bper\s+segment\b|\beach\s+segment\b|\bsegment\s+breakdown\b/, 'segment'],
  [/(?:前|top)\s*\d*\s*(?:的|个)?(?:渠道|来源|平台)|按(?:照)?(?:渠道|来源|平台)|各(?:个)?(?:渠道|来源|平台)|分渠道|每个渠道|哪个渠道|哪些渠道|\bby\s+(?:channel|source|platform)s?\b|\bper\s+(?:channel|source|platform)\b|\beach\s+channel\b|\b(?:which|what|top\s*\d*|best|biggest)\s+channels?\b/, 'channel'],
  [/按(?:照)?(?:商品|产品|单品|sku)|各(?:个)?(?:商品|产品|单品|sku)|分商品|每个(?:商品|产品|单品)|每款|\bby\s+(?:product|item|sku)s?\b|\bper\s+(?:product|item|sku)\b|\beach\s+(?:product|item|sku)\b|\bproduct\s+breakdown\b/, 'product'],
  [/按周|每周|各周|周度|逐周|每个?星期|周趋势|\bweekly\b|\bby\s+week\b|\bper\s+week\b|\beach\s+week\b|\bweek\s+by\s+week\b|\bweek[\s-]+on[\s-]+week\s+trend\b/, 'week'],
  [/按月|每(?:个)?月|各(?:个)?月|月度|逐月|分月|月趋势|\bmonthly\b|\bby\s+month\b|\bper\s+month\b|\beach\s+month\b|\bmonth\s+by\s+month\b|\bmonth[\s-]+over[\s-]+month\s+trend\b/, 'month'],
  [/按天|按日|每天|每日|各天|逐日|日趋势|分天|每一天|趋势|走势|变化曲线|曲线|\bdaily\b|\bby\s+day\b|\bper\s+day\b|\beach\s+day\b|\bday\s+by\s+day\b|\bday[\s-]+by[\s-]+day\b|\btrend(?:s|ing)?\b|\bover\s+time\b|\bchart\b|\bgraph\b|\bplot\b/, 'day'],
];

/** "top 5", "前５", "最好的三个", "5个商品", "top twenty". */
const LIMIT_RES: readonly RegExp[] = [
  /\btop\s*(\d{1,3})\b|\btop(\d{1,3})(?=\D|$)/,
  /(?:前|排名前|头|最好的|最多的|最高的|最火的|卖得最好的|卖的最好的)\s*(\d{1,3})(?!\s*(?:天|日|周|个月|月|年|号|小时|单))/,
  /\b(?:best|biggest|highest|largest|most\s+\w+|first)\s+(\d{1,3})\b(?!\s*(?:days?|weeks?|months?|years?))/,
  /\b(\d{1,3})\s+(?:best|top|most|biggest|highest)\b/,
  /(?<![\d.])(\d{1,3})\s*(?:个|款|名|大|样|件)\s*(?:最|卖|热|畅|爆|商品|产品|单品|品|sku)/,
];

export function findLimit(text: string): Found<number> | undefined {
  for (const re of LIMIT_RES) {
    const m = re.exec(text);
    if (!m) continue;
    const n = Number(m[1] ?? m[2]);
    if (n >= 1 && n <= 100) return { value: n, start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

/** Asked over all time: 开店以来, 历史, since we opened. */
export const ALL_TIME = /开店以来|开业以来|开张以来|有史以来|历史(?:上|总|累计|总共)?|至今总|迄今为止|\ball[\s-]*time\b|\bsince\s+(?:we\s+)?(?:opened|opening|launch(?:ed)?|started|the\s+(?:start|beginning)(?!\s+of)|day\s+one|inception|forever)\b|\bever\b|\blifetime\b|\btotal\s+(?:so\s+far|to\s+date)\b/;
/** "一共", "in total": all time only when no period is named ("上周一共多少单" is last week). */
export const TOTAL_WORDS = /累计|一共|总共|\bin\s+total\b/;

/** Words naming products: a "best" question without them is about a breakdown ("哪个省卖得最好"). */
export const PRODUCT_WORDS = /商品|产品|单品|货|款|宝贝|爆款|爆品|热销|畅销|\bproducts?\b|\bitems?\b|\bskus?\b|\bsellers?\b|\bgoods\b/;

/** Counting rather than listing: 多少 / 几单 / how many. */
export const COUNT_WORDS = /多少|几(?:个|单|笔|件|张)?|数量|总数|订单数|单量|(?:订单|工单)?数$|统计|\bhow\s+many\b|\bnumber\s+of\b|\bcount\b|#\s*of\b|\btotal\b|\bvolume\b/;

/** Listing: 列一下 / 有哪些 / list / show. */
export const LIST_WORDS = /列(?:一下|出|下|个)?|有哪些|哪些|哪几|清单|明细|名单|\blist\b|\bshow\b|\bwhich\b|\bgive\s+me\b|\bdisplay\b|\bsee\b|\bpull\s+up\b|\bfind\b|\bget\b/;

/** Words that only make sense for orders: used to tell a status count from other metrics. */
export const ORDER_NOUN = /订单|单子|包裹|快递|件|(?<![工售])单(?!价|品)|\borders?\b|\bparcels?\b|\bpackages?\b|\bshipments?\b|\bdeliveries\b/;

/** Words that only make sense for tickets. */
export const TICKET_NOUN = /工单|售后单|售后|申请|\btickets?\b|\bcases?\b|\bcomplaints?\b|\bclaims?\b|\brequests?\b|\btix\b/;
