/**
 * The seams between shopdesk and the places staff work: the desk's own live inbox today, Slack,
 * Microsoft Teams and a WeCom group robot next. Lives in shared/ so that staff-tool adapters under
 * channels/ can implement it without knowing the CRM (design.md, contract 7).
 *
 * Outgoing: every change staff should hear about is written as one outbox row per target in the
 * same transaction as the change; the queue hands each row to the target's `StaffNotifier`.
 * Incoming: a staff member's action in an external tool (a thread reply, a button) is normalised
 * into an `ExternalStaffAction` and given to the `StaffActionSink`, which runs the same operations
 * as /desk under the staff member bound to that tool's user id (`shopdesk staff link`).
 */

/** Facts a notification carries, taken when it was written (delivery reads nothing else). Never logged. */
export interface StaffNotificationPayload {
  conversation: {
    id: number;
    channel: string;
    mode: string;
    status: string;
    handoffReason: string | null;
    waitingSince: string | null;
    assignee: { id: number; name: string } | null;
    ticket: { id: number; number: string; subject: string } | null;
  };
  /** Contact details are masked here; staff tools that may show them fetch the profile through /desk. */
  customer: { id: number; name: string; segment: string | null; phoneMasked: string | null; emailMasked: string | null; lang: 'zh' | 'en' };
  /** The message this notification is about (customer_message, staff_message, note). */
  message?: { id: number; text: string; author?: string; imageUrl?: string };
  /**
   * Who caused it. `via` names the staff tool a staff action came from (slack, teams; absent for
   * /desk and the CLI), so that tool need not echo back what its user just wrote there.
   */
  actor?: { kind: 'staff' | 'customer' | 'system' | 'bot'; staffId?: number; name?: string; via?: string };
  /** Who should hear it: the whole team, managers only (escalations), or one staff member. */
  audience: 'agents' | 'managers' | 'staff';
  /** Path of the conversation in /desk; targets prefix it with PUBLIC_URL. */
  deskPath: string;
  detail?: Record<string, string | number | boolean | null>;
}

export interface StaffNotificationRow {
  id: number;
  /** Unique: the same change never produces a second row for a target. */
  dedupeKey: string;
  target: string;
  kind: string;
  conversationId: number | null;
  /** Addressed to one staff member (assignment, transfer); null = the team. */
  staffId: number | null;
  payload: StaffNotificationPayload;
  /** Failed attempts so far. */
  attempts: number;
  createdAt: Date;
  /**
   * What this target posted for the conversation's handoff (Slack message ts, Teams activity id),
   * so later rows can reply in its thread. Null when the handoff post is not out yet: a notifier
   * that needs it throws a retryable error and is tried again after it.
   */
  threadRef: string | null;
}

/**
 * One place staff are told things. `deliver` posts one row and returns the platform's id for what
 * it posted; the dispatcher stores that id before the row counts as sent, so a crash after the post
 * is recognisable. Throw `AppError('CHANNEL_SEND_FAILED', …, { retryable: true })` on an outage;
 * put `details.retryAfterMs` on it to honour a platform's Retry-After.
 */
export interface StaffNotifier {
  readonly target: string;
  /** The notification kinds this target shows; rows are written only for these. */
  readonly kinds: readonly string[];
  deliver(row: StaffNotificationRow): Promise<{ platformRef?: string }>;
}

/** What a staff member can do from an external tool. */
export type StaffCommand =
  | { type: 'reply'; text: string }
  | { type: 'note'; text: string }
  | { type: 'claim' }
  | { type: 'release' }
  | { type: 'resolve' };

export interface ExternalStaffAction {
  /** The tool, as in `StaffIdentity.channel`: slack | teams | … */
  source: string;
  /** The acting user's id on that tool, bound to a staff member by `shopdesk staff link NAME <source> <id>`. */
  externalStaffId: string;
  /** The tool's id for this action (Slack event id, Teams activity id): the idempotency key. */
  platformMessageId: string;
  /** The conversation: by the platform id of a post shopdesk made there (a thread parent), or by id (a button value). */
  conversation: { platformRef: string } | { conversationId: number };
  command: StaffCommand;
}

export type StaffActionFailure = 'unknown_staff' | 'unknown_conversation' | 'not_owner' | 'not_allowed' | 'channel_gone' | 'invalid';

/** Expected outcomes are values: the adapter tells its user `message` (zh/en by the staff tool's locale is up to it). */
export type StaffActionResult =
  | { ok: true; conversationId: number; duplicate: boolean }
  | { ok: false; reason: StaffActionFailure; message: string };

export interface StaffActionSink {
  perform(action: ExternalStaffAction): Promise<StaffActionResult>;
}
