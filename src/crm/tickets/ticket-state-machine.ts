import type { TicketStatus } from '../crm-constants.js';

/** Every legal ticket status change. Anything not listed is rejected. */
export const TICKET_TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ['in_progress', 'waiting_customer', 'resolved', 'cancelled'],
  in_progress: ['waiting_customer', 'resolved', 'cancelled', 'open'],
  waiting_customer: ['in_progress', 'resolved', 'cancelled'],
  resolved: ['closed', 'open'],
  closed: [],
  cancelled: [],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TICKET_TRANSITIONS[from].includes(to);
}

/** Statuses in which a ticket still needs someone's work (counted against its SLA). */
export const ACTIVE_TICKET_STATUSES: readonly TicketStatus[] = ['open', 'in_progress', 'waiting_customer'];
