import { z } from 'zod';
import type { CatalogEntry, ConversationMode, Crm, NluReviewDraft, NotificationDraft, PlannedTransition } from '../../crm/index.js';
import { isAssertedIdentityKind } from '../../crm/index.js';
import { QUEUE_NAMES } from '../../jobs/queue-names.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { GroupLock } from '../../jobs/group-lock.js';
import { AppError } from '../../shared/app-error.js';
import { databaseOutage } from '../../shared/database-outage.js';
import { logger } from '../../shared/logger.js';
import type { InboundContent, InboundMessage, InboundSink, OutboundMessage, StaffNoteInput, StaffNoteResult } from '../../shared/message-types.js';
import type { OtpSender } from '../../shared/otp-sender.js';
import { renderTurn } from '../../shared/render-for-channel.js';
import { sanitiseDeep } from '../../shared/text-sanitiser.js';
import type { IntentPredictor } from '../nlu/intent-classifier.js';
import { reviewCandidate } from './review-candidate.js';
import type { Lang } from '../replies/reply-texts.js';
import { identityKindOf, type ChannelRegistry } from './channel-registry.js';
import { parseDialogueState, serialiseDialogueState } from './dialogue-state.js';
import { routeTurn } from './dialogue-router.js';
import type { KnowledgeAnswerer, ShopPolicy, TurnResult } from './turn-types.js';
import { languageOf, understand } from './understanding.js';
import { DEFAULT_HANDOFF, handoffNotice, messageFacts, personTurn, planBotTurn, turnDraft, type HandoffSettings } from './handoff-turn.js';
import { enqueueStaffNotifications } from '../../jobs/staff-notify-job.js';
import type { StaffAssistantPort } from '../../shared/staff-assistant.js';
import { staffSenderOf, staffTurn } from './staff-route.js';
import { resolveIdleConversations } from './idle-resolver.js';
import { noteForStaff } from './staff-note.js';
import type { LlmAssistant } from '../llm/llm-assistant.js';

const log = logger('engine');
const MESSAGE_STATUS_QUEUED = 'queued';
/** How long a killed worker can keep a thread blocked; the lease is renewed while a turn runs. */
export const DEFAULT_THREAD_LOCK_TTL_MS = 5_000;
/** Default age after which unfinished work counts as lost by its queue (see requeueStale). */
export const DEFAULT_STALE_MS = 15_000;
/** A re-queue claim is held at least this long (see recover). */
const MIN_CLAIM_HOLD_MS = 2_000;
/** How long a delivery keeps trying to record a send before giving up (a database restart). */
const MARK_SENT_PATIENCE_MS = 60_000;
/** Tries per inbound message before it is set aside as failed (across restarts too). */
export const MAX_MESSAGE_ATTEMPTS = 5;
const CATALOG_TTL_MS = 60_000;

export interface EngineDeps {
  crm: Crm;
  queue: JobQueue;
  lock: GroupLock;
  policy: ShopPolicy;
  /** An IntentClassifier, or a ReloadingClassifier that swaps in a retrained model (shop-training-file.ts). */
  classifier: IntentPredictor;
  kb: KnowledgeAnswerer;
  channels: ChannelRegistry;
  /** Service hours and staff notification targets (default: always open, the desk only). */
  handoff?: HandoffSettings;
  clock?: () => Date;
  /** Sends one-time codes (e-mail over SMTP, SMS); without it the bot does not offer codes. */
  otp?: OtpSender;
  /** TTL of the per-thread lease (default DEFAULT_THREAD_LOCK_TTL_MS). */
  lockTtlMs?: number;
  /** The managers' assistant, for staff who write on a staff channel (see staff-route.ts). */
  staffAssistant?: StaffAssistantPort;
  /** A model for low-confidence messages (intent, grounded FAQ answers); absent = deterministic only. */
  llm?: LlmAssistant;
}

/** What is stored with an inbound message so it can be processed later, in any process. */
const StoredInbound = z.object({
  content: z.custom<InboundContent>((v) => typeof v === 'object' && v !== null && 'type' in v),
  sender: z.object({
    id: z.string(), displayName: z.string().optional(), scope: z.string().optional(),
    verified: z.object({ customerRef: z.string().optional(), phone: z.string().optional(), email: z.string().optional() }).optional(),
    // asserted facts are kept with the message for staff; identity resolution never reads them
    asserted: z.object({ phone: z.string().optional(), email: z.string().optional() }).optional(),
  }),
  locale: z.string().optional(),
  clientKey: z.string().optional(),
  botSilent: z.string().optional(),
});

