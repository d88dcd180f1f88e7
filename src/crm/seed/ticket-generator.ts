import { SLA_HOURS, type TicketPriority, type TicketStatus, type TicketType } from '../crm-constants.js';
import type { GeneratedOrder } from './order-generator.js';
import type { Rng } from './seeded-random.js';
import { HOUR_MS } from './shop-time.js';

export interface GeneratedTicketEvent { type: string; fromStatus: string | null; toStatus: string | null; actor: string; note: string | null; at: Date }
export interface GeneratedTicket {
  ticket: {
    type: TicketType; status: TicketStatus; priority: TicketPriority; assigneeId: number | null; subject: string; description: string;
    slaDueAt: Date; resolution: string | null; resolvedAt: Date | null; createdAt: Date; updatedAt: Date;
  };
  events: GeneratedTicketEvent[];
}

const TEXT = {
  return: { zh: ['申请退货', '商品不合适，想退货'], en: ['Return request', 'The item does not fit, I would like to return it'] },
  refund: { zh: ['包裹丢失，申请退款', '物流显示包裹丢失，请退款'], en: ['Parcel lost, refund request', 'Tracking says the parcel was lost, please refund'] },
  complaint: { zh: ['物流问题投诉', '快递迟迟不到，请尽快处理'], en: ['Delivery complaint', 'My parcel is late, please look into it'] },
} as const;
const RESOLUTION = { return: '退货已收到，已退款 / Return received and refunded', refund: '已全额退款 / Refunded in full', complaint: '已联系物流并补偿优惠券 / Courier chased, coupon issued' };

/**
 * A ticket for an order that had trouble (~2% of orders), in a state consistent with its age:
 * open → in_progress (assigned) → resolved → closed, each step an event no later than `now`.
 */
export function generateTicket(r: Rng, order: GeneratedOrder, en: boolean, staffIds: readonly number[], now: number): GeneratedTicket | undefined {
  const trouble = order.trouble;
  if (!trouble || trouble.at.getTime() > now) return undefined;
  if (!r.chance(trouble.kind === 'return' ? 0.25 : trouble.kind === 'refund' ? 0.6 : 0.3)) return undefined;
  const createdAt = trouble.at.getTime() + Math.floor(r.next() * 30 * 60_000);
  if (createdAt > now) return undefined;
  const priority: TicketPriority = trouble.kind === 'refund' ? 'high' : trouble.kind === 'complaint' ? r.pick(['normal', 'high'] as const) : 'normal';
  const [subject, description] = TEXT[trouble.kind][en ? 'en' : 'zh'];
  const events: GeneratedTicketEvent[] = [{ type: 'created', fromStatus: null, toStatus: 'open', actor: 'customer', note: null, at: new Date(createdAt) }];
  const assigneeId = r.pick(staffIds);
  const staff = `staff:${assigneeId}`;
  let status: TicketStatus = 'open';
  let resolvedAt: Date | null = null;
  const assignAt = createdAt + Math.floor(r.next() * 2 * HOUR_MS);
  if (assignAt <= now) {
    events.push({ type: 'assigned', fromStatus: null, toStatus: null, actor: 'system', note: staff, at: new Date(assignAt) });
    events.push({ type: 'status_changed', fromStatus: 'open', toStatus: 'in_progress', actor: staff, note: null, at: new Date(assignAt + 60_000) });
    status = 'in_progress';
  }
  const resolveAt = Math.max(trouble.resolvedBy?.getTime() ?? 0, assignAt + 60_000) + Math.floor(r.next() * 24 * HOUR_MS);
  if (status === 'in_progress' && resolveAt <= now) {
    events.push({ type: 'status_changed', fromStatus: 'in_progress', toStatus: 'resolved', actor: staff, note: RESOLUTION[trouble.kind], at: new Date(resolveAt) });
    status = 'resolved';
    resolvedAt = new Date(resolveAt);
    const closeAt = resolveAt + 72 * HOUR_MS;
    if (closeAt <= now) {
      events.push({ type: 'status_changed', fromStatus: 'resolved', toStatus: 'closed', actor: 'system', note: 'closed automatically after 3 days', at: new Date(closeAt) });
      status = 'closed';
    }
  }
  const type: TicketType = trouble.kind;
  return {
    ticket: {
      type, status, priority, assigneeId: status === 'open' ? null : assigneeId, subject, description,
      slaDueAt: new Date(createdAt + SLA_HOURS[priority] * HOUR_MS), resolution: resolvedAt ? RESOLUTION[trouble.kind] : null, resolvedAt,
      createdAt: new Date(createdAt), updatedAt: events[events.length - 1].at,
    },
    events,
  };
}
