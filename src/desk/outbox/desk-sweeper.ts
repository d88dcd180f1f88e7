import type { Crm, NotificationDraft, StaffNotificationKind, TargetsFor } from '../../crm/index.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { enqueueStaffNotifications } from '../../jobs/staff-notify-job.js';
import { logger } from '../../shared/logger.js';
import type { DeskSettings } from '../service/desk-ports.js';
import type { DeskService } from '../service/desk-service.js';
import type { StaffOutboxDispatcher } from './staff-outbox-dispatcher.js';

const log = logger('desk.sweep');

/** How often the desk's periodic work runs. */
export const SWEEP_INTERVAL_MS = 10_000;

export interface SweepResult { assigned: number; reminded: number; escalated: number; requeued: number }

/**
 * The desk's periodic work, safe to run in several processes at once (every effect is
 * conditional or deduplicated): hand waiting chats to free online staff, remind the team of a
 * chat nobody claimed, escalate it to managers later, and queue outbox rows whose job was lost.
 * Runs under the cluster scheduler once it is on main (design.md, contract 1).
 */
export class DeskSweeper {
  constructor(private readonly deps: { crm: Crm; queue: JobQueue; service: DeskService; dispatcher: StaffOutboxDispatcher; settings: DeskSettings; targetsFor: TargetsFor }) {}

  async tick(now = new Date()): Promise<SweepResult> {
    const result: SweepResult = { assigned: 0, reminded: 0, escalated: 0, requeued: 0 };
    if (this.deps.settings.serviceHours.isOpen(now)) {
      if (this.deps.settings.autoAssign) result.assigned = await this.assignWaiting(now);
      result.reminded = await this.notifyWaiting('reminder', now, this.deps.settings.remindAfterMs);
      result.escalated = await this.notifyWaiting('escalation', now, this.deps.settings.escalateAfterMs);
    }
    result.requeued = await this.deps.dispatcher.recover();
    if (result.assigned || result.reminded || result.escalated) log.info(result, 'desk sweep');
    return result;
  }

  /** Waiting chats, oldest first, to the online staff member with the most room, until nobody has any. */
  async assignWaiting(now: Date): Promise<number> {
    let assigned = 0;
    for (const c of await this.deps.crm.desk.waitingSince(now, 50)) {
      const agent = await this.deps.crm.desk.pickAgent(now, this.deps.settings.maxChatsPerAgent);
      if (!agent) break;
      const r = await this.deps.service.assign(c.id, { staffId: agent.id, name: agent.name });
      if (r.ok) assigned++;
    }
    return assigned;
  }

  /** One reminder (to the team) or escalation (to managers) per waiting period of each chat. */
  private async notifyWaiting(kind: Extract<StaffNotificationKind, 'reminder' | 'escalation'>, now: Date, afterMs: number): Promise<number> {
    const waiting = await this.deps.crm.desk.waitingSince(new Date(now.getTime() - afterMs));
    let written = 0;
    for (const c of waiting) {
      const context = await this.deps.crm.handoff.context(c.id);
      if (!context || !c.waitingSince) continue;
      const waitedMin = Math.round((now.getTime() - c.waitingSince.getTime()) / 60_000);
      const draft: NotificationDraft = {
        kind, conversationId: c.id, dedupeBase: `${kind}:c${c.id}:w${c.waitingSince.getTime()}`,
        payload: { ...context, audience: kind === 'escalation' ? 'managers' : 'agents', actor: { kind: 'system' }, detail: { waitedMinutes: waitedMin } },
      };
      const ids = await this.deps.crm.outbox.writeOnce([draft], this.deps.targetsFor, now);
      await enqueueStaffNotifications(this.deps.queue, ids);
      if (ids.length) written++;
    }
    return written;
  }

  /**
   * Until the cluster scheduler is on main: a timer in this process. Running it in several worker
   * processes is safe (see above), only redundant.
   */
  startTimer(intervalMs = SWEEP_INTERVAL_MS): { stop(): Promise<void> } {
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      running = this.tick().catch((err: unknown) => log.error({ err: (err as Error).message }, 'desk sweep failed; the next one tries again'));
    }, intervalMs);
    timer.unref();
    return { stop: async () => { clearInterval(timer); await running; } };
  }
}
