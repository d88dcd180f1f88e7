import type { Db } from '../../db/database-client.js';
import { assertRange, DAY_MS, type DateRange } from './date-ranges.js';
import { allOf, bucketIndexSql, inRange, raw, sql, timeBuckets, type FigureFilters, type Sql, type TimeUnit } from './ask-sql.js';
import { instantSql, num, ratio } from './sql-support.js';

/** Ticket statuses that still need work. */
export const OPEN_TICKET_STATUSES = ['open', 'in_progress', 'waiting_customer'] as const;
const OPEN_IN = raw(`(${OPEN_TICKET_STATUSES.map((s) => `'${s}'`).join(', ')})`);
/** A bot resolution reopened within this long does not count as automated. */
export const AUTOMATION_REOPEN_WINDOW_MS = 7 * DAY_MS;

type Raw = Record<string, unknown>;
export type ServiceGroup = TimeUnit | 'channel';

export interface OpenTickets {
  open: number;
  /** Of them, past their SLA due time now. */
  overdue: number;
  byType: { key: string; tickets: number }[];
}

/** Tickets not yet resolved, closed or cancelled, now (a snapshot). */
export async function openTickets(db: Db, opts: { now: Date; filters?: FigureFilters }): Promise<OpenTickets> {
  const where = allOf([sql`t."status" IN ${OPEN_IN}`, ...(opts.filters?.ticketType ? [sql`t."type" = ${opts.filters.ticketType}`] : [])]);
  const rows = await db.$queryRaw<Raw[]>(sql`
    SELECT t."type" AS "k", COUNT(*) AS "n", SUM(CASE WHEN t."slaDueAt" < ${raw(instantSql(opts.now))} THEN 1 ELSE 0 END) AS "overdue"
      FROM "Ticket" t WHERE ${where} GROUP BY 1`);
  const byType = rows.map((r) => ({ key: String(r.k), tickets: num(r.n) })).sort((a, b) => b.tickets - a.tickets || a.key.localeCompare(b.key));
  return { open: byType.reduce((s, r) => s + r.tickets, 0), overdue: rows.reduce((s, r) => s + num(r.overdue), 0), byType };
}

export interface SlaBreaches {
  /** Tickets opened in the range. */
  tickets: number;
  /** …not resolved by their SLA due time (still open ones count once it has passed). */
  breaches: number;
  rate: number;
  rows?: { key: string; tickets: number; breaches: number }[];
}

export async function slaBreaches(db: Db, range: DateRange, opts: { now: Date; filters?: FigureFilters; groupBy?: TimeUnit | null; timeZone: string }): Promise<SlaBreaches> {
  assertRange(range);
  const now = raw(instantSql(opts.now));
  const breached = sql`CASE WHEN (t."resolvedAt" IS NULL AND t."slaDueAt" < ${now}) OR t."resolvedAt" > t."slaDueAt" THEN 1 ELSE 0 END`;
  const where = allOf([inRange('t."createdAt"', range), ...(opts.filters?.ticketType ? [sql`t."type" = ${opts.filters.ticketType}`] : [])]);
  const buckets = opts.groupBy ? timeBuckets(range, opts.groupBy, opts.timeZone) : [];
  const key = opts.groupBy ? bucketIndexSql('t."createdAt"', buckets) : raw('0');
  const rows = await db.$queryRaw<Raw[]>(sql`SELECT ${key} AS "k", COUNT(*) AS "n", SUM(${breached}) AS "b" FROM "Ticket" t WHERE ${where} GROUP BY 1`);
  const tickets = rows.reduce((s, r) => s + num(r.n), 0);
  const breaches = rows.reduce((s, r) => s + num(r.b), 0);
  const out: SlaBreaches = { tickets, breaches, rate: ratio(breaches, tickets) };
  if (opts.groupBy) {
    const byIndex = new Map(rows.map((r) => [num(r.k), r]));
    out.rows = buckets.map((b, i) => ({ key: b.key, tickets: num(byIndex.get(i)?.n), breaches: num(byIndex.get(i)?.b) }));
  }
  return out;
}

