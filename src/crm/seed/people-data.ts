/** Name and place lists for realistic demo customers (common, not real people). */

/** Common surnames, most frequent first; sampling weight falls with rank. */
export const ZH_SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];

export const ZH_GIVEN = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '霞', '平', '刚',
  '秀英', '桂英', '建华', '志强', '海燕', '晓东', '丽娟', '建国', '红梅', '文静', '浩然', '宇轩', '子涵', '欣怡', '一诺',
  '雨桐', '思涵', '俊杰', '子轩', '梓萱', '诗涵', '梓涵', '佳怡', '博文', '晨曦', '嘉怡', '天佑', '若曦', '思远', '婉清',
  '国庆', '春梅', '立新', '晓燕', '鹏飞', '雪梅', '志明', '海波', '晓婷', '佳琪', '梦瑶', '俊熙', '浩宇', '雅琴', '文博',
];

/** [province, city, weight]: big coastal cities order more. */
export const ZH_PLACES: readonly [string, string, number][] = [
  ['上海市', '上海', 12], ['北京市', '北京', 11], ['广东省', '广州', 8], ['广东省', '深圳', 9], ['浙江省', '杭州', 7],
  ['江苏省', '南京', 5], ['江苏省', '苏州', 5], ['四川省', '成都', 6], ['湖北省', '武汉', 5], ['重庆市', '重庆', 5],
  ['天津市', '天津', 3], ['陕西省', '西安', 4], ['湖南省', '长沙', 4], ['河南省', '郑州', 3], ['山东省', '济南', 2],
  ['山东省', '青岛', 3], ['福建省', '厦门', 3], ['福建省', '福州', 2], ['辽宁省', '沈阳', 2], ['辽宁省', '大连', 2],
  ['安徽省', '合肥', 3], ['云南省', '昆明', 2], ['黑龙江省', '哈尔滨', 2], ['吉林省', '长春', 1], ['江西省', '南昌', 2],
  ['广西壮族自治区', '南宁', 2], ['贵州省', '贵阳', 1], ['山西省', '太原', 1], ['河北省', '石家庄', 2], ['内蒙古自治区', '呼和浩特', 1],
  ['新疆维吾尔自治区', '乌鲁木齐', 1], ['甘肃省', '兰州', 1], ['海南省', '海口', 1], ['宁夏回族自治区', '银川', 1], ['青海省', '西宁', 0.5],
  ['西藏自治区', '拉萨', 0.3], ['浙江省', '宁波', 3], ['广东省', '东莞', 3], ['广东省', '佛山', 3], ['江苏省', '无锡', 2],
];

export const ZH_DISTRICTS = ['朝阳区', '海淀区', '浦东新区', '徐汇区', '天河区', '南山区', '西湖区', '武侯区', '江汉区', '鼓楼区', '高新区', '开发区', '滨江区', '思明区'];
export const ZH_ROADS = ['人民路', '建设路', '中山路', '解放路', '长江路', '和平路', '科技园路', '文化路', '新华路', '延安路', '花园路', '湖滨路'];

export const EN_FIRST = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Daniel', 'Karen', 'Matthew', 'Emily', 'Oliver', 'Amelia',
  'Jack', 'Olivia', 'Harry', 'Isla', 'Noah', 'Emma', 'Liam', 'Charlotte', 'Lucas', 'Sophia', 'Ethan', 'Chloe', 'Wei', 'Mei',
  'Kevin', 'Grace', 'Ryan', 'Hannah', 'Nathan', 'Zoe', 'Samuel', 'Lily', 'Benjamin', 'Ava', 'Henry', 'Ella',
];
export const EN_LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Anderson', 'Thomas',
  'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young', 'King', 'Wright',
  'Evans', 'Roberts', 'Green', 'Baker', 'Turner', 'Campbell', 'Stewart', 'Tan', 'Lim', 'Chen', 'Wong', 'Lee', 'Nguyen', 'Patel', 'Kelly',
];

/** [country, region, city, phone prefix, weight]. Phone numbers use the ranges reserved for fiction. */
export const EN_PLACES: readonly [string, string, string, string, number][] = [
  ['United States', 'California', 'San Francisco', '+1415555', 4], ['United States', 'California', 'Los Angeles', '+1310555', 3],
  ['United States', 'New York', 'New York', '+1212555', 4], ['United States', 'Washington', 'Seattle', '+1206555', 2],
  ['United States', 'Texas', 'Austin', '+1512555', 1], ['United Kingdom', 'England', 'London', '+447700900', 4],
  ['United Kingdom', 'England', 'Manchester', '+447700900', 1], ['United Kingdom', 'Scotland', 'Edinburgh', '+447700900', 1],
  ['Canada', 'Ontario', 'Toronto', '+1416555', 2], ['Canada', 'British Columbia', 'Vancouver', '+1604555', 2],
  ['Australia', 'New South Wales', 'Sydney', '+6149157', 2], ['Australia', 'Victoria', 'Melbourne', '+6149157', 2],
  ['Singapore', 'Singapore', 'Singapore', '+658', 3],
];
export const EN_STREETS = ['Market St', 'Main St', 'Oak Ave', 'Maple Rd', 'High St', 'King St', 'Queen St', 'Church Rd', 'Park Ave', 'Orchard Rd', 'George St', 'Bay St'];

export const TAGS = ['student', 'mom', 'gift_buyer', 'wholesale', 'influencer', 'price_sensitive', 'early_adopter', 'newsletter', 'night_owl', 'big_spender'];
export const CONSENT_SOURCES = ['checkout', 'signup_form', 'wechat_follow', 'customer_service', 'campaign_landing'];
