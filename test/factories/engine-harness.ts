import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createCrm, type Crm } from '../../src/crm/index.js';
import { seedShop } from '../../src/crm/seed/index.js';
import { ChannelRegistry } from '../../src/conversation/engine/channel-registry.js';
import { ConversationEngine } from '../../src/conversation/engine/conversation-engine.js';
import { createHandoffBridge } from '../../src/conversation/engine/handoff-bridge.js';
import { createDesk, createStaffNotifiers, deskSettings, type Desk, type DeskConfig } from '../../src/desk/desk-module.js';
import { DESK_TOPIC, type DeskEvent } from '../../src/desk/notifiers/desk-live-notifier.js';
import type { OutboxRetryPolicy } from '../../src/desk/outbox/staff-outbox-dispatcher.js';
import { InProcessMessageBus } from '../../src/shared/message-bus.js';
import type { StaffNotifier } from '../../src/shared/staff-notifier.js';
import { loadKnowledge, type LoadedKnowledge } from '../../src/conversation/engine/knowledge-answerer.js';
import { loadOrTrainClassifier, type IntentPredictor } from '../../src/conversation/nlu/intent-classifier.js';
import type { KnowledgeAnswerer, ShopPolicy } from '../../src/conversation/engine/turn-types.js';
import { createJobQueue } from '../../src/jobs/queue-factory.js';
import type { JobQueue } from '../../src/jobs/job-queue.js';
import type { GroupLock } from '../../src/jobs/group-lock.js';
import type { ChannelAdapter, ChannelCapabilities, ChannelName, InboundContent, InboundSender, OutboundEnvelope, OutboundMessage } from '../../src/shared/message-types.js';
import type { OtpSender } from '../../src/shared/otp-sender.js';
import type { StaffAssistantPort } from '../../src/shared/staff-assistant.js';
import type { LlmAssistant } from '../../src/conversation/llm/llm-assistant.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * A channel that keeps what it is sent: a real ChannelAdapter whose "platform" is an array.
 * `failNext` makes the next sends fail, to exercise retries.
 */
export class RecordingChannel implements ChannelAdapter {
  readonly sent: OutboundEnvelope[] = [];
  failNext = 0;
  constructor(readonly name: ChannelName, readonly capabilities: ChannelCapabilities) {}
  async send(envelope: OutboundEnvelope): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('platform unavailable');
    }
    this.sent.push(envelope);
  }
  forThread(threadId: string): OutboundMessage[] {
    return this.sent.filter((e) => e.threadId === threadId).map((e) => e.message);
  }
}

export const RICH: ChannelCapabilities = { choices: true, cards: true, attachments: true, maxTextLength: 4000 };
export const PLAIN: ChannelCapabilities = { choices: false, cards: false, attachments: false, maxTextLength: 2000 };

export const TEST_POLICY: ShopPolicy = {
  name: 'Demo Shop', timeZone: 'Asia/Shanghai', currency: 'CNY', defaultLocale: 'zh', orderNumberPattern: 'SD\\d{10}',
  returnWindowDays: 7, nonReturnableCategories: ['food', 'personal_care', 'gift_card'],
};

let sharedKnowledge: Promise<LoadedKnowledge> | undefined;
let sharedClassifier: ReturnType<typeof loadOrTrainClassifier> | undefined;

export interface Harness {
  database: TestDatabase;
  crm: Crm;
  engine: ConversationEngine;
  queue: JobQueue;
  web: RecordingChannel;
  plain: RecordingChannel;
  /** A staff channel (Slack-like: platform-verified sender ids), text only. */
  slack: RecordingChannel;
  /** The staff desk on the same database and queue (its service, outbox dispatcher, sweeper). */
  desk: Desk;
  /** What the desk's live inbox received (delivered through the real outbox and bus). */
  deskEvents: DeskEvent[];
  /** Outbox rows for the desk target, oldest first, optionally of one kind. */
  notifications(kind?: string): Promise<{ id: number; kind: string; conversationId: number | null; status: string; payload: Record<string, unknown> }[]>;
  /** A customer on one thread: `send` delivers a message and returns the bot's replies to it. */
  customer(opts?: { channel?: 'web' | 'terminal'; sender?: Partial<InboundSender>; locale?: string; clientKey?: string }): HarnessCustomer;
  close(): Promise<void>;
}

export interface HarnessCustomer {
  threadId: string;
  send(content: string | InboundContent, platformMessageId?: string): Promise<OutboundMessage[]>;
  /** Everything said on the thread so far. */
  transcript(): OutboundMessage[];
}

/** The real engine on a fresh seeded database, an in-process queue, the shop's NLU model and KB. */
export const TEST_DESK_CONFIG: DeskConfig = {
  serviceHours: 'always', timeZone: 'Asia/Shanghai', remindAfterMs: 180_000, escalateAfterMs: 600_000, autoAssign: false, maxChatsPerAgent: 5, sessionHours: 12,
};

