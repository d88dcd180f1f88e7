/**
 * The CRM facade: the only module outside src/crm that others import (house style §2).
 * `createCrm(db)` binds every service to one database handle.
 */
import type { Db } from '../db/database-client.js';
import { recordAudit, type AuditEntry } from './audit-log.js';
import { isGuestCustomer, linkVerifiedContacts, mergeCustomers, resolveCustomer, survivingCustomerId, type IdentityInput } from './customers/identity-service.js';
import { identityProvenIn, issueLinkCode, verifyLinkCode, type LinkContact } from './customers/account-link.js';
import { findCustomerByContact, getCustomerProfile, findCustomersByName } from './customers/customer-profile.js';
import { cancelUnpaidOrder, getOrderById, getOrderByNumber, listCustomerOrders } from './orders/order-service.js';
import { checkOrderAccess, type AccessProof } from './orders/order-access.js';
import { issueOrderCode, verifyOrderCode, type ContactKind } from './orders/one-time-codes.js';
import { activeTicketsForOrder, approveRequester, assignTicket, createTicket, getTicket, listCustomerTickets, transitionTicket, type CreateTicketInput } from './tickets/ticket-service.js';
import { commitTurn, getConversation, getConversationByThread, getOrCreateConversation, quietSettledConversations, recentMessages, recordFeedback, setConversationMode, storeStaffReply, type CommitTurnInput } from './conversations/conversation-service.js';
import { bumpAttempts, claimOutboundForSend, releaseSendClaim, claimStaleOutbound, claimStaleThreads, outboundStatus, type RequeueClaimInput, markInboundFailed, markOutboundFailed, markOutboundSent, pendingInbound, storeInbound, threadHistory, threadsWithPending, turnOutcome, unsentOutbound, type StoreInboundInput } from './conversations/message-store.js';
import { getProductBySku, listCatalog } from './products/product-service.js';
import { createWebVisitorStore } from './conversations/web-visitor-store.js';
import { commitAssistantTurn, type AssistantReplyDraft } from './conversations/staff-turn-store.js';
import type { ConversationMode, TicketStatus, OrderStatus, TicketType } from './crm-constants.js';
import { createDeskCrm } from './desk-facade.js';
import { createAnalyticsFacade } from './analytics/analytics-facade.js';
import { createChannelStateStore } from './channel-state/channel-state-store.js';
import { createTeamsReferenceStore } from './staff-tools/teams-references.js';
import { createNluReviewStore } from './nlu-review/nlu-review-store.js';

export * from './crm-constants.js';
export type { OrderView } from './orders/order-service.js';
export type { OrderAccess, OrderAccessVia } from './orders/order-access.js';
export type { ContactKind, IssuedCode } from './orders/one-time-codes.js';
export { isPreShipment } from './orders/order-service.js';
export { ticketNumber, slaDueAt } from './tickets/ticket-service.js';
export { TICKET_TRANSITIONS, canTransition } from './tickets/ticket-state-machine.js';
export { normalisePhone, normaliseEmail, maskPhone } from './customers/contact-normaliser.js';
export type { CustomerProfile } from './customers/customer-profile.js';
export type { IssuedLinkCode, LinkContact, LinkResult } from './customers/account-link.js';
export { LINK_CODE_TTL_MS } from './customers/account-link.js';
export type { CatalogEntry } from './products/product-service.js';
export * from './desk-facade.js';
export * from './analytics/analytics-facade.js';
export { NLU_REVIEW_REASONS, NLU_REVIEW_STATUSES, type NluReviewDraft, type NluReviewItemView, type NluReviewReason, type NluReviewStatus } from './nlu-review/nlu-review-store.js';

