import { localDateString, type FigureFilters } from '../crm/index.js';
import { EXCEPTION_EVENT_TYPES, ORDER_STATUSES, TICKET_TYPES } from '../crm/crm-constants.js';
import { CHANNELS } from '../shared/message-types.js';
import { comparisonSpan, daysBetween, isLocalDate, type Span } from './ask-dates.js';
import { CATEGORY_LABELS, CHANNEL_LABELS, codeOf, EVENT_LABELS, SEGMENT_LABELS, STATUS_LABELS, TICKET_TYPE_LABELS } from './ask-labels.js';
import { runLookup } from './ask-lookup-runner.js';
import { METRIC_FAMILY, rangeOf, runMetric, SUPPORTED_FILTERS, SUPPORTED_GROUPS, todayOf, type RunContext } from './ask-metric-runner.js';
import { SNAPSHOT_METRICS, type AskFilters, type AskQuery, type MetricQuery } from './ask-query.js';
import type { AskResult, MetricResult, NoticeResult } from './ask-result.js';

/**
 * Runs a typed query, read-only, through the CRM facade (crm.analytics and the lookups) and
 * returns plain JSON figures. Dates are local dates in the shop's zone; a range ending after
 * today is clipped to today, one starting after today is answered "not yet", and a range with
 * nothing recorded says so with the first date the shop has data for.
 */
export interface ExecContext extends RunContext {
  currency: string;
}

/** Longest range a breakdown by time covers (the CRM's bucketing stops at ten years). */
const MAX_BUCKET_DAYS = 3650;

type Normalised = { ok: true; filters: FigureFilters } | { ok: false; notice: NoticeResult };

/** Brings filter values to the CRM's codes (服装 → clothing, 已发货 → shipped); an unknown code is refused, never guessed. */
export function normaliseFilters(f: AskFilters): Normalised {
  const out: FigureFilters = {};
  const bad = (name: string, value: string): Normalised => ({ ok: false, notice: { type: 'notice', notice: 'bad_filter', detail: `${name}=${value.slice(0, 60)}` } });
  if (f.status) {
    const s = (ORDER_STATUSES as readonly string[]).includes(f.status) ? f.status : codeOf(STATUS_LABELS, f.status);
    if (!s || !(ORDER_STATUSES as readonly string[]).includes(s)) return bad('status', f.status);
    out.status = s;
  }
  if (f.exception) {
    const e = f.exception === 'any' ? 'any' : (EXCEPTION_EVENT_TYPES as readonly string[]).includes(f.exception) ? f.exception : codeOf(EVENT_LABELS, f.exception);
    if (!e || (e !== 'any' && !(EXCEPTION_EVENT_TYPES as readonly string[]).includes(e))) return bad('exception', f.exception);
    out.exception = e;
  }
  if (f.ticketType) {
    const t = (TICKET_TYPES as readonly string[]).includes(f.ticketType) ? f.ticketType : codeOf(TICKET_TYPE_LABELS, f.ticketType);
    if (!t) return bad('ticketType', f.ticketType);
    out.ticketType = t;
  }
  if (f.channel) {
    const c = (CHANNELS as readonly string[]).includes(f.channel) ? f.channel : codeOf(CHANNEL_LABELS, f.channel);
    if (!c) return bad('channel', f.channel);
    out.channel = c;
  }
  if (f.segment) {
    const s = codeOf(SEGMENT_LABELS, f.segment);
    if (!s) return bad('segment', f.segment);
    out.segment = s;
  }
  if (f.category) out.category = codeOf(CATEGORY_LABELS, f.category) ?? f.category.trim().toLowerCase();
  // 广东省 / 上海市 / 广西壮族自治区 are stored with their suffix: match on the name before it
  if (f.region) out.region = f.region.trim().replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/u, '') || f.region.trim();
  if (f.product) out.product = f.product.trim().slice(0, 100);
  return { ok: true, filters: out };
}

export async function executeQuery(query: AskQuery, ctx: ExecContext): Promise<AskResult> {
  if (query.kind === 'unsupported') return { type: 'notice', notice: query.reason === 'ambiguous' ? 'ambiguous' : query.reason };
  const normalised = normaliseFilters(query.filters);
  if (!normalised.ok) return normalised.notice;
  if (query.kind === 'lookup') {
    const span = query.from && query.to ? { from: query.from, to: query.to } : null;
    if (span && span.from > todayOf(ctx)) return { type: 'notice', notice: 'future', span };
    return runLookup(query, { ...ctx, filters: normalised.filters, span: span ? clip(span, todayOf(ctx)) : null });
  }
  return runMetricQuery(query, normalised.filters, ctx);
}

