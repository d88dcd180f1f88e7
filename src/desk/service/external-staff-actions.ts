import type { Crm } from '../../crm/index.js';
import type { ExternalStaffAction, StaffActionResult, StaffActionSink } from '../../shared/staff-notifier.js';
import { principalOf } from '../auth/staff-auth.js';
import type { DeskOutcome, DeskService } from './desk-service.js';

/**
 * How a staff member's action in an external tool (a Slack thread reply, a Teams card button)
 * becomes a desk operation: the tool's user id names the staff member (`shopdesk staff link`),
 * the thread names the conversation (the platform id of the handoff post shopdesk made there), and
 * the same DeskService runs it — same rules, same transaction, same audit log.
 */
export class ExternalStaffActions implements StaffActionSink {
  constructor(private readonly deps: { crm: Crm; service: DeskService }) {}

  async perform(a: ExternalStaffAction): Promise<StaffActionResult> {
    // the thread first: a tool sees every reply in its channel, and chatter in threads that are not
    // shopdesk's must be ignored quietly, whoever writes it
    const conversationId = 'conversationId' in a.conversation ? a.conversation.conversationId : await this.deps.crm.outbox.conversationOf(a.source, a.conversation.platformRef);
    if (conversationId === undefined) return { ok: false, reason: 'unknown_conversation', message: 'This thread is not a shopdesk conversation' };
    const staff = await this.deps.crm.staff.byIdentity(a.source, a.externalStaffId);
    if (!staff || !staff.active) {
      return { ok: false, reason: 'unknown_staff', message: `This ${a.source} user is not linked to a shopdesk staff account. An admin can link it: npx shopdesk staff link NAME ${a.source} ${a.externalStaffId}` };
    }
    // notifications name the tool, so it need not echo its own user's words back
    const who = { ...principalOf(staff), via: a.source };
    const s = this.deps.service;
    // the tool's id for the action is the idempotency key of a reply
    const clientId = `${a.source}:${a.platformMessageId}`;
    let r: DeskOutcome;
    switch (a.command.type) {
      case 'reply': r = await s.reply(who, conversationId, { text: a.command.text, clientId }); break;
      case 'note': r = await s.note(who, conversationId, a.command.text, { clientId }); break;
      case 'claim': r = await s.claim(who, conversationId); break;
      case 'release': r = await s.release(who, conversationId); break;
      case 'resolve': r = await s.resolve(who, conversationId); break;
    }
    if (r.ok) return { ok: true, conversationId, duplicate: r.duplicate ?? false };
    const reason = r.code === 'not_found' ? 'unknown_conversation' : r.code === 'not_owner' || r.code === 'conflict' ? 'not_owner' : r.code === 'channel_gone' ? 'channel_gone' : r.code === 'illegal' || r.code === 'forbidden' ? 'not_allowed' : 'invalid';
    return { ok: false, reason, message: r.message };
  }
}
