import type { TurnContext } from 'botbuilder';
import { ASSISTANT_NOT_ENABLED, type AssistantPort } from '../../shared/assistant-port.js';
import { logger } from '../../shared/logger.js';
import type { ExternalStaffAction, StaffActionResult, StaffActionSink, StaffCommand } from '../../shared/staff-notifier.js';
import type { TeamsReferenceStore } from '../../shared/teams-reference-store.js';
import { decodeActivity, parseStaffText, type TeamsUser } from './teams-activity-decode.js';
import type { TeamsTexts } from './teams-texts.js';

const log = logger('teams');

/**
 * Activity ids this process is handling or has handled: Bot Framework re-sends an activity it
 * got no timely answer for, and a repeat must not claim, note or answer twice. A reply is also
 * idempotent in the database (the activity id is its client id), so a repeat reaching another
 * process stores nothing twice either.
 */
export class RecentActivityIds {
  private readonly seen = new Map<string, number>();
  constructor(private readonly ttlMs = 15 * 60_000, private readonly max = 10_000) {}

  /** True the first time an id is offered (until `forget` or the TTL ends). */
  claim(id: string, now = Date.now()): boolean {
    for (const [k, at] of this.seen) {
      if (now - at < this.ttlMs && this.seen.size < this.max) break;
      this.seen.delete(k);
    }
    if (this.seen.has(id)) return false;
    this.seen.set(id, now);
    return true;
  }

  /** Lets a failed activity be tried again when Bot Framework re-sends it. */
  forget(id: string): void {
    this.seen.delete(id);
  }
}

export interface TeamsHandlerDeps {
  sink: StaffActionSink;
  references: TeamsReferenceStore;
  texts: TeamsTexts;
  /** The handoff channel (TEAMS_CHANNEL_ID), named in the greeting on install. */
  channelId: string;
  /** SingleTenant: activities from any other tenant are ignored. */
  tenantId?: string;
  assistant?: AssistantPort;
  recent?: RecentActivityIds;
}

/**
 * The bot's turn: remember where it can post, then act on what an agent did. Every outcome a
 * staff member should know about is said back in the same thread; nothing here ever reaches a
 * customer except through the desk's own operations (the StaffActionSink).
 */
export class TeamsActivityHandler {
  private readonly recent: RecentActivityIds;

  constructor(private readonly deps: TeamsHandlerDeps) {
    this.recent = deps.recent ?? new RecentActivityIds();
  }

  readonly onTurn = async (ctx: TurnContext): Promise<void> => {
    const { inbound, tenantId, reference } = decodeActivity(ctx.activity);
    if (this.deps.tenantId && tenantId !== this.deps.tenantId) {
      log.warn({ activityType: ctx.activity.type }, 'Teams activity from another tenant ignored (the bot is single-tenant)');
      return;
    }
    if (reference) await this.deps.references.save(reference);
    if (inbound.kind === 'ignored') return;
    if (inbound.kind === 'installed') {
      const here = inbound.channelId;
      if (here) await this.say(ctx, this.deps.texts.installed(here, this.deps.channelId, here === this.deps.channelId));
      return;
    }
    if (!this.recent.claim(inbound.activityId)) return;
    try {
      switch (inbound.kind) {
        case 'bad_card_action': return await this.say(ctx, this.deps.texts.unknownAction);
        case 'card_action': {
          const r = await this.perform(inbound.user, inbound.activityId, { conversationId: inbound.action.conversationId }, { type: inbound.action.shopdeskAction });
          // success shows in the thread through the outbox ("✋ Ann took this conversation")
          if (!r.ok) await this.say(ctx, this.deps.texts.actionFailed(r.message));
          return;
        }
        case 'thread_message': {
          if (!inbound.text) return await this.say(ctx, this.deps.texts.emptyReply);
          const cmd = parseStaffText(inbound.text);
          if (!cmd.text) return await this.say(ctx, this.deps.texts.emptyReply);
          const r = await this.perform(inbound.user, inbound.activityId, { platformRef: inbound.rootId }, cmd);
          // a mention in a thread shopdesk did not start is a question, not a customer reply
          if (!r.ok && r.reason === 'unknown_conversation') return await this.ask(ctx, inbound.user, inbound.text);
          if (!r.ok) await this.say(ctx, this.deps.texts.replyFailed(r.message));
          return;
        }
        case 'question':
          return await this.ask(ctx, inbound.user, inbound.text);
      }
    } catch (err) {
      this.recent.forget(inbound.activityId);
      throw err;
    }
  };

  /**
   * Runs a staff command as the linked staff member. Staff are linked by their Entra object id;
   * a link made with the Teams user id (29:…) is honoured too.
   */
  private async perform(user: TeamsUser, activityId: string, conversation: ExternalStaffAction['conversation'], command: StaffCommand): Promise<StaffActionResult> {
    // the object id last, so that a refusal's `staff link` hint names it
    const ids = [...new Set([user.id, user.aadObjectId].filter((x): x is string => Boolean(x)))];
    let r: StaffActionResult | undefined;
    for (const externalStaffId of ids) {
      r = await this.deps.sink.perform({ source: 'teams', externalStaffId, platformMessageId: activityId, conversation, command });
      if (r.ok || r.reason !== 'unknown_staff') return r;
    }
    return r ?? { ok: false, reason: 'unknown_staff', message: 'This Teams user has no id shopdesk can link' };
  }

  /** A staff question for the managers' assistant, which decides whether this asker may ask. */
  private async ask(ctx: TurnContext, user: TeamsUser, question: string): Promise<void> {
    if (!question) return this.say(ctx, this.deps.texts.emptyReply);
    const assistant = this.deps.assistant ?? ASSISTANT_NOT_ENABLED;
    const answer = await assistant.ask(question, { source: 'teams', externalStaffId: user.aadObjectId ?? user.id });
    if (!answer.ok) return this.say(ctx, answer.message);
    await ctx.sendActivity({
      type: 'message', text: answer.text, textFormat: 'markdown',
      // Teams shows a data: URL image inline (bots may send images up to 1 MB this way)
      attachments: answer.chartPng ? [{ contentType: 'image/png', contentUrl: `data:image/png;base64,${Buffer.from(answer.chartPng).toString('base64')}`, name: 'chart.png' }] : undefined,
    });
  }

  private async say(ctx: TurnContext, text: string): Promise<void> {
    await ctx.sendActivity({ type: 'message', text, textFormat: 'plain' });
  }
}
