/**
 * Filter words for the ask parser, matched against the normalised question. Status, exception,
 * ticket type, channel, segment and category map to the CRM's keys (src/crm/crm-constants.ts and
 * the catalogue's categories); region and product are kept as the asker typed them.
 */

export const STATUS_WORDS: readonly (readonly [RegExp, string])[] = [
  [/待付款|未付款|没付款|没有付款|未支付|待支付|没支付|还没付|\bunpaid\b|\bnot\s+(?:yet\s+)?paid\b|\bpending\s+payment\b|\bawaiting\s+payment\b|\bwaiting\s+(?:for\s+)?payment\b|\bpayment\s+pending\b/, 'pending_payment'],
  [/待发货|未发货|没发货|还没发货|没有发货|尚未发货|等待发货|\bwaiting\s+to\s+(?:be\s+)?ship(?:ped)?\b|\bnot\s+(?:yet\s+)?(?:been\s+)?shipped\b|\b(?:haven|hasn)'?t\s+(?:been\s+)?shipped\b|\bunshipped\b|\bawaiting\s+(?:shipment|shipping|dispatch)\b|\bto\s+be\s+shipped\b|\bready\s+to\s+ship\b|\bnot\s+(?:yet\s+)?dispatched\b|\bpaid\s+but\s+not\s+shipped\b/, 'paid'],
  [/处理中|备货中|\bprocessing\b/, 'processing'],
  [/还没签收|未签收|没签收|\bnot\s+(?:yet\s+)?delivered\b|\b(?:haven|hasn)'?t\s+(?:been\s+)?delivered\b|已发货|发货了的|发出的|运输中|在途|\bshipped\b|\bdispatched\b|\bin\s+transit\b/, 'shipped'],
  [/已签收|签收|已送达|送达|已收货|妥投|\bdelivered\b/, 'delivered'],
  [/已完成|完成的订单|\bcompleted\b/, 'completed'],
  [/已取消|取消的|取消了|被取消|取消(?=[^,.?!]{0,6}(?:单|笔))|取消订单|取消单|\bcancel(?:l)?ed\b|\bcancellations?\b/, 'cancelled'],
  [/已退款|退款的订单|退款订单|退了款的|退款的单|退款单(?!量)|退款(?=[^,.?!]{0,6}(?:单|笔))|\brefunded\s+(?:orders?|ones)\b|\borders?\s+(?:that\s+were\s+|which\s+were\s+)?refunded\b/, 'refunded'],
];

export const EXCEPTION_WORDS: readonly (readonly [RegExp, string])[] = [
  [/海关|清关|扣关|报关|\bcustoms\b/, 'customs_hold'],
  [/派送失败|投递失败|配送失败|送货失败|送不到|妥投失败|\bfailed\s+deliver(?:y|ies)\b|\bdeliver(?:y|ies)\s+(?:failed|failures?)\b|\bundeliver(?:ed|able)\b|\bcouldn'?t\s+be\s+delivered\b/, 'delivery_failed'],
  [/支付失败|付款失败|扣款失败|\bfailed\s+payments?\b|\bpayments?\s+(?:failed|failures?|declined)\b|\bdeclined\s+payments?\b/, 'payment_failed'],
  [/物流延误|延误|延迟|晚到|迟到|慢件|发货慢|\bdelay(?:ed|s)?\b|\blate\s+(?:deliver(?:y|ies)|shipments?|orders?|parcels?|packages?)\b|\brunning\s+late\b|\bbehind\s+schedule\b/, 'shipment_delayed'],
  [/丢件|丢失|丢了|遗失|丢包|\blost\b|\bmissing\s+(?:parcels?|packages?|shipments?|orders?)\b|\bgone\s+missing\b/, 'lost'],
  [/破损|损坏|摔坏|坏了|压坏|\bdamaged\b|\bbroken\b|\bdamage\b/, 'damaged'],
  [/异常|有问题|出问题|问题订单|问题单|\bproblems?\b|\bproblematic\b|\bexceptions?\b|\bissues?\b|\bstuck\b|\btrouble\b|\bwent\s+wrong\b/, 'any'],
];

/** Ticket types, read only where the question is about tickets (工单, tickets, 售后). */
export const TICKET_TYPE_WORDS: readonly (readonly [RegExp, string])[] = [
  [/换货|\bexchanges?\b/, 'exchange'],
  [/退货|\breturns?\b/, 'return'],
  [/退款|\brefunds?\b/, 'refund'],
  [/投诉|\bcomplaints?\b/, 'complaint'],
  [/改地址|修改地址|地址变更|\baddress\s+changes?\b/, 'address_change'],
  [/取消|\bcancel(?:lation)?s?\b/, 'cancel'],
];

export const CHANNEL_WORDS: readonly (readonly [RegExp, string])[] = [
  [/企业微信|企微|\bwecom\b|\bwework\b/, 'wecom'],
  [/微信|公众号|小程序|\bwechat\b|\bweixin\b/, 'wechat'],
  [/网页|网站|官网|网页版|在线客服|\bweb\s*chat\b|\bwebsite\b|\bweb\b|\bsite\b|\bonline\s+chat\b|\blive\s+chat\b/, 'web'],
  [/邮件|邮箱|电邮|\be-?mails?\b|\bmail\b/, 'email'],
  [/\bslack\b/, 'slack'],
  [/\bteams\b/, 'teams'],
  [/电话|热线|\bphone\b|\bcalls?\b/, 'phone'],
  [/\bapi\b|\brest\b/, 'rest'],
];

export const SEGMENT_WORDS: readonly (readonly [RegExp, string])[] = [
  [/重要价值|高价值|核心客户|\bchampions?\b|\btop\s+customers\b|\bvip\s+customers\b/, 'champions'],
  [/重要挽留|不能流失|\bcan'?t\s+lose\b|\bcannot\s+lose\b/, 'cannot_lose'],
  [/流失风险|有流失风险|\bat[\s-]+risk\b/, 'at_risk'],
  [/即将沉睡|快沉睡|\babout\s+to\s+sleep\b/, 'about_to_sleep'],
  [/需关注|需要关注|\bneed(?:s)?\s+attention\b/, 'need_attention'],
  [/潜力客户|潜力|\bpotential\s+loyalists?\b/, 'potential_loyalist'],
  [/有望客户|\bpromising\b/, 'promising'],
  [/忠诚客户|忠实客户|老铁|\bloyal\b/, 'loyal'],
];

export const CATEGORY_WORDS: readonly (readonly [RegExp, string])[] = [
  [/礼品卡|礼物卡|购物卡|储值卡|\bgift\s*cards?\b|\bvouchers?\b/, 'gift_card'],
  [/个护|个人护理|洗护|\bpersonal\s+care\b|\btoiletries\b/, 'personal_care'],
  [/服装|衣服|服饰|女装|男装|衣物|\bclothing\b|\bclothes\b|\bapparel\b|\bfashion\b|\bgarments?\b/, 'clothing'],
  [/鞋子|鞋类|鞋|\bshoes\b|\bfootwear\b/, 'shoes'],
  [/电子产品|电子|数码|3c|\belectronics?\b|\bgadgets?\b|\btech\b/, 'electronics'],
  [/家居|家居用品|家用|居家|厨具|\bhome(?:\s+goods|ware|wares)?\b|\bhousehold\b|\bkitchen\b/, 'home'],
  [/美妆|化妆品|护肤品|护肤|彩妆|\bbeauty\b|\bcosmetics\b|\bmakeup\b|\bskin\s*care\b/, 'beauty'],
  [/食品|零食|吃的|食物|\bfood\b|\bsnacks?\b|\bgrocer(?:y|ies)\b/, 'food'],
  [/运动|体育|健身|\bsports?\b|\bsporting\s+goods\b|\bfitness\b|\bsportswear\b/, 'sports'],
  [/母婴|婴儿|宝宝|婴童|\bbaby\b|\bbabies\b|\binfants?\b/, 'baby'],
  [/图书|书籍|书|\bbooks?\b/, 'books'],
];

const ZH_PRODUCT_MODIFIER = '(?:无线|降噪|蓝牙|纯棉|轻薄|修身|针织|真丝|连帽|碎花|羊毛|冰丝|透气|真皮|居家|户外|儿童|智能|机械|便携|记忆棉|不粘|电热|陶瓷|空气|玻尿酸|氨基酸|哑光|电动|无硅油|可调节|速干|登山|运动|婴儿|宝宝|男士|女士|男款|女款)?';
const ZH_PRODUCT_HEAD = [
  '羽绒服', 't恤', '牛仔裤', '开衫', '衬衫', '卫衣', '连衣裙', '裙子', '围巾', '外套', '西裤', '裤子', '跑步鞋', '跑鞋', '运动鞋',
  '板鞋', '小白鞋', '乐福鞋', '拖鞋', '登山靴', '靴子', '帆布鞋', '耳机', '充电宝', '移动电源', '充电器', '手表', '键盘', '鼠标',
  '音箱', '数据线', '保护壳', '手机壳', '阅读器', '枕头', '四件套', '炒锅', '保温杯', '水杯', '蜡烛', '收纳箱', '热水壶', '水壶',
  '餐具', '加湿器', '精华', '洗面奶', '防晒霜', '口红', '面膜', '眼霜', '香水', '坚果', '茶叶', '龙井', '普洱', '咖啡', '大米',
  '月饼', '巧克力', '螺蛳粉', '牙刷', '刷头', '洗发水', '沐浴露', '剃须刀', '护手霜', '瑜伽垫', '哑铃', '跳绳', '羽毛球拍', '球拍',
  '双肩包', '背包', '纸尿裤', '尿不湿', '湿巾', '连体衣', '推车', '婴儿车', '奶瓶', '积木', '三体', '绘本',
].sort((a, b) => b.length - a.length);
const EN_PRODUCT_MODIFIER = '(?:(?:wireless|noise[\\s-]cancell?ing|bluetooth|cotton|crew[\\s-]neck|slim[\\s-]fit|lightweight|knit|silk|hooded|floral|summer|wool|winter|uv[\\s-]protection|casual|classic|white|black|leather|house|outdoor|hiking|kids|running|canvas|smart|mechanical|portable|memory[\\s-]foam|non[\\s-]stick|insulated|scented|electric|ceramic|matte|sheet|facial|green|drip|dark|yoga|adjustable|quick[\\s-]dry|sports?|jump|badminton|baby|feeding|building|down|power|phone|body|hand|eye|gift)\\s+)*';
const EN_PRODUCT_HEAD = [
  'running shoes', 'hiking boots', 'canvas shoes', 'house slippers', 'down jackets?', 't-?shirts?', 'tees?', 'jeans', 'cardigans?', 'blouses?',
  'hoodies?', 'sweatshirts?', 'dress(?:es)?', 'scarf|scarves', 'jackets?', 'trousers', 'pants', 'sneakers', 'loafers', 'slippers',
  'boots', 'trainers', 'headphones', 'earbuds', 'earphones', 'power\\s*banks?', 'chargers?', 'smart\\s*watch(?:es)?', 'watch(?:es)?',
  'keyboards?', 'mice', 'mouse', 'speakers?', 'usb-?c cables?', 'cables?', 'cases?', 'e-?readers?', 'kindles?', 'pillows?', 'bedding(?: sets?)?',
  'woks?', 'bottles?', 'thermos', 'candles?', 'storage box(?:es)?', 'kettles?', 'dinnerware', 'humidifiers?', 'serums?', 'cleansers?',
  'sunscreens?', 'lipsticks?', 'masks?', 'creams?', 'perfumes?', 'nuts', 'tea', 'coffee', 'rice', 'mooncakes?', 'chocolates?', 'noodles',
  'toothbrush(?:es)?', 'brush heads', 'shampoos?', 'wash', 'shavers?', 'razors?', 'mats?', 'dumbbells?', 'ropes?', 'rackets?',
  'backpacks?', 'diapers?', 'nappies', 'wipes', 'rompers?', 'strollers?', 'prams?', 'blocks', 'lego',
].sort((a, b) => b.length - a.length);
export const PRODUCT_RE = new RegExp(`${ZH_PRODUCT_MODIFIER}(?:${ZH_PRODUCT_HEAD.join('|')})|\\b${EN_PRODUCT_MODIFIER}(?:${EN_PRODUCT_HEAD.join('|')})\\b`);

const ZH_PROVINCES = [
  '黑龙江', '内蒙古', '北京', '天津', '上海', '重庆', '河北', '山西', '辽宁', '吉林', '江苏', '浙江', '安徽', '福建', '江西', '山东',
  '河南', '湖北', '湖南', '广东', '海南', '四川', '贵州', '云南', '陕西', '甘肃', '青海', '台湾', '广西', '西藏', '宁夏', '新疆', '香港', '澳门',
];
const ZH_CITIES = [
  '乌鲁木齐', '呼和浩特', '石家庄', '哈尔滨', '广州', '深圳', '杭州', '南京', '苏州', '成都', '武汉', '西安', '长沙', '郑州', '济南', '青岛',
  '厦门', '福州', '沈阳', '大连', '合肥', '昆明', '长春', '南昌', '南宁', '贵阳', '太原', '兰州', '海口', '银川', '西宁', '拉萨', '宁波',
  '东莞', '佛山', '无锡', '温州', '珠海', '三亚', '常州', '徐州', '烟台', '泉州', '绍兴', '嘉兴', '金华', '台州', '中山', '惠州',
];
const EN_REGIONS = [
  'new south wales', 'british columbia', 'united states', 'united kingdom', 'san francisco', 'los angeles', 'new york', 'new jersey',
  'north carolina', 'south carolina', 'north dakota', 'south dakota', 'west virginia', 'new mexico', 'new hampshire', 'rhode island',
  'hong kong', 'alabama', 'alaska', 'arizona', 'arkansas', 'california', 'colorado', 'connecticut', 'delaware', 'florida', 'georgia',
  'hawaii', 'idaho', 'illinois', 'indiana', 'iowa', 'kansas', 'kentucky', 'louisiana', 'maine', 'maryland', 'massachusetts', 'michigan',
  'minnesota', 'mississippi', 'missouri', 'montana', 'nebraska', 'nevada', 'ohio', 'oklahoma', 'oregon', 'pennsylvania', 'tennessee',
  'texas', 'utah', 'vermont', 'virginia', 'washington', 'wisconsin', 'wyoming', 'england', 'scotland', 'wales', 'northern ireland',
  'ireland', 'canada', 'ontario', 'quebec', 'alberta', 'australia', 'victoria', 'queensland', 'singapore', 'malaysia', 'japan',
  'germany', 'france', 'china', 'taiwan', 'usa', 'uk', 'seattle', 'austin', 'london', 'manchester', 'edinburgh', 'toronto',
  'vancouver', 'sydney', 'melbourne', 'chicago', 'boston', 'shanghai', 'beijing', 'shenzhen', 'guangzhou',
].sort((a, b) => b.length - a.length);
export const REGION_RE = new RegExp(
  `(?:${ZH_PROVINCES.join('|')})(?:壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)?|(?:${ZH_CITIES.join('|')})(?:市)?|\\b(?:${EN_REGIONS.join('|').replace(/ /g, '\\s+')})\\b`,
);