export interface Csat {
  responses: number;
  /** Mean score, 1–5 (0 without responses). */
  average: number;
  /** Scores of 4 or 5. */
  satisfied: number;
  /** satisfied / responses: the CSAT figure. */
  rate: number;
  rows?: { key: string | null; responses: number; average: number; rate: number }[];
}

/** Satisfaction scores given in the range (Feedback.createdAt), optionally by channel or time. */
export async function csat(db: Db, range: DateRange, opts: { filters?: FigureFilters; groupBy?: ServiceGroup | null; timeZone: string }): Promise<Csat> {
  assertRange(range);
  const f = opts.filters ?? {};
  const needsConversation = Boolean(f.channel) || opts.groupBy === 'channel';
  const from = needsConversation ? raw('"Feedback" fb LEFT JOIN "Conversation" cv ON cv."id" = fb."conversationId"') : raw('"Feedback" fb');
  const where = allOf([inRange('fb."createdAt"', range), ...(f.channel ? [sql`cv."channel" = ${f.channel}`] : [])]);
  const { key, buckets } = groupKey(opts.groupBy ?? null, 'fb."createdAt"', 'cv."channel"', range, opts.timeZone);
  const rows = await db.$queryRaw<Raw[]>(sql`
    SELECT ${key} AS "k", COUNT(*) AS "n", SUM(fb."score") AS "sum", SUM(CASE WHEN fb."score" >= 4 THEN 1 ELSE 0 END) AS "sat"
      FROM ${from} WHERE ${where} GROUP BY 1`);
  const responses = rows.reduce((s, r) => s + num(r.n), 0);
  const satisfied = rows.reduce((s, r) => s + num(r.sat), 0);
  const out: Csat = { responses, average: ratio(rows.reduce((s, r) => s + num(r.sum), 0), responses), satisfied, rate: ratio(satisfied, responses) };
  if (opts.groupBy) {
    out.rows = keyedRows(rows, buckets).map(({ key: k, r }) => ({ key: k, responses: num(r?.n), average: ratio(num(r?.sum), num(r?.n)), rate: ratio(num(r?.sat), num(r?.n)) }));
  }
  return out;
}

export interface ConversationFigures {
  /** Conversations started in the range. */
  conversations: number;
  /** Resolved by the bot, no person involved, not reopened within 7 days. */
  automated: number;
  automationRate: number;
  /** A person took part (claimed or transferred). */
  withHuman: number;
  /** Currently resolved (by anyone). */
  resolved: number;
  rows?: { key: string | null; conversations: number; automated: number; withHuman: number; automationRate: number }[];
}

/**
 * Conversations started in the range, and how many the bot handled alone: resolved by the bot
 * with no person involved and not reopened within 7 days of a resolution. Reopens are rare, so
 * the 7-day check runs in JS over the few candidates that have any.
 */
