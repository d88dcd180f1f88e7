import type { Db, Tx } from '../../db/database-client.js';
import type { StaffNotificationPayload } from '../../shared/staff-notifier.js';
import { isUniqueViolation, recordAudit } from '../audit-log.js';
import type { StaffNotificationKind, TicketStatus } from '../crm-constants.js';
import { conversationContext, type NotificationDraft } from '../staff-outbox/notification-payload.js';
import { writeNotifications, type TargetsFor } from '../staff-outbox/staff-outbox-store.js';
import { canTransition } from '../tickets/ticket-state-machine.js';
import { planTransition, type ConversationState, type PlannedTransition, type TransitionInput } from './handoff-state-machine.js';
import { MESSAGE_STATUS } from './message-store.js';

/** Who did it, for events, audit and what notifications say. */
export interface ActingStaff {
  staffId: number;
  name: string;
  /** The staff tool the action came from (slack, teams); absent for /desk and the CLI. */
  via?: string;
}
export type Actor = { kind: 'staff'; staff: ActingStaff } | { kind: 'system' } | { kind: 'customer'; customerId: number };

export const actorString = (a: Actor): string => (a.kind === 'staff' ? `staff:${a.staff.staffId}` : a.kind === 'customer' ? `customer:${a.customerId}` : 'system');
const staffPayload = (s: ActingStaff): NonNullable<StaffNotificationPayload['actor']> => ({ kind: 'staff', staffId: s.staffId, name: s.name, ...(s.via ? { via: s.via } : {}) });
export const actorPayload = (a: Actor): StaffNotificationPayload['actor'] => (a.kind === 'staff' ? staffPayload(a.staff) : { kind: a.kind });

/** A customer-facing message an action sends (the agent joined, handed back, the satisfaction question). */
export interface CustomerMessageDraft { text: string; payload: unknown; fromStaffId?: number }

export interface StoredOutbound { id: number; channel: string; threadId: string; payload: string; createdAt: Date }

export type ConversationRow = NonNullable<Awaited<ReturnType<Db['conversation']['findUnique']>>>;

export type ActionFailure = { ok: false; code: 'not_found' | 'illegal' | 'conflict' | 'not_owner'; message: string; ownerName?: string | null };
export type TransitionOutcome = { ok: true; conversationId: number; eventId: number; outbound: StoredOutbound[]; notificationIds: number[] } | ActionFailure;

export interface StaffTransitionArgs {
  conversationId: number;
  input: TransitionInput;
  actor: Actor;
  /** A condition beyond the state machine (only the owner may release): a message when it fails. */
  precondition?: (c: ConversationRow) => { code: 'not_owner' | 'conflict'; message: string } | undefined;
  /** What the customer is told, and the dialogue state after the change (undefined = unchanged). */
  effects?: (c: ConversationRow, plan: PlannedTransition) => Promise<{ messages: CustomerMessageDraft[]; flowState?: string | null }> | { messages: CustomerMessageDraft[]; flowState?: string | null };
  targetsFor: TargetsFor;
  audience?: StaffNotificationPayload['audience'];
  now?: Date;
}

class ConflictAbort extends Error {}

/**
 * Interactive transactions hold a pooled connection while they run; when many staff act at once
 * (and wait on one row's lock) they queue for a connection rather than fail after Prisma's 2 s.
 */
const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 };

const OUT_FIELDS = { id: true, channel: true, threadId: true, payload: true, createdAt: true } as const;
const toStored = (r: { id: number; channel: string; threadId: string; payload: string | null; createdAt: Date }): StoredOutbound => ({ ...r, payload: r.payload ?? '{}' });

