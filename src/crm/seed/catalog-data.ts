/**
 * The demo shop's catalogue: fixed (not random) so persona orders and docs can name SKUs.
 * Prices are in yuan here and stored as fen; `pop` is a relative popularity weight for order sampling.
 */
export interface CatalogEntry { sku: string; nameZh: string; nameEn: string; category: string; price: number; pop: number }

type Row = [sku: string, nameZh: string, nameEn: string, price: number, pop: number];

const CATEGORIES: Record<string, Row[]> = {
  clothing: [
    ['CLO-1001', '纯棉圆领T恤 白色', 'Cotton Crew-neck T-shirt, White', 79, 10],
    ['CLO-1002', '修身牛仔裤 深蓝', 'Slim-fit Jeans, Dark Blue', 199, 8],
    ['CLO-1003', '轻薄羽绒服', 'Lightweight Down Jacket', 499, 6],
    ['CLO-1004', '针织开衫', 'Knit Cardigan', 259, 5],
    ['CLO-1005', '真丝衬衫', 'Silk Blouse', 389, 3],
    ['CLO-1006', '连帽卫衣 灰色', 'Hooded Sweatshirt, Grey', 169, 8],
    ['CLO-1007', '碎花连衣裙', 'Floral Summer Dress', 229, 6],
    ['CLO-1008', '羊毛围巾', 'Wool Scarf', 129, 4],
    ['CLO-1009', '防晒冰丝外套', 'UV-protection Jacket', 149, 5],
    ['CLO-1010', '商务休闲西裤', 'Business Casual Trousers', 279, 3],
  ],
  shoes: [
    ['SHO-2001', '透气跑步鞋', 'Breathable Running Shoes', 399, 7],
    ['SHO-2002', '小白板鞋', 'Classic White Sneakers', 259, 8],
    ['SHO-2003', '真皮乐福鞋', 'Leather Loafers', 459, 3],
    ['SHO-2004', '居家棉拖鞋', 'Cotton House Slippers', 39, 6],
    ['SHO-2005', '户外登山靴', 'Outdoor Hiking Boots', 599, 2],
    ['SHO-2006', '儿童魔术贴运动鞋', 'Kids Velcro Trainers', 189, 4],
    ['SHO-2007', '帆布鞋', 'Canvas Shoes', 129, 5],
  ],
  electronics: [
    ['ELE-3001', '无线降噪耳机', 'Wireless Noise-cancelling Headphones', 899, 5],
    ['ELE-3002', '蓝牙耳机 半入耳式', 'Bluetooth Earbuds', 199, 9],
    ['ELE-3003', '20000mAh 充电宝', '20000mAh Power Bank', 149, 8],
    ['ELE-3004', '65W 氮化镓充电器', '65W GaN Charger', 129, 7],
    ['ELE-3005', '智能手表', 'Smart Watch', 1299, 3],
    ['ELE-3006', '机械键盘', 'Mechanical Keyboard', 459, 3],
    ['ELE-3007', '无线鼠标', 'Wireless Mouse', 89, 6],
    ['ELE-3008', '便携蓝牙音箱', 'Portable Bluetooth Speaker', 299, 4],
    ['ELE-3009', 'Type-C 数据线 2米', 'USB-C Cable 2 m', 29, 10],
    ['ELE-3010', '平板电脑保护壳', 'Tablet Protective Case', 69, 4],
    ['ELE-3011', '电子阅读器', 'E-reader', 998, 2],
  ],
  home: [
    ['HOM-4001', '记忆棉枕头', 'Memory Foam Pillow', 159, 6],
    ['HOM-4002', '纯棉四件套', 'Cotton Bedding Set (4 pcs)', 399, 4],
    ['HOM-4003', '不粘炒锅 32cm', 'Non-stick Wok 32 cm', 229, 5],
    ['HOM-4004', '保温杯 500ml', 'Insulated Bottle 500 ml', 99, 9],
    ['HOM-4005', '香薰蜡烛', 'Scented Candle', 69, 5],
    ['HOM-4006', '收纳箱三件套', 'Storage Box Set (3 pcs)', 89, 5],
    ['HOM-4007', '电热水壶', 'Electric Kettle', 139, 5],
    ['HOM-4008', '陶瓷餐具套装', 'Ceramic Dinnerware Set', 259, 3],
    ['HOM-4009', '空气加湿器', 'Air Humidifier', 199, 4],
  ],
  beauty: [
    ['BEA-5001', '玻尿酸保湿精华', 'Hyaluronic Acid Serum', 269, 7],
    ['BEA-5002', '氨基酸洗面奶', 'Amino Acid Facial Cleanser', 89, 9],
    ['BEA-5003', '防晒霜 SPF50+', 'Sunscreen SPF50+', 139, 8],
    ['BEA-5004', '哑光口红', 'Matte Lipstick', 199, 6],
    ['BEA-5005', '面膜 10片装', 'Sheet Masks (10 pcs)', 99, 8],
    ['BEA-5006', '眼霜', 'Eye Cream', 329, 4],
    ['BEA-5007', '香水 50ml', 'Eau de Parfum 50 ml', 599, 3],
  ],
  food: [
    ['FOO-6001', '每日坚果 30包', 'Daily Mixed Nuts (30 packs)', 129, 9],
    ['FOO-6002', '西湖龙井茶 250g', 'Longjing Green Tea 250 g', 268, 4],
    ['FOO-6003', '挂耳咖啡 20包', 'Drip Coffee Bags (20)', 79, 7],
    ['FOO-6004', '五常大米 5kg', 'Wuchang Rice 5 kg', 89, 6],
    ['FOO-6005', '广式月饼礼盒', 'Cantonese Mooncake Gift Box', 198, 2],
    ['FOO-6006', '云南普洱茶饼', 'Yunnan Pu-erh Tea Cake', 158, 3],
    ['FOO-6007', '黑巧克力 85%', 'Dark Chocolate 85%', 49, 6],
    ['FOO-6008', '螺蛳粉 5袋装', 'Luosifen Rice Noodles (5 bags)', 59, 7],
  ],
  personal_care: [
    ['PER-7001', '电动牙刷', 'Electric Toothbrush', 299, 5],
    ['PER-7002', '替换刷头 4支', 'Replacement Brush Heads (4)', 99, 5],
    ['PER-7003', '无硅油洗发水', 'Silicone-free Shampoo', 69, 8],
    ['PER-7004', '沐浴露 1L', 'Body Wash 1 L', 49, 7],
    ['PER-7005', '剃须刀', 'Electric Shaver', 399, 3],
    ['PER-7006', '护手霜套装', 'Hand Cream Set', 59, 5],
  ],
  gift_card: [
    ['GIF-8001', '礼品卡 ¥100', 'Gift Card ¥100', 100, 3],
    ['GIF-8002', '礼品卡 ¥200', 'Gift Card ¥200', 200, 2],
    ['GIF-8003', '礼品卡 ¥500', 'Gift Card ¥500', 500, 1],
  ],
  sports: [
    ['SPO-9001', '瑜伽垫 6mm', 'Yoga Mat 6 mm', 119, 6],
    ['SPO-9002', '可调节哑铃 10kg', 'Adjustable Dumbbells 10 kg', 299, 3],
    ['SPO-9003', '速干运动T恤', 'Quick-dry Sports T-shirt', 99, 6],
    ['SPO-9004', '跳绳', 'Jump Rope', 35, 6],
    ['SPO-9005', '羽毛球拍', 'Badminton Racket', 259, 3],
    ['SPO-9006', '运动水壶 750ml', 'Sports Bottle 750 ml', 59, 5],
    ['SPO-9007', '登山双肩包 30L', 'Hiking Backpack 30 L', 329, 3],
  ],
  baby: [
    ['BAB-1101', '婴儿纸尿裤 L码 54片', 'Baby Diapers L (54)', 139, 7],
    ['BAB-1102', '婴儿湿巾 80抽×6包', 'Baby Wipes 80×6', 59, 7],
    ['BAB-1103', '宝宝连体衣', 'Baby Romper', 89, 4],
    ['BAB-1104', '婴儿推车', 'Baby Stroller', 1299, 1],
    ['BAB-1105', '奶瓶 240ml', 'Feeding Bottle 240 ml', 119, 4],
    ['BAB-1106', '儿童积木 100块', 'Building Blocks (100 pcs)', 149, 4],
  ],
  books: [
    ['BOO-1201', '《三体》全集', 'The Three-Body Problem Trilogy', 93, 5],
    ['BOO-1202', '《活着》余华', 'To Live (Yu Hua)', 35, 5],
    ['BOO-1203', 'TypeScript 编程', 'Programming TypeScript', 89, 3],
    ['BOO-1204', '儿童绘本套装 10册', "Children's Picture Books (10)", 158, 4],
    ['BOO-1205', '英语词汇手册', 'English Vocabulary Handbook', 45, 4],
    ['BOO-1206', '中华料理食谱', 'Chinese Home Cooking Recipes', 68, 3],
  ],
};

export const CATALOG: readonly CatalogEntry[] = Object.entries(CATEGORIES).flatMap(([category, rows]) =>
  rows.map(([sku, nameZh, nameEn, price, pop]) => ({ sku, nameZh, nameEn, category, price, pop })),
);

/** Categories the shop does not take back (matches the NON_RETURNABLE_CATEGORIES default). */
export const NON_RETURNABLE: readonly string[] = ['food', 'personal_care', 'gift_card'];
