/**
 * The read-only figures and lookups the managers' assistant asks for (issue 9), bound to one
 * database handle; `createCrm` exposes them as `crm.analytics`. Nothing here writes.
 */
import type { Db } from '../../db/database-client.js';
import type { FigureFilters, TimeUnit } from './ask-sql.js';
import { buyerFigures, customerCount } from './customer-figures.js';
import { dormantCustomers } from './customer-metrics.js';
import type { DateRange } from './date-ranges.js';
import { findCustomers, firstRecordAt, listOrders, orderTimeline, recentConversations, type CustomerRef, type OrderListQuery } from './lookup-queries.js';
import { topReturnedProducts } from './return-figures.js';
import { salesFigures, type SalesQuery } from './sales-figures.js';
import { conversationFigures, csat, openTickets, slaBreaches, type ServiceGroup } from './service-figures.js';
import { refreshSummaries, summaryState } from './sales-summary.js';

export type { FigureFilters, TimeUnit, TimeBucket } from './ask-sql.js';
export { timeBuckets, mondayOf } from './ask-sql.js';
export type { SalesFigures, SalesGroup, SalesQuery, SalesRow } from './sales-figures.js';
export type { ReturnedProduct } from './return-figures.js';
export type { BuyerFigures, CustomerCount } from './customer-figures.js';
export type { OpenTickets, SlaBreaches, Csat, ConversationFigures, ServiceGroup } from './service-figures.js';
export { OPEN_TICKET_STATUSES, AUTOMATION_REOPEN_WINDOW_MS } from './service-figures.js';
export type { CustomerMatch, CustomerRef, OrderTimeline, OrderListQuery } from './lookup-queries.js';
export type { DormantCustomers, DormantCustomer } from './customer-metrics.js';
export { dayRange, daysOf, localDateString, type DateRange } from './date-ranges.js';

export function createAnalyticsFacade(db: Db) {
  return {
    sales: (q: SalesQuery) => salesFigures(db, q),
    returnedProducts: (range: DateRange, opts?: { filters?: FigureFilters; limit?: number }) => topReturnedProducts(db, range, opts),
    buyers: (range: DateRange, opts: { filters?: FigureFilters; groupBy?: TimeUnit | null; timeZone: string }) => buyerFigures(db, range, opts),
    customerCount: (opts?: { filters?: FigureFilters; groupBy?: 'region' | 'segment' | null }) => customerCount(db, opts),
    dormantCustomers: (opts: { asOf: Date; days: number; sampleSize?: number }) => dormantCustomers(db, opts),
    openTickets: (opts: { now: Date; filters?: FigureFilters }) => openTickets(db, opts),
    slaBreaches: (range: DateRange, opts: { now: Date; filters?: FigureFilters; groupBy?: TimeUnit | null; timeZone: string }) => slaBreaches(db, range, opts),
    csat: (range: DateRange, opts: { filters?: FigureFilters; groupBy?: ServiceGroup | null; timeZone: string }) => csat(db, range, opts),
    conversations: (range: DateRange, opts: { filters?: FigureFilters; groupBy?: ServiceGroup | null; timeZone: string }) => conversationFigures(db, range, opts),
    findCustomers: (ref: CustomerRef) => findCustomers(db, ref),
    recentConversations: (customerId: number, limit?: number) => recentConversations(db, customerId, limit),
    orderTimeline: (orderNumber: string) => orderTimeline(db, orderNumber),
    listOrders: (q: OrderListQuery) => listOrders(db, q),
    firstRecordAt: (kind: 'orders' | 'tickets' | 'feedback' | 'conversations') => firstRecordAt(db, kind),
    /** Brings the day and customer summaries up to date (the scheduler calls it; changes since are recomputed live by queries). */
    refreshSummaries: (opts: { timeZone: string; now?: Date; full?: boolean }) => refreshSummaries(db, opts),
    summaryState: () => summaryState(db),
  };
}

export type AnalyticsFacade = ReturnType<typeof createAnalyticsFacade>;
