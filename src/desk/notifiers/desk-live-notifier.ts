import { STAFF_NOTIFICATION_KINDS } from '../../crm/index.js';
import type { MessageBus } from '../../shared/message-bus.js';
import type { StaffNotificationRow, StaffNotifier } from '../../shared/staff-notifier.js';

/** The bus topic every /desk socket listens on. */
export const DESK_TOPIC = 'desk:events';

/** What an open /desk receives for a notification (it reloads the list and rings for new work). */
export interface DeskEvent {
  type: 'notification';
  id: number;
  kind: string;
  conversationId: number | null;
  staffId: number | null;
  audience: string;
  customerName: string;
  /** A short line for the browser notification; message text only for staff eyes. */
  preview: string | null;
  actorName: string | null;
  at: string;
}

export function toDeskEvent(row: StaffNotificationRow): DeskEvent {
  const p = row.payload;
  return {
    type: 'notification', id: row.id, kind: row.kind, conversationId: row.conversationId, staffId: row.staffId, audience: p.audience,
    customerName: p.customer.name, preview: p.message?.text.slice(0, 120) ?? p.conversation.handoffReason, actorName: p.actor?.name ?? null,
    at: row.createdAt.toISOString(),
  };
}

/**
 * The desk's own live inbox, the first StaffNotifier: a row is delivered by publishing it on the
 * message bus, and every web process pushes it to its /desk sockets. Browsers drop an id they have
 * seen, so a row delivered twice after a crash rings once.
 */
export class DeskLiveNotifier implements StaffNotifier {
  readonly target = 'desk';
  readonly kinds = STAFF_NOTIFICATION_KINDS;

  constructor(private readonly bus: MessageBus) {}

  async deliver(row: StaffNotificationRow): Promise<{ platformRef?: string }> {
    await this.bus.publish(DESK_TOPIC, toDeskEvent(row));
    return { platformRef: `desk:${row.id}` };
  }
}