export function createCrm(db: Db) {
  return {
    db,
    customers: {
      resolve: (input: IdentityInput) => resolveCustomer(db, input),
      linkVerifiedContacts: (customerId: number, contacts: { email?: string; phone?: string; ref?: string }) => linkVerifiedContacts(db, customerId, contacts),
      merge: (args: { keepId: number; mergeId: number; actor: string; reason?: string }) => mergeCustomers(db, args),
      surviving: (customerId: number) => survivingCustomerId(db, customerId),
      profile: (customerId: number) => getCustomerProfile(db, customerId),
      findByName: (name: string, limit?: number) => findCustomersByName(db, name, limit),
      findByContact: (phoneEmailOrId: string) => findCustomerByContact(db, phoneEmailOrId),
      /** No verified shop subject, e-mail or phone: a guest record, which a link code may fold into a customer. */
      isGuest: (customerId: number) => isGuestCustomer(db, customerId),
      /** A one-time code to a contact on file, to link the sender's channel to that customer (account-link.ts). */
      issueLinkCode: (args: { conversationId: number; senderCustomerId: number; kind: LinkContact['kind']; value: string; clientKey?: string; now?: Date }) => issueLinkCode(db, args),
      verifyLinkCode: (args: { conversationId: number; senderCustomerId: number; code: string; now?: Date }) => verifyLinkCode(db, args),
      /** The conversation proved by a link code that its sender is this customer. */
      identityProvenIn: (conversationId: number, customerId: number, now?: Date) => identityProvenIn(db, conversationId, customerId, now),
    },
    orders: {
      byNumber: (orderNumber: string) => getOrderByNumber(db, orderNumber),
      byId: (id: number) => getOrderById(db, id),
      listForCustomer: (customerId: number, opts?: { limit?: number; statuses?: OrderStatus[] }) => listCustomerOrders(db, customerId, opts),
      checkAccess: (customerId: number, orderNumber: string, proof?: AccessProof) => checkOrderAccess(db, customerId, orderNumber, proof),
      /** One-time codes to the order owner's contact, so they can act at once from a guest chat. */
      issueCode: (args: { conversationId: number; orderNumber: string; kinds: readonly ContactKind[]; now?: Date }) => issueOrderCode(db, args),
      verifyCode: (args: { conversationId: number; orderNumber: string; code: string; now?: Date }) => verifyOrderCode(db, args),
      /** Closes an order that was never paid (no ticket, no refund); refused once it is anything else. */
      cancelUnpaid: (orderId: number, opts: { actor: string; now?: Date }) => cancelUnpaidOrder(db, orderId, opts),
    },
    products: {
      catalog: () => listCatalog(db),
      bySku: (sku: string) => getProductBySku(db, sku),
    },
    tickets: {
      create: (input: CreateTicketInput) => createTicket(db, input),
      transition: (id: number, to: TicketStatus, opts: { actor: string; note?: string; resolution?: string; now?: Date }) => transitionTicket(db, id, to, opts),
      assign: (id: number, staffId: number | null, opts: { actor: string }) => assignTicket(db, id, staffId, opts),
      /** Staff let a ticket of an unverified requester go ahead. */
      approveRequester: (id: number, opts: { actor: string; note?: string; now?: Date }) => approveRequester(db, id, opts),
      listForCustomer: (customerId: number, opts?: { types?: TicketType[]; limit?: number }) => listCustomerTickets(db, customerId, opts),
      get: (id: number) => getTicket(db, id),
      activeForOrder: (orderId: number, types: readonly TicketType[]) => activeTicketsForOrder(db, orderId, types),
    },
    conversations: {
      getOrCreate: (args: { channel: string; threadId: string; customerId: number }) => getOrCreateConversation(db, args),
      get: (id: number) => getConversation(db, id),
      byThread: (channel: string, threadId: string) => getConversationByThread(db, channel, threadId),
      setMode: (id: number, mode: ConversationMode, opts: { actor: string; assigneeId?: number | null }) => setConversationMode(db, id, mode, opts),
      recentMessages: (id: number, limit?: number) => recentMessages(db, id, limit),
      /** Quiet bot conversations the engine marked settled, for its idle sweep. */
      quietSettled: (args: { before: Date; marker: string; limit?: number }) => quietSettledConversations(db, args),
      commitTurn: (turn: CommitTurnInput) => commitTurn(db, turn),
      storeStaffReply: (args: { conversationId: number; staffId: number; text: string; platformMessageId: string }) => storeStaffReply(db, args),
      recordFeedback: (args: { customerId: number; conversationId?: number; ticketId?: number; score: number; comment?: string }) => recordFeedback(db, args),
    },
    messages: {
      storeInbound: (m: StoreInboundInput) => storeInbound(db, m),
      pendingInbound: (channel: string, threadId: string) => pendingInbound(db, channel, threadId),
      threadsWithPending: () => threadsWithPending(db),
      unsentOutbound: () => unsentOutbound(db),
      markInboundFailed: (id: number, error: string) => markInboundFailed(db, id, error),
      bumpAttempts: (id: number) => bumpAttempts(db, id),
      markOutboundSent: (id: number) => markOutboundSent(db, id),
      markOutboundFailed: (id: number, error: string) => markOutboundFailed(db, id, error),
      threadHistory: (channel: string, threadId: string, limit?: number) => threadHistory(db, channel, threadId, limit),
      turnOutcome: (inboundId: number) => turnOutcome(db, inboundId),
      outboundStatus: (id: number) => outboundStatus(db, id),
      claimOutboundForSend: (id: number, claimMs: number) => claimOutboundForSend(db, id, claimMs),
      releaseSendClaim: (id: number) => releaseSendClaim(db, id),
      claimStaleThreads: (c: RequeueClaimInput) => claimStaleThreads(db, c),
      claimStaleOutbound: (c: RequeueClaimInput) => claimStaleOutbound(db, c),
      /** A staff member's turn with the managers' assistant: no customer, no conversation. */
      commitAssistantTurn: (t: { inboundId: number; channel: string; threadId: string; replies: AssistantReplyDraft[]; now?: Date }) => commitAssistantTurn(db, t),
    },
    audit: (entry: AuditEntry) => recordAudit(db, entry),
    /** Read-only figures and lookups for the managers' assistant (issue 9). */
    analytics: createAnalyticsFacade(db),
    /** The web chat's browsers and their threads (src/channels/web/visitor-sessions.ts). */
    webVisitors: createWebVisitorStore(db),
    /** Durable state of one channel (cursors, threads, tokens), shared by every process. */
    channelState: (channel: string) => createChannelStateStore(db, channel),
    /** Where the Teams bot may post: one reference per team channel it has heard from (src/channels/teams/). */
    teamsReferences: createTeamsReferenceStore(db),
    /** Messages the shop may label to teach the classifier its own words (`npx shopdesk nlu review`). */
    nluReview: createNluReviewStore(db),
    // staff desk (issue 7): handoff, staff, outbox, desk
    ...createDeskCrm(db),
  };
}

export type Crm = ReturnType<typeof createCrm>;
