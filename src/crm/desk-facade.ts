/**
 * The staff desk's part of the CRM facade (issue 7): handoff transitions, staff accounts and
 * credentials, the staff outbox and the desk's queries. `createCrm` spreads these groups in.
 */
import type { Db } from '../db/database-client.js';
import { recordAudit } from './audit-log.js';
import type { StaffPresence } from './crm-constants.js';
import { addNote, runStaffTransition, storeStaffMessage, type ActingStaff, type StaffTransitionArgs } from './conversations/staff-actions.js';
import { addSystemNote, type SystemNoteArgs } from './conversations/system-note.js';
import { conversationDetail } from './desk/desk-detail.js';
import { deskCounts, listConversations, searchConversations, type DeskView } from './desk/desk-queries.js';
import { estimateWait, pickAgent, staffBoard, waitingSince } from './desk/desk-board.js';
import { createCannedReply, deleteCannedReply, ensureDefaultCannedReplies, listCannedReplies } from './desk/canned-replies.js';
import { conversationContext, type NotificationDraft } from './staff-outbox/notification-payload.js';
import {
  conversationOfPlatformRef, dueNotifications, leaseNotification, markNotificationSent, outboxSummary, pendingNotification, recordNotificationFailure,
  retryFailedNotifications, writeNotificationsOnce, type TargetsFor,
} from './staff-outbox/staff-outbox-store.js';
import {
  createStaff, findStaff, getStaff, linkStaffIdentity, listStaff, requireStaff, setPresence, setStaffActive, setStaffPassword, setStaffProfile,
  staffByIdentity, staffIdentities, toolRecipients, touchStaff,
} from './staff/staff-accounts.js';
import {
  apiTokenByHash, createApiToken, createSession, listApiTokens, revokeAllSessions, revokeApiTokens, revokeSession, sessionByTokenHash, touchApiToken, touchSession,
} from './staff/staff-credentials.js';

export { planTransition, CONVERSATION_TRANSITIONS, type PlannedTransition, type TransitionInput, type ConversationState } from './conversations/handoff-state-machine.js';
export type { ActingStaff, Actor, StoredOutbound, TransitionOutcome, StaffMessageOutcome, ActionFailure, CustomerMessageDraft, ConversationRow } from './conversations/staff-actions.js';
export type { NotificationDraft, ConversationContext } from './staff-outbox/notification-payload.js';
export type { TargetsFor } from './staff-outbox/staff-outbox-store.js';
export { NOTIFICATION_STATUS } from './staff-outbox/staff-outbox-store.js';
export type { StaffView } from './staff/staff-accounts.js';
export { ONLINE_WINDOW_MS, normaliseLoginName, isOnline, toStaffView } from './staff/staff-accounts.js';
export type { ConversationListItem, DeskView } from './desk/desk-queries.js';
export { DESK_VIEWS } from './desk/desk-queries.js';
export type { ConversationDetail, TranscriptItem } from './desk/desk-detail.js';
export type { StaffBoardEntry, WaitEstimate } from './desk/desk-board.js';

