import { describe, expect, it } from 'vitest';
import { lifecycleStage } from './lifecycle-stage.js';

const now = new Date('2025-06-30T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe('lifecycleStage', () => {
  it('calls a customer without sale orders a lead', () => {
    expect(lifecycleStage({ saleOrders: 0, firstOrderAt: null, lastOrderAt: null, now })).toBe('lead');
  });
  it.each([
    [1, 10, 10, 'new'],
    [1, 90, 90, 'new'],
    [2, 200, 5, 'active'],
    [2, 30, 3, 'active'],
    [1, 90.01, 90.01, 'at_risk'],
    [3, 400, 180, 'at_risk'],
    [3, 400, 180.5, 'dormant'],
    [1, 365, 365, 'dormant'],
    [5, 900, 365.5, 'churned'],
  ] as const)('with %i sale orders, first %s and last %s days ago, is %s', (saleOrders, first, last, stage) => {
    expect(lifecycleStage({ saleOrders, firstOrderAt: daysAgo(first), lastOrderAt: daysAgo(last), now })).toBe(stage);
  });
  it('treats an order stamped slightly in the future as recent', () => {
    expect(lifecycleStage({ saleOrders: 1, firstOrderAt: daysAgo(-1), lastOrderAt: daysAgo(-1), now })).toBe('new');
  });
});