const InboundJob = z.object({ channel: z.string(), threadId: z.string() });
/** A delivery job carries the stored reply (only its status is read before sending); recovery reads it. */
const OutboundJob = z.object({ messageId: z.number(), channel: z.string(), threadId: z.string(), payload: z.string(), createdAt: z.string() });
type OutboundJobData = z.infer<typeof OutboundJob>;

/** Text of any inbound content, as stored on the message row. */
function contentText(c: InboundContent): string {
  switch (c.type) {
    case 'text': return c.text;
    case 'postback': return c.text ?? c.payload;
    case 'attachment': return c.caption ?? `[${c.kind}]`;
    case 'location': return c.label ?? `[location ${c.latitude},${c.longitude}]`;
    case 'unsupported': return `[${c.description}]`;
  }
}

/** Visible text of an outbound message, stored for history and staff views. */
export function outboundText(m: OutboundMessage): string {
  if (m.type === 'text') return m.text;
  if (m.type === 'choices') return `${m.text}\n${m.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`;
  if (m.type === 'image') return m.caption ? `[image] ${m.caption}` : '[image]';
  return [m.title, m.body, ...(m.fields ?? []).map((f) => `${f.label}: ${f.value}`)].filter(Boolean).join('\n');
}

/**
 * The pipeline every channel feeds: store → enqueue → (worker) dedupe → customer → conversation →
 * human mode? → flow/understand/route → render → commit → deliver. See docs/architecture.md.
 */
export class ConversationEngine implements InboundSink {
  private readonly now: () => Date;
  private catalogCache?: { at: number; items: Promise<CatalogEntry[]> };

  private readonly handoff: HandoffSettings;

  constructor(private readonly deps: EngineDeps) {
    this.now = deps.clock ?? (() => new Date());
    this.handoff = deps.handoff ?? DEFAULT_HANDOFF;
  }

  /**
   * Durably stores the message, then schedules its thread. Safe to call twice with one message.
   * `quiet` tells the channel a person has the thread, so no bot "typing" should show.
   */
  async accept(raw: InboundMessage): Promise<{ messageId: number; duplicate: boolean; quiet: boolean }> {
    // any channel's text must be storable on every provider (no NUL, no lone surrogates)
    const m = sanitiseDeep(raw);
    const stored = await this.deps.crm.messages.storeInbound({
      channel: m.channel, platformMessageId: m.platformMessageId, threadId: m.threadId, senderId: m.sender.id,
      text: contentText(m.content), payload: { content: m.content, sender: m.sender, locale: m.locale, clientKey: m.clientKey, botSilent: m.botSilent }, receivedAt: m.receivedAt,
    });
    await this.scheduleThread(m.channel, m.threadId, stored.messageId);
    const conversation = await this.deps.crm.conversations.byThread(m.channel, m.threadId);
    return { ...stored, quiet: conversation?.mode === 'waiting' || conversation?.mode === 'human' };
  }

  /** A channel tells staff about a thread's conversation: an internal note, idempotent on its key (staff-note.ts). */
  noteForStaff(note: StaffNoteInput): Promise<StaffNoteResult> {
    return noteForStaff({ crm: this.deps.crm, queue: this.deps.queue, targetsFor: this.handoff.targetsFor, now: this.now }, note);
  }

  private async scheduleThread(channel: string, threadId: string, messageId: number, tag = ''): Promise<void> {
    await this.deps.queue.add(QUEUE_NAMES.inbound, { channel, threadId }, { jobId: `in-${messageId}${tag}`, groupKey: `${channel}:${threadId}` });
  }

  /** Starts consuming the inbound and outbound queues (the worker role). */
  startWorkers(opts: { concurrency?: number } = {}): void {
    this.deps.queue.process(QUEUE_NAMES.inbound, async (job) => {
      const { channel, threadId } = InboundJob.parse(job.data);
      await this.processThread(channel, threadId);
    }, opts);
    this.deps.queue.process(QUEUE_NAMES.outbound, async (job) => {
      await this.deliver(OutboundJob.parse(job.data), job.attempt);
    }, opts);
  }