/** Moves the conversation's handoff/complaint ticket along with it, inside the same transaction. */
async function syncTicket(tx: Tx, conversationId: number, plan: PlannedTransition, actor: string, now: Date): Promise<void> {
  const ticket = await tx.ticket.findFirst({ where: { conversationId, type: { in: ['handoff', 'complaint'] }, status: { in: ['open', 'in_progress', 'waiting_customer'] } }, orderBy: { id: 'desc' } });
  if (!ticket) return;
  const to: TicketStatus | undefined = plan.type === 'claim' || plan.type === 'transfer' ? 'in_progress' : plan.type === 'resolve' ? 'resolved' : undefined;
  const data: { status?: TicketStatus; assigneeId?: number | null; resolvedAt?: Date } = {};
  if (to && to !== ticket.status && canTransition(ticket.status as TicketStatus, to)) {
    data.status = to;
    if (to === 'resolved') data.resolvedAt = now;
    await tx.ticketEvent.create({ data: { ticketId: ticket.id, type: 'status_changed', fromStatus: ticket.status, toStatus: to, actor, at: now } });
  }
  if (plan.to.assigneeId !== null && plan.to.assigneeId !== ticket.assigneeId) {
    data.assigneeId = plan.to.assigneeId;
    await tx.ticketEvent.create({ data: { ticketId: ticket.id, type: 'assigned', actor, note: `staff:${plan.to.assigneeId}`, at: now } });
  }
  if (Object.keys(data).length) await tx.ticket.update({ where: { id: ticket.id }, data });
}

async function ownerName(db: Db, assigneeId: number | null): Promise<string | null> {
  if (assigneeId === null) return null;
  const s = await db.staffMember.findUnique({ where: { id: assigneeId }, select: { name: true, displayName: true } });
  return s ? (s.displayName ?? s.name) : null;
}

/**
 * Runs one handoff transition for staff or the system (claim, transfer, release, resolve): the
 * conversation change (conditional on the state it was read in, so the first of two concurrent
 * claims wins on SQLite and PostgreSQL alike), its event, the ticket, the customer's messages, the
 * staff notifications and the audit entry — in one transaction.
 */
export async function runStaffTransition(db: Db, a: StaffTransitionArgs): Promise<TransitionOutcome> {
  const now = a.now ?? new Date();
  const actor = actorString(a.actor);
  try {
    return await db.$transaction(async (tx) => {
      const c = await tx.conversation.findUnique({ where: { id: a.conversationId } });
      if (!c) return { ok: false, code: 'not_found', message: `Conversation ${a.conversationId} not found` } satisfies ActionFailure;
      const pre = a.precondition?.(c);
      if (pre) return { ok: false, ...pre } satisfies ActionFailure;
      const state: ConversationState = { mode: c.mode as ConversationState['mode'], status: c.status as ConversationState['status'], assigneeId: c.assigneeId };
      const planned = planTransition(state, a.input, now, c.waitingSince);
      if (!planned.ok) return { ok: false, code: 'illegal', message: planned.reason } satisfies ActionFailure;
      const plan = planned.plan;
      const effects = a.effects ? await a.effects(c, plan) : { messages: [] };
      const moved = await tx.conversation.updateMany({
        where: { id: c.id, mode: c.mode, assigneeId: c.assigneeId, status: c.status },
        data: { mode: plan.to.mode, status: plan.to.status, assigneeId: plan.to.assigneeId, ...plan.fields, lastActivityAt: now, ...(effects.flowState !== undefined ? { flowState: effects.flowState } : {}) },
      });
      if (moved.count !== 1) throw new ConflictAbort();
      const event = await tx.conversationEvent.create({
        data: { conversationId: c.id, type: plan.type, fromMode: plan.from.mode, toMode: plan.to.mode, fromStatus: plan.from.status, toStatus: plan.to.status, actor, detail: JSON.stringify(plan.detail), at: now },
        select: { id: true },
      });
      await syncTicket(tx, c.id, plan, actor, now);
      const outbound = await createCustomerMessages(tx, c, effects.messages, `ev:${event.id}`, now);
      const context = await conversationContext(tx, c.id);
      const drafts: NotificationDraft[] = context
        ? [{ kind: plan.type as StaffNotificationKind, conversationId: c.id, staffId: plan.to.assigneeId, dedupeBase: `${plan.type}:ev${event.id}`, payload: { ...context, actor: actorPayload(a.actor), audience: a.audience ?? (plan.to.assigneeId !== null ? 'staff' : 'agents'), detail: plan.detail } }]
        : [];
      const notificationIds = await writeNotifications(tx, drafts, a.targetsFor, now);
      await recordAudit(tx, { actor, action: `conversation.${plan.type}`, entity: 'Conversation', entityId: c.id, detail: plan.detail });
      return { ok: true, conversationId: c.id, eventId: event.id, outbound, notificationIds } satisfies TransitionOutcome;
    }, TX_OPTIONS);
  } catch (err) {
    if (!(err instanceof ConflictAbort)) throw err;
    const current = await db.conversation.findUnique({ where: { id: a.conversationId }, select: { mode: true, assigneeId: true } });
    const name = await ownerName(db, current?.assigneeId ?? null);
    return { ok: false, code: 'conflict', message: name ? `Someone was quicker: ${name} has this conversation now` : `The conversation changed meanwhile (it is ${current?.mode ?? 'gone'} now); reload and try again`, ownerName: name };
  }
}