export async function conversationFigures(db: Db, range: DateRange, opts: { filters?: FigureFilters; groupBy?: ServiceGroup | null; timeZone: string }): Promise<ConversationFigures> {
  assertRange(range);
  const f = opts.filters ?? {};
  const where = allOf([inRange('cv."createdAt"', range), ...(f.channel ? [sql`cv."channel" = ${f.channel}`] : [])]);
  const candidate = sql`cv."status" = 'resolved' AND cv."resolvedBy" = 'bot' AND cv."humanInvolved" = FALSE`;
  const reopened = sql`EXISTS (SELECT 1 FROM "ConversationEvent" re WHERE re."conversationId" = cv."id" AND re."type" = 'reopen')`;
  const { key, buckets } = groupKey(opts.groupBy ?? null, 'cv."createdAt"', 'cv."channel"', range, opts.timeZone);
  const [rows, reopenedCandidates] = await Promise.all([
    db.$queryRaw<Raw[]>(sql`
      SELECT ${key} AS "k", COUNT(*) AS "n", SUM(CASE WHEN ${candidate} AND NOT ${reopened} THEN 1 ELSE 0 END) AS "auto",
             SUM(CASE WHEN cv."humanInvolved" = TRUE THEN 1 ELSE 0 END) AS "human", SUM(CASE WHEN cv."status" = 'resolved' THEN 1 ELSE 0 END) AS "resolved"
        FROM "Conversation" cv WHERE ${where} GROUP BY 1`),
    db.$queryRaw<Raw[]>(sql`SELECT cv."id" AS "id", ${key} AS "k" FROM "Conversation" cv WHERE ${where} AND ${candidate} AND ${reopened}`),
  ]);
  const lateReopens = await automatedDespiteReopen(db, reopenedCandidates.map((r) => num(r.id)));
  const extra = new Map<string, number>();
  for (const r of reopenedCandidates) if (lateReopens.has(num(r.id))) extra.set(String(r.k), (extra.get(String(r.k)) ?? 0) + 1);
  const conversations = rows.reduce((s, r) => s + num(r.n), 0);
  const automated = rows.reduce((s, r) => s + num(r.auto), 0) + lateReopens.size;
  const out: ConversationFigures = {
    conversations, automated, automationRate: ratio(automated, conversations),
    withHuman: rows.reduce((s, r) => s + num(r.human), 0), resolved: rows.reduce((s, r) => s + num(r.resolved), 0),
  };
  if (opts.groupBy) {
    out.rows = keyedRows(rows, buckets).map(({ key: k, r }) => {
      const auto = num(r?.auto) + (extra.get(String(r?.k)) ?? 0);
      return { key: k, conversations: num(r?.n), automated: auto, withHuman: num(r?.human), automationRate: ratio(auto, num(r?.n)) };
    });
  }
  return out;
}

/** Of bot-resolved conversations that were reopened at some time, those whose every reopen came 7+ days after a resolution. */
async function automatedDespiteReopen(db: Db, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const events = await db.conversationEvent.findMany({ where: { conversationId: { in: ids }, type: { in: ['resolve', 'reopen'] } }, orderBy: [{ conversationId: 'asc' }, { at: 'asc' }, { id: 'asc' }], select: { conversationId: true, type: true, at: true } });
  const quick = new Set<number>();
  const lastResolve = new Map<number, number>();
  for (const e of events) {
    if (e.type === 'resolve') lastResolve.set(e.conversationId, e.at.getTime());
    else if (e.at.getTime() - (lastResolve.get(e.conversationId) ?? -Infinity) < AUTOMATION_REOPEN_WINDOW_MS) quick.add(e.conversationId);
  }
  return new Set(ids.filter((id) => !quick.has(id)));
}

function groupKey(groupBy: ServiceGroup | null, timeColumn: string, channelColumn: string, range: DateRange, timeZone: string): { key: Sql; buckets?: { key: string }[] } {
  if (!groupBy) return { key: raw("'all'") };
  if (groupBy === 'channel') return { key: raw(channelColumn) };
  const buckets = timeBuckets(range, groupBy, timeZone);
  return { key: bucketIndexSql(timeColumn, buckets), buckets };
}

/** Rows in bucket order (every bucket present) for time groups; by key for channels. */
function keyedRows(rows: Raw[], buckets?: { key: string }[]): { key: string | null; r: Raw | undefined }[] {
  if (!buckets) return rows.map((r) => ({ key: r.k === null ? null : String(r.k), r })).sort((a, b) => num(b.r?.n) - num(a.r?.n));
  const byIndex = new Map(rows.map((r) => [num(r.k), r]));
  return buckets.map((b, i) => ({ key: b.key, r: byIndex.get(i) }));
}
