import type { Crm, StoredOutbound } from '../../crm/index.js';
import type { GroupLock } from '../../jobs/group-lock.js';
import { logger } from '../../shared/logger.js';
import type { OutboundMessage } from '../../shared/message-types.js';
import { parseDialogueState, serialiseDialogueState } from './dialogue-state.js';
import { resolveSettled } from './satisfaction.js';

const log = logger('engine.idle');

/** How the "settled" mark looks in a stored dialogue state: the CRM pre-filters on it without reading the state. */
export const SETTLED_MARKER = '"settled":';
/** How often the sweep looks for quiet settled conversations, at most. */
export const IDLE_SWEEP_MAX_INTERVAL_MS = 60_000;

export interface IdleResolverDeps {
  crm: Crm;
  lock: GroupLock;
  lockTtlMs: number;
  /** Queues a stored reply for delivery (the engine's outbound queue). */
  deliver: (o: StoredOutbound) => Promise<void>;
  /** Words of a stored reply for history and staff views. */
  textOf: (m: OutboundMessage) => string;
}

/**
 * The idle sweep: a bot conversation whose request was finished ("settled") and in which the
 * customer wrote nothing more for `idleMs` is resolved by the bot, and the satisfaction question
 * goes out if one is due. Each conversation is handled under its thread's lease, so it never
 * races a turn; a message that arrived meanwhile (processed or still waiting) leaves it open.
 */
export async function resolveIdleConversations(deps: IdleResolverDeps, opts: { now: Date; idleMs: number; limit?: number }): Promise<{ resolved: number }> {
  const before = new Date(opts.now.getTime() - opts.idleMs);
  const quiet = await deps.crm.conversations.quietSettled({ before, marker: SETTLED_MARKER, limit: opts.limit });
  let resolved = 0;
  for (const c of quiet) {
    const r = await deps.lock.withLock(`thread:${c.channel}:${c.threadId}`, deps.lockTtlMs, async () => {
      if ((await deps.crm.messages.pendingInbound(c.channel, c.threadId)).length) return false;
      const outcome = await deps.crm.handoff.transition({
        conversationId: c.id, input: { type: 'resolve', by: 'bot' }, actor: { kind: 'system' }, now: opts.now,
        // nothing for staff to hear about: the bot finished this one on its own
        targetsFor: () => [],
        precondition: (row) => (row.mode !== 'bot' || row.status !== 'open' || row.lastActivityAt >= before || !resolveSettled(parseDialogueState(row.flowState), opts.now, opts.idleMs)
          ? { code: 'conflict', message: 'the conversation moved on meanwhile' } : undefined),
        effects: (row) => {
          const next = resolveSettled(parseDialogueState(row.flowState), opts.now, opts.idleMs);
          return { messages: (next?.messages ?? []).map((m) => ({ text: deps.textOf(m), payload: m })), flowState: next ? serialiseDialogueState(next.state) : row.flowState };
        },
      });
      if (!outcome.ok) return false;
      for (const o of outcome.outbound) await deps.deliver(o);
      return true;
    });
    if (r.acquired && r.value) resolved++;
  }
  if (resolved) log.info({ resolved, idleMs: opts.idleMs }, 'resolved quiet conversations');
  return { resolved };
}