  /**
   * Re-queues unfinished work whose job may be gone: at start-up and from the periodic
   * reconciler. Only work older than `staleMs` counts (its job was lost with Redis's data, ran
   * out of retries, or died with the in-process queue); at start-up with the in-process queue
   * that is everything, since the queue lived in memory. Each row is claimed before it is
   * re-queued, so processes recovering at the same time never re-queue the same work twice.
   */
  async recover(opts: { staleMs?: number; now?: Date } = {}): Promise<{ threads: number; outbound: number }> {
    const { crm } = this.deps;
    const now = opts.now ?? new Date();
    const staleMs = opts.staleMs ?? (this.deps.queue.driver === 'in-process' ? 0 : DEFAULT_STALE_MS);
    const staleBefore = new Date(now.getTime() - staleMs);
    // a claim younger than this is another process re-queueing right now (two workers starting
    // together), whatever `staleMs` says; clocks of a few ms apart must not make it stale
    const claimStaleBefore = new Date(now.getTime() - Math.max(staleMs, MIN_CLAIM_HOLD_MS));
    // fresh job ids: a dead-lettered or completed id would be ignored as a duplicate
    const tag = `-r${now.getTime().toString(36)}`;
    const threads = await crm.messages.claimStaleThreads({ staleBefore, claimStaleBefore, now });
    for (const t of threads) await this.scheduleThread(t.channel, t.threadId, t.firstId, tag);
    const outbound = await crm.messages.claimStaleOutbound({ staleBefore, claimStaleBefore, now });
    for (const o of outbound) await this.enqueueDelivery({ messageId: o.id, channel: o.channel, threadId: o.threadId, payload: o.payload ?? '{}', createdAt: o.createdAt.toISOString() }, tag);
    if (threads.length || outbound.length) log.info({ threads: threads.length, outbound: outbound.length, staleMs }, 're-queued unfinished work');
    return { threads: threads.length, outbound: outbound.length };
  }

  /** The engine's unfinished work, for the periodic reconciler (src/jobs/reconciler.ts). */
  recoverable(): { name: string; recover(c: { now: Date; staleMs: number }): Promise<number> } {
    return {
      name: 'conversation-engine',
      recover: async (c) => {
        const r = await this.recover({ now: c.now, staleMs: c.staleMs });
        return r.threads + r.outbound;
      },
    };
  }

  /** Processes a thread's unprocessed messages in order, one worker per thread at a time. */
  async processThread(channel: string, threadId: string): Promise<void> {
    // Every message has its own job, so one pass suffices: a message stored after this read is
    // picked up by its own job once the lock is free.
    const r = await this.deps.lock.withLock(`thread:${channel}:${threadId}`, this.deps.lockTtlMs ?? DEFAULT_THREAD_LOCK_TTL_MS, async (lease) => {
      for (const row of await this.deps.crm.messages.pendingInbound(channel, threadId)) {
        // a lease that ran out (a long pause) means another worker may own the thread now
        if (lease.lost) throw new AppError('LEASE_LOST', `lease on thread ${channel}:${threadId} expired while processing`, { retryable: true });
        await this.processGuarded(row, lease.fence);
      }
    });
    // another worker holds the thread: it will see our message too, but retry to be sure
    if (!r.acquired) throw new AppError('CONFLICT', `thread ${channel}:${threadId} is busy`, { retryable: true });
  }

  /**
   * A message that fails on every try must not hold its thread up forever: after
   * MAX_MESSAGE_ATTEMPTS it is marked failed (visible in the database and the logs) and the
   * thread moves on. Before that the error propagates and the queue retries with backoff.
   */
  private async processGuarded(row: Awaited<ReturnType<Crm['messages']['pendingInbound']>>[number], fence: number): Promise<void> {
    try {
      await this.processOne(row, fence);
    } catch (err) {
      // not the message's fault: a database outage or a lease handed on; retried without counting
      const outage = databaseOutage(err);
      if (outage) throw outage;
      if (err instanceof AppError && err.code === 'LEASE_LOST') throw err;
      const attempts = row.attempts + 1;
      await this.deps.crm.messages.bumpAttempts(row.id);
      const e = err instanceof AppError ? err : undefined;
      if (attempts >= MAX_MESSAGE_ATTEMPTS || e?.retryable === false) {
        await this.deps.crm.messages.markInboundFailed(row.id, `${e?.code ?? 'INTERNAL'}: ${(err as Error).message}`);
        log.error({ messageId: row.id, attempts, code: e?.code }, 'inbound message failed for good; the thread moves on');
        return;
      }
      throw err;
    }
  }

