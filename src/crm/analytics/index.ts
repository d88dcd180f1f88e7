/** Shop analytics: every ranged metric takes half-open [from, to) instants; convert periods with the range helpers. */
export {
  dayRange, daysOf, localDateString, periodRange, PERIODS,
  type DateRange, type DayBucket, type Period,
} from './date-ranges.js';
export {
  averageOrderValue, orderCount, refundRate, revenue, revenueByDay,
  type AverageOrderValue, type DayRevenue, type MetricOptions, type OrderCount, type RefundRate, type Revenue,
} from './sales-metrics.js';
export { topProducts, type TopProduct, type TopProductsOptions } from './product-metrics.js';
export {
  customersByRegion, customersBySegment, dormantCustomers, newVsReturningCustomers, repurchaseRate,
  type DormantCustomer, type DormantCustomers, type NewVsReturning, type RegionFigures, type RepurchaseRate, type SegmentCount,
} from './customer-metrics.js';