export async function createHarness(opts: { queue?: JobQueue; lock?: GroupLock; database?: TestDatabase; seed?: boolean; now?: () => Date; kb?: (real: KnowledgeAnswerer) => KnowledgeAnswerer; desk?: Partial<DeskConfig>; notifiers?: StaffNotifier[]; retry?: Partial<OutboxRetryPolicy>; otp?: OtpSender; webAdapter?: ChannelAdapter; adapters?: ChannelAdapter[]; startWorkers?: boolean; lockTtlMs?: number; staffAssistant?: StaffAssistantPort; llm?: LlmAssistant; classifier?: IntentPredictor } = {}): Promise<Harness> {
  const database = opts.database ?? (await createTestDatabase());
  if (opts.seed !== false) await seedShop(database.db, { customers: 30, orders: 120, seed: 7 });
  const crm = createCrm(database.db);
  sharedClassifier ??= loadOrTrainClassifier({ intentsDir: join(ROOT, 'knowledge-base/intents'), cacheDir: join(ROOT, 'data/cache') });
  sharedKnowledge ??= loadKnowledge(join(ROOT, 'knowledge-base/faq'), { watch: false });
  const [{ classifier }, knowledge] = await Promise.all([sharedClassifier, sharedKnowledge]);
  const made = opts.queue ? undefined : createJobQueue({ attempts: 3, backoffMs: 5, concurrency: 4 });
  const queue = opts.queue ?? made!.queue;
  const lock = opts.lock ?? made?.lock ?? createJobQueue({ attempts: 3, backoffMs: 5, concurrency: 4 }).lock;
  const channels = new ChannelRegistry();
  const web = new RecordingChannel('web', RICH);
  const plain = new RecordingChannel('terminal', PLAIN);
  // a real web adapter (the web chat over its message bus) instead of the recorder, when given
  channels.register(opts.webAdapter ?? web);
  channels.register(plain);
  const slack = new RecordingChannel('slack', PLAIN);
  channels.register(slack);
  // more real adapters (the e-mail channel's SMTP adapter)
  for (const a of opts.adapters ?? []) channels.register(a);
  const bus = new InProcessMessageBus();
  const deskConfig = { ...TEST_DESK_CONFIG, ...opts.desk };
  const registry = createStaffNotifiers(bus, deskConfig, opts.notifiers);
  const deskEvents: DeskEvent[] = [];
  await bus.subscribe(DESK_TOPIC, (e) => deskEvents.push(e as DeskEvent));
  const engine = new ConversationEngine({
    crm, queue, lock, channels, classifier: opts.classifier ?? classifier, kb: opts.kb ? opts.kb(knowledge.answerer) : knowledge.answerer, policy: TEST_POLICY, clock: opts.now, otp: opts.otp, lockTtlMs: opts.lockTtlMs, staffAssistant: opts.staffAssistant, llm: opts.llm,
    handoff: { serviceHours: deskSettings(deskConfig).serviceHours, targetsFor: registry.targetsFor },
  });
  const desk = createDesk({
    crm, queue, bus, registry, config: deskConfig, bridge: createHandoffBridge(), shop: { name: 'Demo Shop', currency: 'CNY' }, uploadMaxBytes: 1024 * 1024,
    retry: { baseMs: 20, maxDelayMs: 200, leaseMs: 2000, ...opts.retry },
    delivery: {
      capabilities: (channel) => channels.get(channel)?.capabilities,
      deliver: (o) => engine.enqueueDelivery({ messageId: o.id, channel: o.channel, threadId: o.threadId, payload: o.payload, createdAt: o.createdAt.toISOString() }),
    },
  });
  desk.dispatcher.start({ concurrency: 4 });
  if (opts.startWorkers !== false) engine.startWorkers({ concurrency: 4 });
  return {
    database, crm, engine, queue, web, plain, slack, desk, deskEvents,
    async notifications(kind) {
      const rows = await database.db.staffNotification.findMany({ where: { target: 'desk', ...(kind ? { kind } : {}) }, orderBy: { id: 'asc' } });
      return rows.map((r) => ({ id: r.id, kind: r.kind, conversationId: r.conversationId, status: r.status, payload: JSON.parse(r.payload) as Record<string, unknown> }));
    },
    customer(c = {}) {
      const channel = c.channel ?? 'web';
      const threadId = `thread-${randomUUID()}`;
      const recorder = channel === 'web' ? web : plain;
      return {
        threadId,
        async send(content, platformMessageId) {
          const before = recorder.forThread(threadId).length;
          await engine.accept({
            channel, platformMessageId: platformMessageId ?? randomUUID(), threadId, receivedAt: new Date(), locale: c.locale, clientKey: c.clientKey,
            sender: { id: c.sender?.id ?? `visitor-${threadId}`, ...c.sender },
            content: typeof content === 'string' ? { type: 'text', text: content } : content,
          });
          await queue.drain(20_000);
          return recorder.forThread(threadId).slice(before);
        },
        transcript: () => recorder.forThread(threadId),
      };
    },
    async close() {
      await desk.stop();
      await queue.close();
      await bus.close();
      await database.destroy();
    },
  };
}

/** All visible text of some replies, for assertions. */
export function textOf(messages: OutboundMessage[]): string {
  return messages.map((m) => (m.type === 'text' ? m.text : m.type === 'choices' ? `${m.text}\n${m.choices.map((c) => c.label).join('\n')}` : m.type === 'image' ? `[image] ${m.caption ?? ''}` : [m.title, m.body, ...(m.fields ?? []).map((f) => `${f.label}: ${f.value}`)].join('\n'))).join('\n');
}

export function choicesOf(messages: OutboundMessage[]): { label: string; payload: string }[] {
  return messages.flatMap((m) => (m.type === 'choices' ? m.choices : m.type === 'card' ? (m.choices ?? []) : []));
}