function clip(span: Span, today: string): Span {
  return span.to > today ? { from: span.from, to: today } : span;
}

async function runMetricQuery(q: MetricQuery, filters: FigureFilters, ctx: ExecContext): Promise<AskResult> {
  const today = todayOf(ctx);
  const notes: MetricResult['notes'] = [];
  const snapshot = SNAPSHOT_METRICS.includes(q.metric);
  let span: Span | null = null;
  let firstRecord: string | null = null;
  if (snapshot) {
    if (q.from || q.to) notes.push({ code: 'snapshot_no_range' });
  } else {
    const asked = q.from && q.to && isLocalDate(q.from) && isLocalDate(q.to) ? { from: q.from <= q.to ? q.from : q.to, to: q.from <= q.to ? q.to : q.from } : null;
    if (asked && asked.from > today) return { type: 'notice', notice: 'future', span: asked };
    const family = METRIC_FAMILY[q.metric];
    const first = await ctx.crm.analytics.firstRecordAt(family === 'customers' ? 'orders' : family);
    firstRecord = first ? localDateString(first, ctx.timeZone) : null;
    const firstDate = firstRecord ?? today;
    span = asked ? clip(asked, today) : { from: firstDate < today ? firstDate : today, to: today };
    if (asked && asked.to > today) notes.push({ code: 'clipped_to_today' });
    if (asked && asked.to < firstDate) return emptyResult(q, span, firstRecord, ctx, notes);
  }
  let groupBy = q.groupBy;
  if (groupBy === 'channel' && SUPPORTED_GROUPS[q.metric].includes('product')) {
    notes.push({ code: 'channel_not_on_orders' });
    groupBy = null;
  } else if (groupBy && !SUPPORTED_GROUPS[q.metric].includes(groupBy)) {
    notes.push({ code: 'group_not_supported', detail: groupBy });
    groupBy = null;
  }
  if (span && (groupBy === 'day' || groupBy === 'week' || groupBy === 'month') && daysBetween(span.from, span.to) >= MAX_BUCKET_DAYS) {
    span = { from: addYearsBack(span.to), to: span.to };
    notes.push({ code: 'range_limited', detail: span.from });
  }
  const applied: FigureFilters = {};
  for (const [k, v] of Object.entries(filters) as [keyof FigureFilters, string][]) {
    if (SUPPORTED_FILTERS[q.metric].includes(k)) applied[k] = v;
    else notes.push({ code: 'filter_ignored', detail: k });
  }
  const range = span ? rangeOf(span, ctx.timeZone) : null;
  const figures = await runMetric({ metric: q.metric, range, filters: applied, groupBy, limit: q.limit }, ctx);
  const result: MetricResult = {
    type: 'metric', metric: q.metric, span, unit: figures.unit, currency: ctx.currency, value: figures.value, figures: figures.figures,
    ...(figures.rows ? { groupBy: groupBy ?? (q.metric === 'top_products' ? 'product' : undefined), rows: figures.rows, rowUnit: figures.rowUnit ?? figures.unit } : {}),
    empty: figures.empty, notes: [...notes, ...figures.notes], ...(figures.sample ? { sample: figures.sample } : {}),
  };
  if (result.groupBy === undefined) delete result.groupBy;
  if (figures.empty && span) result.firstRecord = firstRecord;
  if (q.compare && span) {
    if (q.metric === 'top_products' || q.metric === 'top_returned_products') result.notes.push({ code: 'compare_not_for_list' });
    else {
      const before = comparisonSpan(span, q.compare);
      const then = await runMetric({ metric: q.metric, range: rangeOf(before, ctx.timeZone), filters: applied, groupBy: null, limit: q.limit }, ctx);
      const change = figures.value - then.value;
      result.compare = { kind: q.compare, span: before, value: then.value, change, relative: then.value === 0 ? null : change / then.value };
    }
  } else if (q.compare && snapshot) {
    result.notes.push({ code: 'compare_not_for_snapshot' });
  }
  return result;
}

function addYearsBack(to: string): string {
  return `${String(Number(to.slice(0, 4)) - 10).padStart(4, '0')}${to.slice(4, 8)}01`;
}

function emptyResult(q: MetricQuery, span: Span, firstRecord: string | null, ctx: ExecContext, notes: MetricResult['notes']): MetricResult {
  const unit = ['aov', 'revenue', 'refund_amount'].includes(q.metric) ? 'money' : ['refund_rate', 'repurchase_rate', 'csat', 'automation_rate'].includes(q.metric) ? 'percent' : 'count';
  return { type: 'metric', metric: q.metric, span, unit, currency: ctx.currency, value: 0, figures: {}, empty: true, firstRecord, notes };
}
