import { isoDay, type Day, type DayRange } from './ask-calendar.js';
import {
  CATEGORY_WORDS, CHANNEL_WORDS, EXCEPTION_WORDS, PRODUCT_RE, REGION_RE, SEGMENT_WORDS, STATUS_WORDS, TICKET_TYPE_WORDS,
} from './ask-filter-lexicon.js';
import { extractEntities, findName, lookupKind } from './ask-lookup-parser.js';
import {
  ALL_TIME, TOTAL_WORDS, COUNT_WORDS, findLimit, firstMatch, GROUP_BY_WORDS, LIST_WORDS, METRIC_WORDS, ORDER_NOUN, PRODUCT_WORDS, REFUND_ALONE, TICKET_NOUN,
  type Found,
} from './ask-metric-lexicon.js';
import { normaliseQuestion, TypoFixer } from './ask-normaliser.js';
import {
  SNAPSHOT_METRICS, type AskFilters, type AskQuery, type Compare, type CustomerRef, type GroupBy, type LookupQuery, type Metric,
  type MetricQuery, type UnsupportedQuery,
} from './ask-query.js';
import { isEmptyQuestion, isWriteRequest, looksLikeCode } from './ask-request-guard.js';
import { compareLabel, parseTime, periodLabel, timeContext } from './ask-time-parser.js';
import { currentPeriod, type TimeContext } from './ask-time-rules.js';
import { COMMON_WORDS, KEYWORDS, NEAR_MISS_WORDS, SHORTHAND } from './ask-vocabulary.js';

/** How the question was read, for the answer to echo first ("本周(12/1–12/3) 销售额…"). */
export interface ReadingEcho {
  lang: 'zh' | 'en';
  /** The period as read, e.g. "本周(12/1–12/3)" / "last week (Nov 24–30)"; null when there is none. */
  periodLabel: string | null;
  /** The comparison as read, e.g. "环比(11/24–11/30)"; null when there is none. */
  compareLabel: string | null;
}

export interface ParseOptions { now: Date; timeZone: string }

const HAN = /[\u3400-\u9FFF\uF900-\uFAFF]/;
const REFUND_NOUN = /退款|\brefunds\b/;
const RANKING = /top|最好|最多|最高|排名|排行|前\d|\bbest\b|\bbiggest\b|\bhighest\b|\brank/;

let typoFixer: TypoFixer | undefined;
let nameStopWords: Set<string> | undefined;
function typos(): TypoFixer {
  return (typoFixer ??= new TypoFixer(new Set(KEYWORDS), new Set([...COMMON_WORDS, ...NEAR_MISS_WORDS]), SHORTHAND));
}
function stopWords(): Set<string> {
  return (nameStopWords ??= new Set([...KEYWORDS, ...COMMON_WORDS, 'the', 'a', 'an', 'and', 'or', 'of', 'for', 'in', 'on', 'at', 'by', 'to', 'is', 'are', 'was', 'me', 'us', 'we', 'my', 'all', 'any', 'who', 'did', 'do', 'placed', 'bought', 'buy', 'ordered',
    'how', 'many', 'get', 'got', 'our', 'so', 'new', 'big', 'small', 'online', 'offline', 'open', 'recent', 'latest', 'old', 'today', 'yesterday', 'hi', 'hey']));
}

/**
 * Reads a staff question (Chinese or English, traditional, full-width, typos) as the typed query
 * of ask-query.ts. Pure and fast: precompiled rules, no I/O. Time words follow the conventions in
 * ask-time-parser.ts; a metric asked with no time at all covers this month (snapshot figures and
 * all-time questions have no range, and so does a count or list of orders by status or exception).
 */