  private async processOne(row: Awaited<ReturnType<Crm['messages']['pendingInbound']>>[number], fence: number): Promise<void> {
    const { crm } = this.deps;
    const parsed = StoredInbound.safeParse(row.payload ? JSON.parse(row.payload) : null);
    if (!parsed.success) {
      await crm.messages.markInboundFailed(row.id, 'stored payload is not a normalised message');
      return;
    }
    const { content, sender, locale, clientKey, botSilent } = parsed.data;
    // staff on a channel whose sender ids the platform vouches for talk to the assistant, never to customer flows
    const staff = await staffSenderOf(crm, row.channel, sender.id);
    if (staff) {
      const replies = await staffTurn({ assistant: this.deps.staffAssistant, staff, text: row.text, channel: row.channel, capabilities: this.deps.channels.capabilities(row.channel), now: this.now() });
      const { outbound } = await crm.messages.commitAssistantTurn({ inboundId: row.id, channel: row.channel, threadId: row.threadId, replies: replies.map((m) => ({ text: outboundText(m), payload: m })), now: this.now() });
      for (const o of outbound) await this.enqueueDelivery({ messageId: o.id, channel: row.channel, threadId: row.threadId, payload: o.payload, createdAt: o.createdAt.toISOString() });
      return;
    }
    // a known thread already names its customer (merges move conversations along); only a new
    // thread or newly verified facts need identity resolution
    const known = sender.verified ? undefined : await crm.conversations.byThread(row.channel, row.threadId);
    const resolved = known
      ? { customerId: known.customerId }
      : await crm.customers.resolve({ kind: identityKindOf(row.channel, sender.scope), externalId: sender.id, displayName: sender.displayName, locale, verified: sender.verified });
    const conversation = known ?? (await crm.conversations.getOrCreate({ channel: row.channel, threadId: row.threadId, customerId: resolved.customerId }));
    const childLog = log.child({ conversationId: conversation.id, messageId: row.id });
    const now = this.now();
    if (botSilent) {
      // an automatic mail, a bounce, a sender over its limit: kept in the conversation, never answered
      await this.commit(row, conversation, resolved.customerId, { replies: [], flowState: conversation.flowState, transitions: [], drafts: [], now, fence });
      childLog.debug({ reason: botSilent }, 'stored without a bot reply');
      return;
    }
    const state = parseDialogueState(conversation.flowState);
    const fallbackLang: Lang = state.lang ?? (locale?.startsWith('en') ? 'en' : locale?.startsWith('zh') ? 'zh' : this.deps.policy.defaultLocale);
    if (conversation.mode === 'human' || conversation.mode === 'waiting') {
      // a person has it: the bot stays silent (unless the customer leaves the queue) and staff are told
      const lang = row.text ? languageOf(row.text, fallbackLang, Boolean(state.lang)) : fallbackLang;
      const p = await personTurn({ crm, settings: this.handoff, conversation, state, lang, inboundId: row.id, text: row.text, content, now });
      const caps = this.deps.channels.capabilities(row.channel);
      await this.commit(row, conversation, resolved.customerId, { replies: renderTurn(p.replies, caps), flowState: serialiseDialogueState(p.state), transitions: p.transitions, drafts: p.drafts, now, fence });
      childLog.debug({ mode: conversation.mode }, 'a person has the conversation: bot silent');
      return;
    }
    const understandDeps = { classifier: this.deps.classifier, orderNumberPattern: this.deps.policy.orderNumberPattern };
    const u = understand(understandDeps, content, { fallbackLang, langKnown: Boolean(state.lang || locale), lastChoices: state.lastChoices });
    const understandText = (text: string) => understand(understandDeps, { type: 'text', text }, { fallbackLang: u.lang, langKnown: true });
    const capabilities = this.deps.channels.capabilities(row.channel);
    const staffOpen = this.handoff.serviceHours.isOpen(now);
    // an e-mail From: finds its customer for the history, but acts as them only where a link code proved it
    const identityAsserted = isAssertedIdentityKind(identityKindOf(row.channel)) && !sender.verified && !(await crm.customers.identityProvenIn(conversation.id, resolved.customerId, now));
    const prior = { pendingQuestion: state.pendingQuestion, inFlow: Boolean(state.flow) };
    const turn: TurnResult = await routeTurn(
      { crm, policy: this.deps.policy, kb: this.deps.kb, catalog: () => this.catalog(), capabilities, customerId: resolved.customerId, conversationId: conversation.id, inboundId: row.id, now, u, staffOpen, clientKey, signedIn: Boolean(sender.verified?.customerRef), identityAsserted, otp: this.deps.otp, understandText, llm: this.deps.llm },
      state,
    );
    const plan = planBotTurn(conversation, turn, u, now);
    const replies = [...turn.replies];
    const drafts: NotificationDraft[] = [];
    if (turn.handoff) {
      const estimate = turn.handoff.leaveMessage ? undefined : await crm.desk.estimateWait(now);
      replies.push(handoffNotice(u.lang, turn.handoff, { estimate, hours: this.handoff.serviceHours, now }));
      const context = await crm.handoff.context(conversation.id);
      if (context) drafts.push(turnDraft(turn.handoff.leaveMessage ? 'left_message' : 'handoff', row.id, context, plan.current, { message: messageFacts(row.id, row.text, content), actor: { kind: 'customer' }, handoffReason: turn.handoff.reason, now, detail: { reason: turn.handoff.reason } }));
    }
    await this.commit(row, conversation, resolved.customerId, {
      replies: renderTurn(replies, capabilities), flowState: serialiseDialogueState(turn.state), transitions: plan.plans, drafts, now, fence,
      intent: turn.intent, confidence: turn.confidence, feedback: turn.feedback,
      review: reviewCandidate({ predict: (text) => this.deps.classifier.predict(text), orderNumberPattern: this.deps.policy.orderNumberPattern }, u, turn, prior),
    });
    childLog.debug({ intent: turn.intent, transitions: plan.plans.map((p) => p.type) }, 'turn committed');
  }

