import { z } from 'zod';
import type { JobQueue } from './job-queue.js';
import { QUEUE_NAMES } from './queue-names.js';

/** A staff-notification delivery job: a pointer to one outbox row (the row is the truth). */
export const StaffNotifyJob = z.object({ notificationId: z.number().int().positive() });
export type StaffNotifyJobData = z.infer<typeof StaffNotifyJob>;

/**
 * Queues delivery of outbox rows after the transaction that wrote them. `tag` gives re-queues
 * (recovery, a retry after backoff) ids of their own: a finished or dead-lettered id is not re-added.
 */
export async function enqueueStaffNotifications(queue: JobQueue, ids: readonly number[], opts: { tag?: string; delayMs?: number } = {}): Promise<void> {
  for (const id of ids) {
    await queue.add<StaffNotifyJobData>(QUEUE_NAMES.staffNotify, { notificationId: id }, { jobId: `notify-${id}${opts.tag ?? ''}`, delayMs: opts.delayMs });
  }
}