export function createDeskCrm(db: Db) {
  return {
    handoff: {
      transition: (a: StaffTransitionArgs) => runStaffTransition(db, a),
      staffMessage: (a: Parameters<typeof storeStaffMessage>[1]) => storeStaffMessage(db, a),
      note: (a: { conversationId: number; staff: ActingStaff; text: string; clientId?: string; targetsFor: TargetsFor; now?: Date }) => addNote(db, a),
      /** A note shopdesk itself leaves (a channel telling staff a reply is held); idempotent on `dedupeKey`. */
      systemNote: (a: SystemNoteArgs) => addSystemNote(db, a),
      context: (conversationId: number) => conversationContext(db, conversationId),
      /** Appends a customer's words to a ticket (a message left outside service hours). */
      appendToTicket: async (ticketId: number, text: string, actor: string) => {
        await db.ticketEvent.create({ data: { ticketId, type: 'customer_message', actor, note: text.slice(0, 4000) } });
      },
    },
    staff: {
      create: (a: Parameters<typeof createStaff>[1]) => createStaff(db, a),
      find: (nameOrId: string) => findStaff(db, nameOrId),
      require: (nameOrId: string) => requireStaff(db, nameOrId),
      get: (id: number) => getStaff(db, id),
      list: () => listStaff(db),
      setPassword: (id: number, hash: string, opts: { oneTime: boolean; actor: string }) => setStaffPassword(db, id, hash, opts),
      setActive: (id: number, active: boolean, actor: string) => setStaffActive(db, id, active, actor),
      setProfile: (id: number, p: Parameters<typeof setStaffProfile>[2], actor: string) => setStaffProfile(db, id, p, actor),
      setPresence: (id: number, presence: StaffPresence, now?: Date) => setPresence(db, id, presence, now),
      touch: (id: number, now?: Date) => touchStaff(db, id, now),
      link: (staffId: number, channel: string, externalId: string, actor: string) => linkStaffIdentity(db, staffId, channel, externalId, actor),
      byIdentity: (channel: string, externalId: string) => staffByIdentity(db, channel, externalId),
      identities: (staffId: number) => staffIdentities(db, staffId),
      /** User ids on a staff tool of the active staff a notification is for (the WeCom app). */
      toolRecipients: (channel: string, who: { staffId: number } | { roles: readonly string[] }) => toolRecipients(db, channel, who),
      sessions: {
        create: (a: Parameters<typeof createSession>[1]) => createSession(db, a),
        byTokenHash: (hash: string) => sessionByTokenHash(db, hash),
        touch: (id: number, now?: Date) => touchSession(db, id, now),
        revoke: (id: number) => revokeSession(db, id),
        revokeAll: (staffId: number, actor: string, exceptSessionId?: number) => revokeAllSessions(db, staffId, actor, exceptSessionId),
      },
      tokens: {
        create: (a: Parameters<typeof createApiToken>[1]) => createApiToken(db, a),
        byHash: (hash: string) => apiTokenByHash(db, hash),
        touch: (id: number, now?: Date) => touchApiToken(db, id, now),
        list: (staffId: number) => listApiTokens(db, staffId),
        revokeAll: (staffId: number, actor: string) => revokeApiTokens(db, staffId, actor),
      },
    },
    outbox: {
      pending: (id: number) => pendingNotification(db, id),
      lease: (id: number, now: Date, leaseMs: number) => leaseNotification(db, id, now, leaseMs),
      markSent: (id: number, platformRef: string | undefined, now?: Date) => markNotificationSent(db, id, platformRef, now),
      recordFailure: (id: number, a: { error: string; nextAttemptAt: Date; giveUp: boolean }) => recordNotificationFailure(db, id, a),
      due: (now: Date, limit?: number) => dueNotifications(db, now, limit),
      summary: () => outboxSummary(db),
      retryFailed: () => retryFailedNotifications(db),
      writeOnce: (drafts: NotificationDraft[], targetsFor: TargetsFor, now?: Date) => writeNotificationsOnce(db, drafts, targetsFor, now),
      conversationOf: (target: string, platformRef: string) => conversationOfPlatformRef(db, target, platformRef),
    },
    desk: {
      list: (a: { view: DeskView; staffId: number; limit?: number }) => listConversations(db, a),
      counts: (staffId: number) => deskCounts(db, staffId),
      search: (q: string, limit?: number) => searchConversations(db, q, limit),
      detail: (id: number) => conversationDetail(db, id),
      board: (now: Date, defaultCap: number) => staffBoard(db, now, defaultCap),
      pickAgent: (now: Date, defaultCap: number) => pickAgent(db, now, defaultCap),
      estimateWait: (now: Date) => estimateWait(db, now),
      waitingSince: (cutoff: Date, limit?: number) => waitingSince(db, cutoff, limit),
      canned: {
        list: () => listCannedReplies(db),
        create: (a: Parameters<typeof createCannedReply>[1]) => createCannedReply(db, a),
        remove: (id: number, staffId: number) => deleteCannedReply(db, id, staffId),
        ensureDefaults: () => ensureDefaultCannedReplies(db),
      },
      /** What staff looked at goes to the audit log too. */
      audit: (staffId: number, action: string, entity: string, entityId: string | number, detail?: Record<string, unknown>) =>
        recordAudit(db, { actor: `staff:${staffId}`, action, entity, entityId, detail }),
    },
  };
}
