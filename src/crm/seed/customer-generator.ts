import type { ConsentChannel, LifecycleStage } from '../crm-constants.js';
import { CONSENT_SOURCES, EN_FIRST, EN_LAST, EN_PLACES, EN_STREETS, TAGS, ZH_DISTRICTS, ZH_GIVEN, ZH_PLACES, ZH_ROADS, ZH_SURNAMES } from './people-data.js';
import { rngFor, type Rng } from './seeded-random.js';
import { DAY_MS } from './shop-time.js';

export interface GeneratedCustomer {
  name: string;
  phone: string | null;
  email: string | null;
  locale: 'zh-CN' | 'en';
  region: string;
  city: string;
  birthday: Date | null;
  createdAt: Date;
  lifecycleStage: LifecycleStage;
  notes: string | null;
  wechatOpenId: string | null;
  tags: string[];
  consents: { channel: ConsentChannel; status: 'opt_in' | 'opt_out'; source: string; at: Date }[];
  /** Street part of the shipping address (city and region are separate columns). */
  address: string;
}

/** What the order planner decided about a customer before its profile is drawn. */
export interface CustomerPlan { createdAt: Date; firstOrderAt?: Date; lastOrderAt?: Date; orderCount: number }

const STREAM_CUSTOMER = 1;
const ZH_SURNAME_WEIGHTS = ZH_SURNAMES.map((_, i) => 1 / (i + 3));
const CN_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '157', '158', '159', '166', '176', '177', '178', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199'];
const EN_AREA: Record<string, string> = {
  'San Francisco': '+1415', 'Los Angeles': '+1310', 'New York': '+1212', Seattle: '+1206', Austin: '+1512',
  London: '+447', Manchester: '+447', Edinburgh: '+447', Toronto: '+1416', Vancouver: '+1604', Sydney: '+614', Melbourne: '+614', Singapore: '+659',
};
const PHONE_DIGITS: Record<string, number> = { '+1': 7, '+447': 9, '+614': 8, '+659': 7 };

/** A number unique to the index (a bijection on [0, 10^width)), so phones and e-mails never collide. */
function uniqueSuffix(index: number, width: number): string {
  const mod = 10 ** width;
  return String((index * 48271 + 12345) % mod).padStart(width, '0');
}

export function generateCustomer(seed: number, index: number, plan: CustomerPlan, now: Date, reservedPhones: ReadonlySet<string>): GeneratedCustomer {
  const rng = rngFor(seed, STREAM_CUSTOMER, index);
  const en = rng.chance(0.3);
  const base = en ? englishPerson(rng, index, reservedPhones) : chinesePerson(rng, index, reservedPhones);
  const age = rng.int(18, 62);
  const birthday = rng.chance(0.7) ? new Date(Date.UTC(now.getUTCFullYear() - age, rng.int(0, 11), rng.int(1, 28))) : null;
  const wechatOpenId = !en && rng.chance(0.45) ? openId(rng) : null;
  const tags = new Set<string>();
  if (plan.orderCount >= 15) tags.add('vip');
  if (rng.chance(0.3)) { tags.add(rng.pick(TAGS)); if (rng.chance(0.3)) tags.add(rng.pick(TAGS)); }
  const consents: GeneratedCustomer['consents'] = [];
  const available: [ConsentChannel, boolean][] = [['email', Boolean(base.email)], ['sms', Boolean(base.phone)], ['wechat', Boolean(wechatOpenId)]];
  for (const [channel, ok] of available) {
    if (!ok || !rng.chance(0.5)) continue;
    const at = new Date(Math.min(now.getTime(), plan.createdAt.getTime() + rng.int(0, 60) * DAY_MS + rng.int(0, 86_399) * 1000));
    consents.push({ channel, status: rng.chance(0.75) ? 'opt_in' : 'opt_out', source: rng.pick(CONSENT_SOURCES), at });
  }
  const notes = rng.chance(0.05) ? rng.pick(en ? ['Prefers morning delivery.', 'Leave parcels with the concierge.', 'Asked for invoices by e-mail.'] : ['偏好顺丰快递', '收货请先电话联系', '需要开具发票', '老客户，注意服务态度']) : null;
  return {
    ...base, locale: en ? 'en' : 'zh-CN', birthday, createdAt: plan.createdAt, lifecycleStage: lifecycle(plan, now),
    notes, wechatOpenId, tags: [...tags], consents,
  };
}

function chinesePerson(rng: Rng, index: number, reserved: ReadonlySet<string>) {
  const name = rng.weighted(ZH_SURNAMES, ZH_SURNAME_WEIGHTS) + rng.pick(ZH_GIVEN);
  const [region, city] = rng.weighted(ZH_PLACES, ZH_PLACES.map((p) => p[2]));
  let phone = rng.pick(CN_PREFIXES) + uniqueSuffix(index, 8);
  if (reserved.has(phone)) phone = `197${phone.slice(3)}`;
  let email: string | null = null;
  if (rng.chance(0.35)) {
    const domain = rng.weighted(['qq.com', '163.com', '126.com', 'sina.com', 'foxmail.com'], [5, 3, 1, 1, 1]);
    email = domain === 'qq.com' ? `${rng.int(1, 9)}${uniqueSuffix(index, 8)}@qq.com` : `${rng.pick(['xiao', 'happy', 'sunny', 'momo', 'lucky', 'tiantian'])}${uniqueSuffix(index, 7)}@${domain}`;
  }
  const address = `${rng.pick(ZH_DISTRICTS)}${rng.pick(ZH_ROADS)}${rng.int(1, 999)}号${rng.int(1, 30)}栋${rng.int(1, 6)}单元${rng.int(1, 32)}0${rng.int(1, 4)}室`;
  return { name, phone, email, region, city, address };
}

function englishPerson(rng: Rng, index: number, reserved: ReadonlySet<string>) {
  const first = rng.pick(EN_FIRST);
  const last = rng.pick(EN_LAST);
  const [country, state, city] = rng.weighted(EN_PLACES, EN_PLACES.map((p) => p[4]));
  const area = EN_AREA[city];
  const width = PHONE_DIGITS[area.startsWith('+1') ? '+1' : area];
  let phone: string | null = rng.chance(0.7) ? area + uniqueSuffix(index, width) : null;
  if (phone && reserved.has(phone)) phone = `+1628${phone.slice(5)}`;
  const domain = rng.weighted(['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'hotmail.co.uk'], [6, 3, 2, 2, 1]);
  const email = `${first}.${last}${index}@${domain}`.toLowerCase();
  const address = `${rng.int(1, 2400)} ${rng.pick(EN_STREETS)}${rng.chance(0.3) ? `, Apt ${rng.int(1, 40)}` : ''}`;
  return { name: `${first} ${last}`, phone, email, region: `${state}, ${country}`, city, address };
}

function openId(rng: Rng): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let s = 'o';
  for (let i = 0; i < 27; i++) s += alphabet[Math.floor(rng.next() * alphabet.length)];
  return s;
}

function lifecycle(plan: CustomerPlan, now: Date): LifecycleStage {
  if (!plan.lastOrderAt || !plan.firstOrderAt) return 'lead';
  const sinceLast = (now.getTime() - plan.lastOrderAt.getTime()) / DAY_MS;
  const sinceFirst = (now.getTime() - plan.firstOrderAt.getTime()) / DAY_MS;
  if (sinceLast > 365) return 'churned';
  if (sinceLast > 180) return 'dormant';
  if (sinceLast > 90) return 'at_risk';
  return sinceFirst <= 30 ? 'new' : 'active';
}