async function createCustomerMessages(tx: Tx, c: ConversationRow, drafts: CustomerMessageDraft[], idBase: string, now: Date): Promise<StoredOutbound[]> {
  const out: StoredOutbound[] = [];
  for (const [n, d] of drafts.entries()) {
    out.push(toStored(await tx.message.create({
      data: {
        conversationId: c.id, direction: 'out', channel: c.channel, threadId: c.threadId, platformMessageId: `${idBase}:${n}`,
        senderId: d.fromStaffId ? `staff:${d.fromStaffId}` : null, text: d.text, payload: JSON.stringify(d.payload), status: MESSAGE_STATUS.queued,
        createdAt: new Date(now.getTime() + n),
      },
      select: OUT_FIELDS,
    })));
  }
  return out;
}

export type StaffMessageOutcome = { ok: true; duplicate: boolean; outbound: StoredOutbound; notificationIds: number[] } | ActionFailure;

/**
 * A staff member's reply to the customer. Only the staff member who owns the conversation may
 * reply; `clientId` makes a retried submit store nothing twice.
 */
export async function storeStaffMessage(db: Db, a: { conversationId: number; staff: ActingStaff; clientId: string; text: string; payload: unknown; targetsFor: TargetsFor; now?: Date }): Promise<StaffMessageOutcome> {
  const now = a.now ?? new Date();
  const platformMessageId = `staff:${a.staff.staffId}:${a.clientId}`;
  const c = await db.conversation.findUnique({ where: { id: a.conversationId } });
  if (!c) return { ok: false, code: 'not_found', message: `Conversation ${a.conversationId} not found` };
  const existing = await db.message.findFirst({ where: { channel: c.channel, platformMessageId }, select: OUT_FIELDS });
  if (existing) return { ok: true, duplicate: true, outbound: toStored(existing), notificationIds: [] };
  if (c.mode !== 'human' || c.assigneeId !== a.staff.staffId) {
    const name = await ownerName(db, c.assigneeId);
    return c.mode === 'human'
      ? { ok: false, code: 'not_owner', message: `${name ?? 'Another staff member'} has this conversation; ask them to transfer it to you`, ownerName: name }
      : { ok: false, code: 'not_owner', message: 'Claim the conversation before replying: nobody owns it yet' };
  }
  try {
    return await db.$transaction(async (tx) => {
      const row = await tx.message.create({
        data: { conversationId: c.id, direction: 'out', channel: c.channel, threadId: c.threadId, platformMessageId, senderId: `staff:${a.staff.staffId}`, text: a.text, payload: JSON.stringify(a.payload), status: MESSAGE_STATUS.queued, createdAt: now },
        select: OUT_FIELDS,
      });
      // still the owner at commit time: a transfer in between makes this update miss and the reply roll back
      const still = await tx.conversation.updateMany({ where: { id: c.id, mode: 'human', assigneeId: a.staff.staffId }, data: { lastActivityAt: now } });
      if (still.count !== 1) throw new ConflictAbort();
      const context = await conversationContext(tx, c.id);
      const ids = context
        ? await writeNotifications(tx, [{ kind: 'staff_message', conversationId: c.id, dedupeBase: `staff_message:m${row.id}`, payload: { ...context, message: { id: row.id, text: a.text, author: a.staff.name }, actor: staffPayload(a.staff), audience: 'agents' } }], a.targetsFor, now)
        : [];
      await recordAudit(tx, { actor: `staff:${a.staff.staffId}`, action: 'conversation.reply', entity: 'Conversation', entityId: c.id, detail: { messageId: row.id } });
      return { ok: true, duplicate: false, outbound: toStored(row), notificationIds: ids } satisfies StaffMessageOutcome;
    }, TX_OPTIONS);
  } catch (err) {
    if (isUniqueViolation(err)) {
      const again = await db.message.findFirst({ where: { channel: c.channel, platformMessageId }, select: OUT_FIELDS });
      if (again) return { ok: true, duplicate: true, outbound: toStored(again), notificationIds: [] };
    }
    if (err instanceof ConflictAbort) return { ok: false, code: 'not_owner', message: 'The conversation was transferred or released meanwhile; your reply was not sent' };
    throw err;
  }
}

