import { randomUUID } from 'node:crypto';
import type { ActionFailure, Actor, ConversationRow, Crm, CustomerMessageDraft, StoredOutbound, TargetsFor, TransitionInput } from '../../crm/index.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { enqueueStaffNotifications } from '../../jobs/staff-notify-job.js';
import type { ChannelCapabilities, OutboundMessage } from '../../shared/message-types.js';
import { renderForChannel } from '../../shared/render-for-channel.js';
import type { StaffPrincipal } from '../auth/staff-auth.js';
import type { CustomerDelivery, DeskSettings, HandoffBridgePort, StaffImageStore } from './desk-ports.js';

/** Failures the desk shows as they are: expected outcomes, not exceptions. */
export type DeskFailure = ActionFailure | { ok: false; code: 'channel_gone' | 'invalid' | 'forbidden'; message: string };
export type DeskOutcome = { ok: true; conversationId: number; duplicate?: boolean; messageId?: number } | DeskFailure;

const MAX_REPLY_CHARS = 4000;

/** Visible text of a message, stored with it for history and search. */
function visibleText(m: OutboundMessage): string {
  if (m.type === 'text') return m.text;
  if (m.type === 'choices') return `${m.text}\n${m.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`;
  if (m.type === 'image') return m.caption ? `[image] ${m.caption}` : '[image]';
  return [m.title, m.body].filter(Boolean).join('\n');
}

const isManager = (s: StaffPrincipal) => s.role === 'manager' || s.role === 'admin';
const acting = (s: StaffPrincipal) => ({ staffId: s.staffId, name: s.name, ...(s.via ? { via: s.via } : {}) });

/**
 * Everything staff do to a conversation, whoever asks (/desk, the CLI through the API, a Slack or
 * Teams adapter through the StaffActionSink): claim, reply, note, transfer, release, resolve. Each
 * is one transaction in the CRM; afterwards the customer's messages and the staff notifications it
 * wrote are queued (a crash in between leaves them for recovery).
 */
export class DeskService {
  constructor(private readonly deps: {
    crm: Crm;
    queue: JobQueue;
    targetsFor: TargetsFor;
    bridge: HandoffBridgePort;
    delivery: CustomerDelivery;
    images?: StaffImageStore;
    settings: DeskSettings;
    now?: () => Date;
  }) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Whether a later message can reach this customer, and what their channel can show. */
  private reach(channel: string): { ok: true; caps: ChannelCapabilities } | { ok: false; message: string } {
    const caps = this.deps.delivery.capabilities(channel);
    if (!caps) return { ok: false, message: `This customer wrote through "${channel}", which is not connected to this shopdesk any more, so nothing can reach them there. Add a note, or contact them another way.` };
    if (caps.push === false) return { ok: false, message: `This customer used the "${channel}" channel, which only receives answers to its own requests, so a staff reply cannot reach them. Add a note, or contact them another way.` };
    return { ok: true, caps };
  }

  private async after(r: { outbound: StoredOutbound[]; notificationIds: number[] }): Promise<void> {
    for (const o of r.outbound) await this.deps.delivery.deliver(o);
    await enqueueStaffNotifications(this.deps.queue, r.notificationIds);
  }

  /** Customer-facing drafts of messages, rendered for the channel; none when it cannot receive them. */
  private drafts(channel: string, messages: OutboundMessage[], fromStaffId?: number): CustomerMessageDraft[] {
    const r = this.reach(channel);
    if (!r.ok) return [];
    return messages.flatMap((m) => renderForChannel(m, r.caps)).map((m) => ({ text: visibleText(m), payload: m, fromStaffId: m.author ? fromStaffId : undefined }));
  }


  private async transition(staff: StaffPrincipal | null, conversationId: number, input: TransitionInput, opts: {
    precondition?: (c: ConversationRow) => { code: 'not_owner' | 'conflict'; message: string } | undefined;
    effects?: (c: ConversationRow, lang: 'zh' | 'en') => { messages: OutboundMessage[]; flowState?: string | null; fromStaffId?: number };
  } = {}): Promise<DeskOutcome> {
    const now = this.now();
    const actor: Actor = staff ? { kind: 'staff', staff: acting(staff) } : { kind: 'system' };
    // read before the transaction: inside it, only its own connection may be used
    const customerLang = (await this.deps.crm.handoff.context(conversationId))?.customer.lang;
    const r = await this.deps.crm.handoff.transition({
      conversationId, input, actor, precondition: opts.precondition, targetsFor: this.deps.targetsFor, now,
      effects: (c) => {
        if (!opts.effects) return { messages: [] };
        const e = opts.effects(c, this.deps.bridge.langOf(c.flowState, customerLang));
        return { messages: this.drafts(c.channel, e.messages, e.fromStaffId), flowState: e.flowState };
      },
    });
    if (!r.ok) return r;
    await this.after(r);
    return { ok: true, conversationId };
  }

  private ownerOnly(staff: StaffPrincipal, verb: string) {
    return (c: ConversationRow) => (c.mode === 'human' && c.assigneeId !== staff.staffId && !isManager(staff)
      ? { code: 'not_owner' as const, message: `Only the staff member who has this conversation (or a manager) can ${verb} it` }
      : undefined);
  }

  claim(staff: StaffPrincipal, conversationId: number): Promise<DeskOutcome> {
    return this.transition(staff, conversationId, { type: 'claim', staffId: staff.staffId }, {
      precondition: (c) => (c.mode === 'human' ? { code: 'conflict', message: c.assigneeId === staff.staffId ? 'You already have this conversation' : 'Someone else already has this conversation' } : undefined),
      effects: (_c, lang) => ({ messages: [this.deps.bridge.joined(lang, staff.name)], fromStaffId: staff.staffId }),
    });
  }