  /** Commits a turn (replies, flow state, transitions, staff notifications) and queues what it produced. */
  private async commit(
    row: { id: number; channel: string; threadId: string },
    conversation: { id: number; mode: string },
    customerId: number,
    t: { replies: OutboundMessage[]; flowState: string | null; transitions: PlannedTransition[]; drafts: NotificationDraft[]; now: Date; fence: number; intent?: string; confidence?: number; feedback?: TurnResult['feedback']; review?: NluReviewDraft },
  ): Promise<void> {
    const { outbound, notificationIds } = await this.deps.crm.conversations.commitTurn({
      inboundId: row.id, channel: row.channel, threadId: row.threadId, conversationId: conversation.id, customerId, intent: t.intent, confidence: t.confidence,
      flowState: t.flowState, replies: t.replies.map((m) => ({ text: outboundText(m), payload: m })), feedback: t.feedback, review: t.review,
      expectMode: conversation.mode as ConversationMode, transitions: t.transitions, notifications: { drafts: t.drafts, targetsFor: this.handoff.targetsFor }, now: t.now, fence: t.fence,
    });
    for (const o of outbound) await this.enqueueDelivery({ messageId: o.id, channel: row.channel, threadId: row.threadId, payload: o.payload, createdAt: o.createdAt.toISOString() });
    // a crash before this line leaves the rows pending: recovery queues them
    await enqueueStaffNotifications(this.deps.queue, notificationIds);
  }

  /**
   * Resolves bot conversations whose request was finished and in which the customer wrote
   * nothing for `idleMs` (the satisfaction question goes out once). Run by the scheduler in one
   * process of the cluster (main.ts); see idle-resolver.ts.
   */
  resolveIdle(opts: { idleMs: number; now?: Date; limit?: number }): Promise<{ resolved: number }> {
    return resolveIdleConversations({
      crm: this.deps.crm, lock: this.deps.lock, lockTtlMs: this.deps.lockTtlMs ?? DEFAULT_THREAD_LOCK_TTL_MS, textOf: outboundText,
      deliver: (o) => this.enqueueDelivery({ messageId: o.id, channel: o.channel, threadId: o.threadId, payload: o.payload, createdAt: o.createdAt.toISOString() }),
    }, { now: opts.now ?? this.now(), idleMs: opts.idleMs, limit: opts.limit });
  }

  /** The catalog for product questions, re-read at most once a minute. */
  private catalog(): Promise<CatalogEntry[]> {
    if (!this.catalogCache || Date.now() - this.catalogCache.at > CATALOG_TTL_MS) {
      const items = this.deps.crm.products.catalog();
      items.catch(() => { this.catalogCache = undefined; });
      this.catalogCache = { at: Date.now(), items };
    }
    return this.catalogCache.items;
  }

