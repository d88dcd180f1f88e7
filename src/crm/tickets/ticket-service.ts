import type { Db } from '../../db/database-client.js';
import { AppError } from '../../shared/app-error.js';
import { isUniqueViolation, recordAudit } from '../audit-log.js';
import { SLA_HOURS, TICKET_PRIORITIES, TICKET_TYPES, type TicketPriority, type TicketStatus, type TicketType } from '../crm-constants.js';
import { ACTIVE_TICKET_STATUSES, canTransition, TICKET_TRANSITIONS } from './ticket-state-machine.js';

const DEFAULT_PRIORITY: Record<TicketType, TicketPriority> = {
  complaint: 'high', handoff: 'high', refund: 'normal', return: 'normal', exchange: 'normal',
  cancel: 'high', address_change: 'high', inquiry: 'low',
};

export function slaDueAt(priority: TicketPriority, from: Date): Date {
  return new Date(from.getTime() + SLA_HOURS[priority] * 3600_000);
}

export interface CreateTicketInput {
  type: TicketType;
  customerId: number;
  orderId?: number;
  conversationId?: number;
  subject: string;
  description?: string;
  /** Structured facts (items, reason, photo urls) as JSON-able data. */
  details?: Record<string, unknown>;
  priority?: TicketPriority;
  /** Same key ⇒ same ticket: a retried message never opens a second ticket. */
  dedupeKey?: string;
  /**
   * Asked for by someone who is not the verified owner of the order (a guest who proved only the
   * last 4 digits): the ticket belongs to the owner (`customerId`), remembers who asked, and
   * waits for staff approval before anyone acts on it.
   */
  unverifiedRequester?: { requesterCustomerId: number };
  actor: string;
  now?: Date;
}

export type TicketRecord = NonNullable<Awaited<ReturnType<Db['ticket']['findUnique']>>>;

export async function createTicket(db: Db, input: CreateTicketInput): Promise<{ ticket: TicketRecord; created: boolean }> {
  if (!TICKET_TYPES.includes(input.type)) throw new AppError('VALIDATION_FAILED', `Unknown ticket type "${input.type}"`);
  const priority = input.priority ?? DEFAULT_PRIORITY[input.type];
  if (!TICKET_PRIORITIES.includes(priority)) throw new AppError('VALIDATION_FAILED', `Unknown priority "${priority}"`);
  if (input.dedupeKey) {
    const existing = await db.ticket.findUnique({ where: { dedupeKey: input.dedupeKey } });
    if (existing) return { ticket: existing, created: false };
  }
  const now = input.now ?? new Date();
  try {
    const ticket = await db.$transaction(async (tx) => {
      const t = await tx.ticket.create({
        data: {
          type: input.type, status: 'open', priority, customerId: input.customerId, orderId: input.orderId ?? null,
          conversationId: input.conversationId ?? null, subject: input.subject.slice(0, 200), description: input.description?.slice(0, 4000) ?? null,
          details: input.details ? JSON.stringify(input.details) : null, slaDueAt: slaDueAt(priority, now), dedupeKey: input.dedupeKey ?? null,
          unverifiedRequester: Boolean(input.unverifiedRequester), requesterCustomerId: input.unverifiedRequester?.requesterCustomerId ?? null,
          createdAt: now,
        },
      });
      await tx.ticketEvent.create({ data: { ticketId: t.id, type: 'created', toStatus: 'open', actor: input.actor, at: now } });
      await recordAudit(tx, { actor: input.actor, action: 'ticket.create', entity: 'Ticket', entityId: t.id, detail: { type: input.type, ...(input.unverifiedRequester ? { unverifiedRequester: true } : {}) } });
      return t;
    });
    return { ticket, created: true };
  } catch (err) {
    if (input.dedupeKey && isUniqueViolation(err)) {
      const existing = await db.ticket.findUnique({ where: { dedupeKey: input.dedupeKey } });
      if (existing) return { ticket: existing, created: false };
    }
    throw err;
  }
}