export function parseQuestion(text: string, opts: ParseOptions): { query: AskQuery; reading: ReadingEcho } {
  const lang: 'zh' | 'en' = HAN.test(text.slice(0, 2000)) ? 'zh' : 'en';
  const reading: ReadingEcho = { lang, periodLabel: null, compareLabel: null };
  const unsupported = (reason: UnsupportedQuery['reason'], choices?: (MetricQuery | LookupQuery)[]): { query: AskQuery; reading: ReadingEcho } =>
    ({ query: choices ? { kind: 'unsupported', reason, choices } : { kind: 'unsupported', reason }, reading });

  const n = normaliseQuestion(text, typos());
  if (isEmptyQuestion(n.text)) return unsupported('empty');
  if (isWriteRequest(n.text)) return unsupported('write_request');
  if (looksLikeCode(n.text)) return unsupported('not_understood');

  const c = timeContext(opts.now, opts.timeZone);
  const entities = extractEntities(n.text, n.cased);
  let t = blank(n.text, entities.spans);
  const time = parseTime(t, c);
  t = blank(t, time.spans);
  const allTime = ALL_TIME.exec(t) ?? (time.period ? null : TOTAL_WORDS.exec(t));
  if (allTime) t = blank(t, [[allTime.index, allTime.index + allTime[0].length]]);

  const metricHit = firstMatch(t, METRIC_WORDS);
  const groupHit = firstMatch(t, GROUP_BY_WORDS);
  const limitHit = findLimit(t);
  const ticketContext = TICKET_NOUN.test(t) || metricHit?.value === 'open_tickets' || metricHit?.value === 'sla_breaches';
  const { filters, spans: filterSpans } = readFilters(t, n.cased, ticketContext);

  const range = (from: Day | null, to: Day | null): { from: string | null; to: string | null } =>
    ({ from: from === null ? null : isoDay(from), to: to === null ? null : isoDay(to) });
  const echoPeriod = (p: (DayRange & { zh: string | null; en: string | null }) | null, compare: Compare | null): void => {
    reading.periodLabel = p ? periodLabel(p, lang, c.today) : null;
    reading.compareLabel = p && compare ? compareLabel(p, compare, lang, c.today) : null;
  };

  // one customer or one order
  // a name is looked for only where no figure other than orders was asked ("customer satisfaction score")
  const nameAllowed = !entities.email && !entities.phone && (!metricHit || metricHit.value === 'orders' || metricHit.value === 'customers' || metricHit.value === 'conversations');
  const name = nameAllowed ? findName(blank(t, filterSpans), n.cased, stopWords()) : undefined;
  const who: CustomerRef | null = entities.email ? { email: entities.email } : entities.phone ? { phone: entities.phone } : name ? { name: name.name } : null;
  if (who || entities.order) {
    const lookup = lookupKind(t, who, entities.order);
    const p = lookup === 'customer_orders' || lookup === 'customer_tickets' ? time.period : null;
    echoPeriod(p, null);
    // 张三未发货的订单: a customer's orders keep the status or exception asked about
    const lookupFilters = lookup === 'customer_orders' ? pick(filters, ['status', 'exception']) : lookup === 'customer_tickets' ? pick(filters, ['ticketType']) : {};
    return { query: { kind: 'lookup', lookup, customer: who, order: entities.order ?? null, ...range(p?.from ?? null, p?.to ?? null), filters: lookupFilters }, reading };
  }

  let metric: Metric | undefined = metricHit?.value;
  const orderFilter = filters.status !== undefined || filters.exception !== undefined;
  if (!metric && ticketContext && COUNT_WORDS.test(t)) metric = 'open_tickets';
  // a list of orders by status or exception ("上周的异常订单", "lost parcels last month")
  if (orderFilter && (metric === undefined || metric === 'orders') && !COUNT_WORDS.test(t)
    && (ORDER_NOUN.test(t) || LIST_WORDS.test(t) || filters.exception !== undefined)) {
    const p = time.period;
    echoPeriod(p, null);
    return { query: { kind: 'lookup', lookup: 'orders', customer: null, order: null, ...range(p?.from ?? null, p?.to ?? null), filters: pick(filters, ['status', 'exception', 'region', 'product', 'category']) }, reading };
  }
  if (!metric && orderFilter) metric = 'orders';
  // "今年top3品类", "best regions": a ranking of a breakdown is by revenue
  if (!metric && groupHit && groupHit.value !== 'day' && groupHit.value !== 'week' && groupHit.value !== 'month' && (limitHit || RANKING.test(t))) metric = 'revenue';
  const refundAlone = !metric && REFUND_ALONE.test(t.replace(/\s+/g, ''));
  // "refunds by product", "how many refunds": the money refunded, or a count of refunded orders
  if (!metric && REFUND_NOUN.test(t)) {
    if (COUNT_WORDS.test(t) && !/\bhow\s+much\b/.test(t)) {
      metric = 'orders';
      filters.status = 'refunded';
    } else metric = 'refund_amount';
  }
  if (!metric) return unsupported('not_understood');

  // "哪个省卖得最好" ranks regions by revenue, not products
  if (metric === 'top_products' && groupHit && groupHit.value !== 'product' && !PRODUCT_WORDS.test(blank(t, [[groupHit.start, groupHit.end]]))) metric = 'revenue';
  let p: (DayRange & { zh: string | null; en: string | null }) | null = time.period;
  if (SNAPSHOT_METRICS.includes(metric) || allTime) p = null;
  else if (!p && !(metric === 'orders' && orderFilter)) p = currentPeriod(time.compareUnit ?? 'month', c);
  const compare = p ? time.compare : null;
  const groupBy: GroupBy | null = groupHit && !(groupHit.value === 'product' && (metric === 'top_products' || metric === 'top_returned_products')) ? groupHit.value : null;
  const query: MetricQuery = {
    kind: 'metric', metric, ...range(p?.from ?? null, p?.to ?? null), groupBy, compare, limit: limitHit?.value ?? null,
    filters: metricFilters(metric, filters),
  };
  echoPeriod(p, compare);
  // "退款" / "refunds" alone: the amount or the rate
  if (refundAlone && !time.period) return unsupported('ambiguous', [query, { ...query, metric: 'refund_rate' }]);
  return { query, reading };
}

