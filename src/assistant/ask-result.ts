import type { Compare, GroupBy, Lookup, Metric } from './ask-query.js';
import type { Span } from './ask-dates.js';

/**
 * What the executor found for a query: plain JSON (dates as ISO strings, money in minor units),
 * printed as `result` by `shopdesk ask --json` and rendered to text by ask-renderer.ts.
 */
export type Unit = 'money' | 'count' | 'percent' | 'score';

export interface MetricRow {
  /** Bucket key: a date (day/week start), YYYY-MM, SKU, category, region, segment, channel; null = not recorded. */
  key: string | null;
  /** Display names where the key is a code (products). */
  name?: { zh: string; en: string };
  value: number;
  /** Secondary columns (e.g. orders, units, gross). */
  values?: Record<string, number>;
}

export interface MetricComparison {
  kind: Compare;
  span: Span;
  value: number;
  /** value now − value then (same unit). */
  change: number;
  /** change / then; null when the earlier value is 0. */
  relative: number | null;
}

export type NoteCode =
  | 'clipped_to_today' | 'snapshot_no_range' | 'compare_not_for_snapshot' | 'compare_not_for_list'
  | 'group_not_supported' | 'channel_not_on_orders' | 'filter_ignored' | 'range_limited' | 'provisional_7_days';

export interface MetricResult {
  type: 'metric';
  metric: Metric;
  /** The local dates the figure covers (clipped to today); null for snapshots. */
  span: Span | null;
  unit: Unit;
  currency: string;
  /** The headline figure: minor units for money, 0–1 for percent, 1–5 for a score. */
  value: number;
  /** Figures shown beside it (gross and refunded beside revenue, counts behind a rate…). */
  figures: Record<string, number>;
  compare?: MetricComparison;
  groupBy?: GroupBy;
  rows?: MetricRow[];
  /** Unit of the rows' value when it differs from the headline (top lists, new vs returning). */
  rowUnit?: Unit;
  /** Nothing of the metric's kind was recorded in the span. */
  empty: boolean;
  /** When empty: the first local date anything of its kind was recorded, or null if never. */
  firstRecord?: string | null;
  notes: { code: NoteCode; detail?: string }[];
  /** Dormant customers: the most recently lapsed. */
  sample?: { customerId: number; name: string; lastOrderAt: string; orders: number; netCents: number }[];
}

export interface CustomerSummary {
  id: number;
  name: string;
  phone: string | null;
  email: string | null;
  region: string | null;
  city: string | null;
  orders: number;
  lastOrderAt: string | null;
}

export interface OrderLine {
  orderNumber: string;
  status: string;
  totalCents: number;
  currency: string;
  placedAt: string;
  customer?: { id: number; name: string };
  exceptions?: { type: string; at: string }[];
}

export interface TicketLine {
  number: string;
  type: string;
  status: string;
  priority: string;
  subject: string;
  order: string | null;
  createdAt: string;
  slaDueAt: string;
}

export interface ConversationLine {
  id: number;
  channel: string;
  status: string;
  mode: string;
  messages: number;
  lastActivityAt: string;
}

export interface OrderDetail {
  orderNumber: string;
  status: string;
  currency: string;
  totalCents: number;
  refundedCents: number;
  placedAt: string;
  customer: { id: number; name: string; phone: string | null; email: string | null };
  ship: { name: string | null; phone: string | null; region: string | null; city: string | null; carrier: string | null; trackingNumber: string | null };
  items: { sku: string; name: string; quantity: number; totalCents: number }[];
  events: { type: string; isException: boolean; detail: string | null; at: string }[];
  tickets: { number: string; type: string; status: string; createdAt: string }[];
}

export interface LookupResult {
  type: 'lookup';
  lookup: Lookup;
  status: 'found' | 'not_found' | 'ambiguous';
  /** What was looked for, as the question gave it (for "no customer named …"). */
  ref?: { kind: 'name' | 'phone' | 'email' | 'order'; value: string };
  /** ambiguous: the candidates to choose from. */
  matches?: CustomerSummary[];
  customer?: CustomerSummary & { segment: string | null; lifecycleStage: string };
  orders?: OrderLine[];
  tickets?: TicketLine[];
  conversations?: ConversationLine[];
  order?: OrderDetail;
  /** orders: the range and how many matched (the list holds the newest). */
  span?: Span | null;
  total?: number;
}

export type NoticeKind = 'future' | 'not_understood' | 'write_request' | 'empty' | 'ambiguous' | 'not_allowed' | 'bad_filter' | 'missing_reference';

export interface NoticeResult {
  type: 'notice';
  notice: NoticeKind;
  /** future: the span asked for; bad_filter: which filter and value. */
  span?: Span;
  detail?: string;
}

export type AskResult = MetricResult | LookupResult | NoticeResult;
