import type { LifecycleStage } from '../crm-constants.js';

const DAY_MS = 86_400_000;

/** A first (and only) order at most this many days old makes a `new` customer. */
export const NEW_CUSTOMER_DAYS = 90;
/** Last order more than this many days ago: `at_risk` (up to and including DORMANT_AFTER_DAYS). */
export const AT_RISK_AFTER_DAYS = 90;
/** …more than this: `dormant` (up to and including CHURNED_AFTER_DAYS). */
export const DORMANT_AFTER_DAYS = 180;
/** …more than this: `churned`. */
export const CHURNED_AFTER_DAYS = 365;

export interface LifecycleInput {
  /** Number of sale orders (see SALE_STATUSES) placed up to `now`. */
  saleOrders: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  now: Date;
}

/**
 * The customer's lifecycle stage, by elapsed time (24-hour days) since the last sale order:
 *
 * | stage    | rule                                                                 |
 * |----------|----------------------------------------------------------------------|
 * | lead     | no sale order                                                        |
 * | new      | exactly one sale order, placed ≤ 90 days ago                         |
 * | active   | last sale order ≤ 90 days ago and ≥ 2 sale orders                    |
 * | at_risk  | last sale order > 90 and ≤ 180 days ago                              |
 * | dormant  | last sale order > 180 and ≤ 365 days ago                             |
 * | churned  | last sale order > 365 days ago                                       |
 */
export function lifecycleStage(input: LifecycleInput): LifecycleStage {
  if (input.saleOrders <= 0 || !input.lastOrderAt) return 'lead';
  const daysSinceLast = (input.now.getTime() - input.lastOrderAt.getTime()) / DAY_MS;
  if (daysSinceLast > CHURNED_AFTER_DAYS) return 'churned';
  if (daysSinceLast > DORMANT_AFTER_DAYS) return 'dormant';
  if (daysSinceLast > AT_RISK_AFTER_DAYS) return 'at_risk';
  if (input.saleOrders >= 2) return 'active';
  const first = input.firstOrderAt ?? input.lastOrderAt;
  return (input.now.getTime() - first.getTime()) / DAY_MS <= NEW_CUSTOMER_DAYS ? 'new' : 'active';
}
