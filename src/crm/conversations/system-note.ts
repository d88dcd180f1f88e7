import type { Db } from '../../db/database-client.js';
import { isUniqueViolation, recordAudit } from '../audit-log.js';
import { conversationContext } from '../staff-outbox/notification-payload.js';
import { writeNotifications, type TargetsFor } from '../staff-outbox/staff-outbox-store.js';
import type { ActionFailure } from './staff-actions.js';

/** Modes in which a person has or awaits the conversation: staff hear of a system note at once. */
const LIVE_MODES = new Set(['waiting', 'human']);

export interface SystemNoteArgs {
  conversationId: number;
  /** `system:<channel>`: who wrote it, shown in /desk where a staff member's name would be. */
  author: string;
  /** Unique across system notes (`<channel>:<channel's key>`): a retry stores nothing twice. */
  dedupeKey: string;
  /** What it is about (`reply_held`), carried in the notification's detail. */
  kind: string;
  text: string;
  targetsFor: TargetsFor;
  now?: Date;
}

export type SystemNoteOutcome = { ok: true; noteId: number; duplicate: boolean; notificationIds: number[] } | ActionFailure;

/**
 * An internal note shopdesk itself leaves on a conversation (the same `ConversationNote` staff
 * write in /desk, by `author` instead of a staff member): never sent to the customer. When a
 * person has or awaits the conversation, a `note` row goes to the staff outbox in the same
 * transaction, so the desk (and Slack, Teams …) show it live; a bot conversation just keeps it
 * for whoever opens it. The note's unique `dedupeKey` makes a retried notice harmless.
 */
export async function addSystemNote(db: Db, a: SystemNoteArgs): Promise<SystemNoteOutcome> {
  const existing = async () => db.conversationNote.findUnique({ where: { dedupeKey: a.dedupeKey }, select: { id: true } });
  const seen = await existing();
  if (seen) return { ok: true, noteId: seen.id, duplicate: true, notificationIds: [] };
  const now = a.now ?? new Date();
  const text = a.text.slice(0, 4000);
  try {
    return await db.$transaction(async (tx) => {
      const context = await conversationContext(tx, a.conversationId);
      if (!context) return { ok: false, code: 'not_found', message: `Conversation ${a.conversationId} not found` } satisfies ActionFailure;
      const note = await tx.conversationNote.create({ data: { conversationId: a.conversationId, author: a.author, dedupeKey: a.dedupeKey, text, createdAt: now }, select: { id: true } });
      const ids = LIVE_MODES.has(context.conversation.mode)
        ? await writeNotifications(tx, [{
            kind: 'note', conversationId: a.conversationId, dedupeBase: `note:n${note.id}`,
            payload: { ...context, message: { id: note.id, text, author: a.author }, actor: { kind: 'system', name: a.author }, audience: 'agents', detail: { noteKind: a.kind } },
          }], a.targetsFor, now)
        : [];
      await recordAudit(tx, { actor: a.author, action: 'conversation.note', entity: 'Conversation', entityId: a.conversationId, detail: { noteId: note.id, kind: a.kind } });
      return { ok: true as const, noteId: note.id, duplicate: false, notificationIds: ids };
    }, { maxWait: 10_000, timeout: 20_000 });
  } catch (err) {
    // the same notice from two workers at once: the other one stored it
    const again = isUniqueViolation(err) ? await existing() : null;
    if (again) return { ok: true, noteId: again.id, duplicate: true, notificationIds: [] };
    throw err;
  }
}
