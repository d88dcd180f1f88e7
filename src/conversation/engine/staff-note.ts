import type { Crm, TargetsFor } from '../../crm/index.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { enqueueStaffNotifications } from '../../jobs/staff-notify-job.js';
import { logger } from '../../shared/logger.js';
import type { StaffNoteInput, StaffNoteResult } from '../../shared/message-types.js';
import { sanitiseDeep } from '../../shared/text-sanitiser.js';

const log = logger('engine.staff-note');

/**
 * `InboundSink.noteForStaff`: a channel's notice about a thread becomes an internal note on its
 * conversation, by `system:<channel>`, keyed `<channel>:<key>`; its outbox rows (only while a
 * person has or awaits the conversation) are queued for the desk and the staff tools.
 */
export async function noteForStaff(deps: { crm: Crm; queue: JobQueue; targetsFor: TargetsFor; now: () => Date }, raw: StaffNoteInput): Promise<StaffNoteResult> {
  const n = sanitiseDeep(raw);
  const conversation = await deps.crm.conversations.byThread(n.channel, n.threadId);
  if (!conversation) return { stored: false, reason: 'no_conversation' };
  const r = await deps.crm.handoff.systemNote({
    conversationId: conversation.id, author: `system:${n.channel}`, dedupeKey: `${n.channel}:${n.key}`, kind: n.kind, text: n.text, targetsFor: deps.targetsFor, now: deps.now(),
  });
  // the conversation went between the read and the note (a merge moved it): as if none
  if (!r.ok) return { stored: false, reason: 'no_conversation' };
  // a crash before this leaves the rows pending: the staff outbox's recovery queues them
  await enqueueStaffNotifications(deps.queue, r.notificationIds);
  if (!r.duplicate) log.info({ conversationId: conversation.id, noteId: r.noteId, kind: n.kind, live: r.notificationIds.length > 0 }, 'note for staff stored');
  return { stored: true, noteId: r.noteId, duplicate: r.duplicate, live: r.notificationIds.length > 0 };
}