  /** Replies of a thread go out one at a time in order (an order card before the question after it). */
  async enqueueDelivery(job: OutboundJobData, tag = ''): Promise<void> {
    await this.deps.queue.add(QUEUE_NAMES.outbound, job, { jobId: `out-${job.messageId}${tag}`, groupKey: `out:${job.channel}:${job.threadId}` });
  }

  /**
   * Sends one stored reply through its channel and marks it sent. A reply that is no longer
   * `queued` (sent by an earlier copy of this job, or failed for good), or that another worker
   * claimed for sending moments ago, is not sent again. Still
   * at least once: a crash between the send and the mark sends it again after recovery, so
   * channels deliver by message id; a database that is briefly away while marking is waited
   * for here, rather than retrying the whole job (which would send twice).
   */
  async deliver(job: OutboundJobData, attempt = 1): Promise<void> {
    const { crm } = this.deps;
    // With BullMQ two copies of a job can run at once (a stalled job run again while the first
    // still sends): the reply is claimed in storage first, and a claim whose holder died is taken
    // over after the lock TTL. The in-process queue runs a thread's deliveries one at a time, so
    // reading the status is enough there (and spares SQLite a write per reply).
    const claim = await (this.deps.queue.driver === 'in-process'
      ? crm.messages.outboundStatus(job.messageId).then((s) => (s === MESSAGE_STATUS_QUEUED ? 'claimed' : s))
      : crm.messages.claimOutboundForSend(job.messageId, this.deps.lockTtlMs ?? DEFAULT_THREAD_LOCK_TTL_MS)
    ).catch((err: unknown) => { throw databaseOutage(err) ?? err; });
    if (claim === MESSAGE_STATUS_QUEUED) throw new AppError('CONFLICT', `reply ${job.messageId} is being sent by another worker`, { retryable: true });
    if (claim !== 'claimed') {
      log.debug({ messageId: job.messageId, status: claim }, 'reply not queued any more; not sent again');
      return;
    }
    const adapter = this.deps.channels.get(job.channel);
    if (!adapter) throw new AppError('CHANNEL_SEND_FAILED', `no adapter for channel ${job.channel} in this process`, { retryable: true });
    try {
      await adapter.send({ channel: adapter.name, threadId: job.threadId, messageId: String(job.messageId), message: JSON.parse(job.payload) as OutboundMessage, createdAt: new Date(job.createdAt) });
    } catch (err) {
      const e = err instanceof AppError ? err : new AppError('CHANNEL_SEND_FAILED', (err as Error).message, { retryable: true, cause: err });
      // a reply that runs out of retries stays queued and is tried again by the reconciler; the
      // claim goes, so the retry can send at once (if releasing fails, the claim expires anyway)
      if (!e.retryable) await crm.messages.markOutboundFailed(job.messageId, e.message);
      else if (this.deps.queue.driver !== 'in-process') await crm.messages.releaseSendClaim(job.messageId).catch(() => undefined);
      log.warn({ messageId: job.messageId, attempt, code: e.code }, 'delivery failed');
      throw e;
    }
    await this.markSent(job.messageId);
  }

  private async markSent(messageId: number): Promise<void> {
    const deadline = Date.now() + MARK_SENT_PATIENCE_MS;
    for (let wait = 100; ; wait = Math.min(wait * 2, 2_000)) {
      try {
        await this.deps.crm.messages.markOutboundSent(messageId);
        return;
      } catch (err) {
        const outage = databaseOutage(err);
        if (!outage || Date.now() + wait > deadline) throw outage ?? err;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /** For request/response channels (REST): waits until the message's turn is committed, returns its replies. */
  async waitForReplies(messageId: number, timeoutMs = 10_000): Promise<{ id: number; message: OutboundMessage }[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const turn = await this.deps.crm.messages.turnOutcome(messageId);
      if (turn.done) return turn.replies.map((r) => ({ id: r.id, message: JSON.parse(r.payload ?? '{}') as OutboundMessage }));
      if (Date.now() > deadline) throw new AppError('INTERNAL', 'The reply is taking too long; it will still be delivered', { retryable: true, userMessage: 'Still working on it — please check back shortly.' });
      await new Promise((r) => setTimeout(r, 15));
    }
  }
}