function blank(text: string, spans: readonly [number, number][]): string {
  if (spans.length === 0) return text;
  const chars = text.split('');
  for (const [s, e] of spans) for (let i = Math.max(0, s); i < Math.min(e, chars.length); i++) chars[i] = ' ';
  return chars.join('');
}

function readFilters(t: string, cased: string, ticketContext: boolean): { filters: AskFilters; spans: [number, number][] } {
  const filters: AskFilters = {};
  const spans: [number, number][] = [];
  const put = <K extends keyof AskFilters>(key: K, hit: Found<string> | undefined): void => {
    if (!hit) return;
    filters[key] = hit.value;
    spans.push([hit.start, hit.end]);
  };
  if (ticketContext) put('ticketType', firstMatch(t, TICKET_TYPE_WORDS));
  else put('status', firstMatch(t, STATUS_WORDS));
  put('exception', firstMatch(t, EXCEPTION_WORDS));
  put('segment', firstMatch(t, SEGMENT_WORDS));
  put('channel', firstMatch(t, CHANNEL_WORDS));
  let rest = blank(t, spans);
  const product = PRODUCT_RE.exec(rest);
  if (product) {
    filters.product = cased.slice(product.index, product.index + product[0].length);
    spans.push([product.index, product.index + product[0].length]);
    rest = blank(rest, [spans[spans.length - 1]]);
  }
  put('category', firstMatch(rest, CATEGORY_WORDS));
  const region = REGION_RE.exec(rest);
  if (region) {
    filters.region = cased.slice(region.index, region.index + region[0].length);
    spans.push([region.index, region.index + region[0].length]);
  }
  return { filters, spans };
}

function pick(filters: AskFilters, keys: (keyof AskFilters)[]): AskFilters {
  const out: AskFilters = {};
  for (const k of keys) if (filters[k] !== undefined) out[k] = filters[k];
  return out;
}

/** The filters that mean something for a metric (a ticket type does not filter revenue). */
function metricFilters(metric: Metric, f: AskFilters): AskFilters {
  if (metric === 'open_tickets' || metric === 'sla_breaches') return pick(f, ['ticketType', 'channel', 'region', 'segment']);
  if (metric === 'conversations' || metric === 'automation_rate' || metric === 'csat') return pick(f, ['channel', 'region', 'segment']);
  if (metric === 'customers' || metric === 'dormant_customers' || metric === 'new_customers') return pick(f, ['region', 'segment', 'channel']);
  return pick(f, ['status', 'exception', 'region', 'category', 'product', 'segment', 'channel']);
}

export type { TimeContext };