class DuplicateNote extends Error {}

/**
 * An internal note: staff only, never sent to the customer. With `clientId` (a staff tool's id for
 * the message, e.g. a Slack event id) a retried delivery stores nothing twice: the note's outbox
 * rows are keyed by it, and the desk target always takes notes, so a repeat fails their unique key
 * and rolls back.
 */
export async function addNote(db: Db, a: { conversationId: number; staff: ActingStaff; text: string; clientId?: string; targetsFor: TargetsFor; now?: Date }): Promise<{ ok: true; noteId: number; duplicate?: boolean; notificationIds: number[] } | ActionFailure> {
  const now = a.now ?? new Date();
  const keyed = a.clientId ? `note:${a.staff.staffId}:${a.clientId}` : undefined;
  if (keyed && (await db.staffNotification.findFirst({ where: { dedupeKey: { startsWith: `${keyed}:` } }, select: { id: true } }))) return { ok: true, noteId: 0, duplicate: true, notificationIds: [] };
  try {
    return await db.$transaction(async (tx) => {
      const context = await conversationContext(tx, a.conversationId);
      if (!context) return { ok: false, code: 'not_found', message: `Conversation ${a.conversationId} not found` } satisfies ActionFailure;
      const note = await tx.conversationNote.create({ data: { conversationId: a.conversationId, staffId: a.staff.staffId, text: a.text, createdAt: now }, select: { id: true } });
      const ids = await writeNotifications(tx, [{ kind: 'note', conversationId: a.conversationId, dedupeBase: keyed ?? `note:n${note.id}`, payload: { ...context, message: { id: note.id, text: a.text, author: a.staff.name }, actor: staffPayload(a.staff), audience: 'agents' } }], a.targetsFor, now)
        .catch((err: unknown) => { throw keyed && isUniqueViolation(err) ? new DuplicateNote() : err; });
      await recordAudit(tx, { actor: `staff:${a.staff.staffId}`, action: 'conversation.note', entity: 'Conversation', entityId: a.conversationId, detail: { noteId: note.id } });
      return { ok: true as const, noteId: note.id, notificationIds: ids };
    }, TX_OPTIONS);
  } catch (err) {
    if (err instanceof DuplicateNote) return { ok: true, noteId: 0, duplicate: true, notificationIds: [] };
    throw err;
  }
}
