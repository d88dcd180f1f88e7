import { clipText, count, formatValue, money, percent, textTable } from './ask-format.js';
import { CATEGORY_LABELS, CHANNEL_LABELS, labelOf, SEGMENT_LABELS, TICKET_TYPE_LABELS, type Lang } from './ask-labels.js';
import type { MetricResult, MetricRow } from './ask-result.js';
import type { RenderContext } from './ask-renderer.js';
import { fill, HEAD } from './ask-texts.js';

/** Breakdowns and rankings as compact text tables. */
const MAX_ROWS = 31;
const KEY_HEADER: Record<string, { zh: string; en: string }> = {
  day: { zh: '日期', en: 'date' }, week: { zh: '周', en: 'week' }, month: { zh: '月份', en: 'month' }, product: { zh: '商品', en: 'product' },
  category: { zh: '品类', en: 'category' }, region: { zh: '地区', en: 'region' }, segment: { zh: '分群', en: 'segment' }, channel: { zh: '渠道', en: 'channel' },
  type: { zh: '类型', en: 'type' },
};

/** A row's key for people: a date, a week, a product name, a category, a segment… */
export function rowLabel(r: MetricResult, row: MetricRow, lang: Lang, currentYear: number): string {
  const key = row.key;
  if (row.name) return clipText(row.name[lang], 26);
  switch (r.groupBy) {
    case 'day': return key && key.startsWith(String(currentYear)) ? key.slice(5) : String(key);
    case 'week': return key ? `${key.startsWith(String(currentYear)) ? key.slice(5) : key}${lang === 'zh' ? ' 周' : ' wk'}` : '';
    case 'category': return labelOf(CATEGORY_LABELS, key, lang);
    case 'segment': return key === null ? (lang === 'zh' ? '未评分' : 'not scored') : labelOf(SEGMENT_LABELS, key, lang);
    case 'channel': return labelOf(CHANNEL_LABELS, key, lang);
    case 'region': return key ?? (lang === 'zh' ? '未知' : 'unknown');
    default: break;
  }
  if (r.metric === 'open_tickets') return labelOf(TICKET_TYPE_LABELS, key, lang);
  if (r.metric === 'new_vs_returning') return key === 'new' ? (lang === 'zh' ? '新客户' : 'new') : lang === 'zh' ? '老客户' : 'returning';
  return key ?? (lang === 'zh' ? '未知' : 'unknown');
}

type Column = { zh: string; en: string; cell: (row: MetricRow) => string };

function columns(r: MetricResult): Column[] {
  const m = (c: number | undefined) => money(c ?? 0, r.currency);
  const v = (row: MetricRow) => formatValue(row.value, r.rowUnit ?? r.unit, r.currency);
  const n = (key: string) => (row: MetricRow) => count(row.values?.[key] ?? 0);
  switch (r.metric) {
    case 'revenue': return [{ zh: '销售额', en: 'revenue', cell: v }, { zh: '订单', en: 'orders', cell: n('orders') }];
    case 'orders': return [{ zh: '订单', en: 'orders', cell: v }, { zh: '销售额', en: 'revenue', cell: (row) => m(row.values?.netCents) }];
    case 'aov': return [{ zh: '客单价', en: 'AOV', cell: v }, { zh: '订单', en: 'orders', cell: n('orders') }];
    case 'refund_rate': return [{ zh: '退款率', en: 'refund rate', cell: v }, { zh: '退款', en: 'refunds', cell: (row) => m(row.values?.refundedCents) }];
    case 'refund_amount': return [{ zh: '退款', en: 'refunds', cell: v }, { zh: '订单', en: 'orders', cell: n('orders') }];
    case 'top_products': return [{ zh: '销售额', en: 'revenue', cell: v }, { zh: '件数', en: 'units', cell: n('units') }, { zh: '订单', en: 'orders', cell: n('orders') }];
    case 'top_returned_products': return [{ zh: '退货申请', en: 'requests', cell: v }, { zh: '件数', en: 'units', cell: n('units') }, { zh: '金额', en: 'value', cell: (row) => m(row.values?.valueCents) }];
    case 'new_customers': return [{ zh: '新客户', en: 'new', cell: v }];
    case 'new_vs_returning': return [{ zh: '客户', en: 'customers', cell: v }, { zh: '销售额', en: 'revenue', cell: (row) => m(row.values?.revenueCents) }];
    case 'open_tickets': return [{ zh: '工单', en: 'tickets', cell: v }];
    case 'sla_breaches': return [{ zh: '超时', en: 'breaches', cell: v }, { zh: '工单', en: 'tickets', cell: n('tickets') }];
    case 'csat': return [{ zh: '满意度', en: 'CSAT', cell: v }, { zh: '评价', en: 'ratings', cell: n('responses') }];
    case 'automation_rate': return [{ zh: '解决率', en: 'automated', cell: v }, { zh: '会话', en: 'conversations', cell: n('conversations') }];
    case 'conversations': return [{ zh: '会话', en: 'conversations', cell: v }, { zh: '机器人解决', en: 'by bot', cell: (row) => `${count(row.values?.automated ?? 0)} (${percent(row.values?.conversations ? (row.values.automated ?? 0) / row.values.conversations : 0, 0)})` }];
    default: return [{ zh: '数量', en: 'count', cell: v }];
  }
}

export function renderRows(r: MetricResult, ctx: RenderContext): string {
  const lang = ctx.reading.lang;
  const rows = r.rows ?? [];
  const ranked = r.metric === 'top_products' || r.metric === 'top_returned_products';
  const cols = columns(r);
  const keyHeader = ranked ? (lang === 'zh' ? '商品' : 'product') : KEY_HEADER[r.groupBy ?? (r.metric === 'open_tickets' ? 'type' : '')]?.[lang] ?? '';
  const shown = rows.slice(0, MAX_ROWS);
  const body = shown.map((row, i) => [`${ranked ? `${i + 1}. ` : ''}${rowLabel(r, row, lang, ctx.currentYear)}`, ...cols.map((c) => c.cell(row))]);
  const table = textTable([keyHeader, ...cols.map((c) => c[lang])], body);
  return rows.length > MAX_ROWS ? `${table}\n${fill(HEAD.more[lang], { n: rows.length - MAX_ROWS })}` : table;
}
