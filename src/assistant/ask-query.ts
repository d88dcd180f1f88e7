import { z } from 'zod';

/**
 * The typed query a staff question becomes (issue 9). The parser produces it, the executor runs
 * it through the CRM facade (read-only: nothing turns text into SQL), the renderer answers it.
 * The field names are a public contract: `shopdesk ask --json` prints them and the project's own
 * evaluation reads them.
 */
export const METRICS = [
  'revenue', 'orders', 'aov', 'top_products', 'top_returned_products', 'new_customers', 'new_vs_returning',
  'repurchase_rate', 'refund_rate', 'refund_amount', 'open_tickets', 'sla_breaches', 'csat', 'automation_rate',
  'conversations', 'customers', 'dormant_customers',
] as const;
export type Metric = (typeof METRICS)[number];

/** Figures that describe "now" and take no date range (from/to are null). */
export const SNAPSHOT_METRICS: readonly Metric[] = ['open_tickets', 'customers', 'dormant_customers'];

export const GROUP_BYS = ['day', 'week', 'month', 'product', 'category', 'region', 'segment', 'channel'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export const COMPARES = ['previous_period', 'previous_year'] as const;
export type Compare = (typeof COMPARES)[number];

export const LOOKUPS = ['customer', 'customer_orders', 'customer_tickets', 'order', 'order_timeline', 'orders'] as const;
export type Lookup = (typeof LOOKUPS)[number];

/** YYYY-MM-DD in the shop's time zone, inclusive. */
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * Filters, all optional: `status` (order status), `region`, `exception` (an order exception kind,
 * or `any`), `ticketType` (return|refund|exchange|…), `channel`, `segment`, `category`, `product`.
 */
export const askFiltersSchema = z.object({
  status: z.string().optional(),
  region: z.string().optional(),
  exception: z.string().optional(),
  ticketType: z.string().optional(),
  channel: z.string().optional(),
  segment: z.string().optional(),
  category: z.string().optional(),
  product: z.string().optional(),
}).strict();
export type AskFilters = z.infer<typeof askFiltersSchema>;

export const metricQuerySchema = z.object({
  kind: z.literal('metric'),
  metric: z.enum(METRICS),
  from: localDate.nullable(),
  to: localDate.nullable(),
  groupBy: z.enum(GROUP_BYS).nullable(),
  compare: z.enum(COMPARES).nullable(),
  limit: z.number().int().positive().max(100).nullable(),
  filters: askFiltersSchema,
});
export type MetricQuery = z.infer<typeof metricQuerySchema>;

export const customerRefSchema = z.object({ name: z.string().min(1) }).or(z.object({ phone: z.string().min(1) })).or(z.object({ email: z.string().min(1) }));
export type CustomerRef = z.infer<typeof customerRefSchema>;

export const lookupQuerySchema = z.object({
  kind: z.literal('lookup'),
  lookup: z.enum(LOOKUPS),
  /** Who, for customer* lookups (an order number alone names its customer too). */
  customer: customerRefSchema.nullable(),
  /** The order number, for order / order_timeline (and customer lookups by order). */
  order: z.string().nullable(),
  /** For `orders`: the range of order dates (null = all time). */
  from: localDate.nullable(),
  to: localDate.nullable(),
  filters: askFiltersSchema,
});
export type LookupQuery = z.infer<typeof lookupQuerySchema>;

export const UNSUPPORTED_REASONS = ['not_understood', 'write_request', 'empty', 'ambiguous'] as const;
export const unsupportedQuerySchema = z.object({
  kind: z.literal('unsupported'),
  reason: z.enum(UNSUPPORTED_REASONS),
  /** For `ambiguous`: the 2–3 readings to offer, each a complete query. */
  choices: z.array(z.union([metricQuerySchema, lookupQuerySchema])).max(3).optional(),
});
export type UnsupportedQuery = z.infer<typeof unsupportedQuerySchema>;

export const askQuerySchema = z.discriminatedUnion('kind', [metricQuerySchema, lookupQuerySchema, unsupportedQuerySchema]);
export type AskQuery = z.infer<typeof askQuerySchema>;

/** What `shopdesk ask --json` prints (and the staff REST endpoint answers). */
export interface AskAnswer {
  understood: boolean;
  query: AskQuery;
  /** The answer as text, first echoing how the question was read. */
  text: string;
  /** The figures behind the text (numbers, rows), for scripts. */
  result: unknown;
  /** A PNG chart for trends and breakdowns, where the channel shows images. */
  chart?: { png: Buffer; title: string };
}