/** Moves a ticket along the transition table; an illegal move is an AppError naming the allowed ones. */
export async function transitionTicket(db: Db, ticketId: number, to: TicketStatus, opts: { actor: string; note?: string; resolution?: string; now?: Date }): Promise<TicketRecord> {
  const now = opts.now ?? new Date();
  return db.$transaction(async (tx) => {
    const t = await tx.ticket.findUnique({ where: { id: ticketId } });
    if (!t) throw new AppError('NOT_FOUND', `Ticket ${ticketId} not found`);
    const from = t.status as TicketStatus;
    if (!canTransition(from, to)) {
      const allowed = TICKET_TRANSITIONS[from];
      throw new AppError('ILLEGAL_TRANSITION', `Ticket ${ticketId} cannot go from ${from} to ${to}; allowed: ${allowed.length ? allowed.join(', ') : 'none (final state)'}`, {
        userMessage: `This ticket is ${from} and cannot be moved to ${to}.`,
      });
    }
    const updated = await tx.ticket.update({
      where: { id: ticketId },
      data: {
        status: to,
        ...(to === 'resolved' ? { resolvedAt: now, resolution: opts.resolution ?? t.resolution } : {}),
        ...(to === 'open' ? { resolvedAt: null } : {}),
      },
    });
    await tx.ticketEvent.create({ data: { ticketId, type: 'status_changed', fromStatus: from, toStatus: to, actor: opts.actor, note: opts.note ?? null, at: now } });
    await recordAudit(tx, { actor: opts.actor, action: 'ticket.transition', entity: 'Ticket', entityId: ticketId, detail: { from, to } });
    return updated;
  });
}

/**
 * Staff confirm that a ticket asked for by an unverified requester may go ahead (they checked
 * with the owner). Idempotent; a ticket without the flag is refused.
 */
export async function approveRequester(db: Db, ticketId: number, opts: { actor: string; note?: string; now?: Date }): Promise<TicketRecord> {
  const now = opts.now ?? new Date();
  return db.$transaction(async (tx) => {
    const t = await tx.ticket.findUnique({ where: { id: ticketId } });
    if (!t) throw new AppError('NOT_FOUND', `Ticket ${ticketId} not found`, { userMessage: `Ticket ${ticketNumber(ticketId)} not found` });
    if (!t.unverifiedRequester) throw new AppError('CONFLICT', `Ticket ${ticketId} was asked for by its verified owner`, { userMessage: `Ticket ${ticketNumber(ticketId)} needs no approval: its owner asked for it` });
    if (t.approvedAt) return t;
    const updated = await tx.ticket.update({ where: { id: ticketId }, data: { approvedAt: now, approvedBy: opts.actor } });
    await tx.ticketEvent.create({ data: { ticketId, type: 'requester_approved', actor: opts.actor, note: opts.note ?? null, at: now } });
    await recordAudit(tx, { actor: opts.actor, action: 'ticket.approve_requester', entity: 'Ticket', entityId: ticketId });
    return updated;
  });
}

export async function assignTicket(db: Db, ticketId: number, staffId: number | null, opts: { actor: string; now?: Date }): Promise<TicketRecord> {
  return db.$transaction(async (tx) => {
    const t = await tx.ticket.findUnique({ where: { id: ticketId } });
    if (!t) throw new AppError('NOT_FOUND', `Ticket ${ticketId} not found`);
    if (staffId !== null && !(await tx.staffMember.findFirst({ where: { id: staffId, active: true } }))) {
      throw new AppError('NOT_FOUND', `Staff member ${staffId} not found or inactive`);
    }
    const updated = await tx.ticket.update({ where: { id: ticketId }, data: { assigneeId: staffId } });
    await tx.ticketEvent.create({ data: { ticketId, type: 'assigned', actor: opts.actor, note: staffId === null ? 'unassigned' : `staff:${staffId}`, at: opts.now ?? new Date() } });
    await recordAudit(tx, { actor: opts.actor, action: 'ticket.assign', entity: 'Ticket', entityId: ticketId, detail: { staffId } });
    return updated;
  });
}

export async function listCustomerTickets(db: Db, customerId: number, opts: { types?: TicketType[]; limit?: number } = {}) {
  return db.ticket.findMany({
    where: { customerId, ...(opts.types ? { type: { in: [...opts.types] } } : {}) },
    orderBy: { createdAt: 'desc' },
    take: opts.limit ?? 20,
    include: { order: { select: { orderNumber: true } }, events: { orderBy: { at: 'asc' } } },
  });
}

/** One ticket with its order's number (the bot reports the progress of a ticket its conversation opened). */
export async function getTicket(db: Db, id: number) {
  return db.ticket.findUnique({ where: { id }, include: { order: { select: { orderNumber: true } } } });
}

/** An order's tickets of these types that are still being worked on, newest first. */
export async function activeTicketsForOrder(db: Db, orderId: number, types: readonly TicketType[]) {
  return db.ticket.findMany({ where: { orderId, type: { in: [...types] }, status: { in: [...ACTIVE_TICKET_STATUSES] } }, orderBy: { id: 'desc' }, take: 5 });
}

/** Display number of a ticket, e.g. T000123. */
export function ticketNumber(id: number): string {
  return `T${String(id).padStart(6, '0')}`;
}