  /** Assigns a waiting conversation to a staff member on the system's behalf (auto-assignment). */
  assign(conversationId: number, to: { staffId: number; name: string }): Promise<DeskOutcome> {
    return this.transition(null, conversationId, { type: 'claim', staffId: to.staffId }, {
      precondition: (c) => (c.mode !== 'waiting' ? { code: 'conflict', message: 'no longer waiting' } : undefined),
      effects: (_c, lang) => ({ messages: [this.deps.bridge.joined(lang, to.name)], fromStaffId: to.staffId }),
    });
  }

  async transfer(staff: StaffPrincipal, conversationId: number, toStaffId: number): Promise<DeskOutcome> {
    const target = await this.deps.crm.staff.get(toStaffId);
    if (!target || !target.active) return { ok: false, code: 'invalid', message: 'Transfer to whom? That staff member does not exist or is deactivated' };
    const name = target.displayName ?? target.name;
    return this.transition(staff, conversationId, { type: 'transfer', staffId: toStaffId }, {
      precondition: this.ownerOnly(staff, 'transfer'),
      effects: (_c, lang) => ({ messages: [this.deps.bridge.joined(lang, name)], fromStaffId: toStaffId }),
    });
  }

  release(staff: StaffPrincipal, conversationId: number): Promise<DeskOutcome> {
    const now = this.now();
    return this.transition(staff, conversationId, { type: 'release' }, {
      precondition: this.ownerOnly(staff, 'release'),
      effects: (c, lang) => this.deps.bridge.released(c.flowState, lang, now),
    });
  }

  resolve(staff: StaffPrincipal, conversationId: number): Promise<DeskOutcome> {
    const now = this.now();
    return this.transition(staff, conversationId, { type: 'resolve', by: 'staff' }, {
      precondition: this.ownerOnly(staff, 'resolve'),
      effects: (c, lang) => this.deps.bridge.resolved(c.flowState, lang, now),
    });
  }

  /** A text reply to the customer. `clientId` (the browser's id for the submit) makes a retry harmless. */
  async reply(staff: StaffPrincipal, conversationId: number, a: { text: string; clientId?: string }): Promise<DeskOutcome> {
    const text = a.text.trim();
    if (!text) return { ok: false, code: 'invalid', message: 'The reply is empty' };
    if ([...text].length > MAX_REPLY_CHARS) return { ok: false, code: 'invalid', message: `The reply is too long (at most ${MAX_REPLY_CHARS} characters); split it in two` };
    return this.send(staff, conversationId, a.clientId, text, { type: 'text', text, author: { kind: 'staff', name: staff.name } });
  }

  /** An image for the customer (JPEG, PNG, GIF or WebP), with an optional caption. */
  async image(staff: StaffPrincipal, conversationId: number, a: { bytes: Buffer; type: string; caption?: string; clientId?: string }): Promise<DeskOutcome> {
    const c = await this.deps.crm.conversations.get(conversationId);
    if (!c) return { ok: false, code: 'not_found', message: `Conversation ${conversationId} not found` };
    if (c.mode !== 'human' || c.assigneeId !== staff.staffId) return { ok: false, code: 'not_owner', message: 'Claim the conversation before sending anything' };
    const reach = this.reach(c.channel);
    if (!reach.ok) return { ok: false, code: 'channel_gone', message: reach.message };
    if (!this.deps.images || !reach.caps.attachments) return { ok: false, code: 'invalid', message: `Images cannot be sent on the "${c.channel}" channel yet; describe it in text` };
    const stored = await this.deps.images.store(c, a.bytes, a.type);
    if (!stored.ok) return { ok: false, code: 'invalid', message: stored.message };
    const caption = a.caption?.trim().slice(0, 500) || undefined;
    return this.send(staff, conversationId, a.clientId, caption ? `[image] ${caption}` : '[image]', { type: 'image', url: stored.url, caption, author: { kind: 'staff', name: staff.name } });
  }

  private async send(staff: StaffPrincipal, conversationId: number, clientId: string | undefined, text: string, payload: OutboundMessage): Promise<DeskOutcome> {
    const c = await this.deps.crm.conversations.get(conversationId);
    if (!c) return { ok: false, code: 'not_found', message: `Conversation ${conversationId} not found` };
    const reach = this.reach(c.channel);
    if (!reach.ok) return { ok: false, code: 'channel_gone', message: reach.message };
    const r = await this.deps.crm.handoff.staffMessage({
      conversationId, staff: acting(staff), clientId: clientId ?? randomUUID(), text, payload, targetsFor: this.deps.targetsFor, now: this.now(),
    });
    if (!r.ok) return r;
    if (!r.duplicate) await this.after({ outbound: [r.outbound], notificationIds: r.notificationIds });
    return { ok: true, conversationId, duplicate: r.duplicate, messageId: r.outbound.id };
  }

  /** An internal note. `clientId` (a staff tool's id for the message) makes a retried delivery harmless. */
  async note(staff: StaffPrincipal, conversationId: number, text: string, opts: { clientId?: string } = {}): Promise<DeskOutcome> {
    const t = text.trim();
    if (!t) return { ok: false, code: 'invalid', message: 'The note is empty' };
    if (t.length > 4000) return { ok: false, code: 'invalid', message: 'The note is too long (at most 4000 characters)' };
    const r = await this.deps.crm.handoff.note({ conversationId, staff: acting(staff), text: t, clientId: opts.clientId, targetsFor: this.deps.targetsFor, now: this.now() });
    if (!r.ok) return r;
    await enqueueStaffNotifications(this.deps.queue, r.notificationIds);
    return { ok: true, conversationId, duplicate: r.duplicate };
  }
}
