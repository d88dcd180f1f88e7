import { TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { AppError, isAppError } from '../../shared/app-error.js';
import type { StaffNotificationRow, StaffNotifier } from '../../shared/staff-notifier.js';
import type { TeamsChannelReference, TeamsReferenceStore } from '../../shared/teams-reference-store.js';
import { encodeRow, placement, TEAMS_KINDS, type EncodeOptions } from './teams-card-encode.js';

/** How long to wait before asking again when the bot is not in a team yet. */
const NOT_INSTALLED_RETRY_MS = 60_000;

/** The part of botbuilder's connector client we call (the client's type lives in a package we do not depend on directly). */
interface ConversationsClient { conversations: { sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id?: string }> } }

/** What botbuilder's HTTP pipeline throws (@azure/core-rest-pipeline RestError), as far as we read it. */
interface HttpFailure { statusCode?: number; code?: string; response?: { headers?: { get?(name: string): string | undefined } } }

/** Wraps a connector failure: 429, 5xx, 401 (a stale token) and network errors are retried, Retry-After honoured. */
export function toSendError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const e = err as HttpFailure & Error;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const retryAfterS = Number(e.response?.headers?.get?.('retry-after'));
  const details = Number.isFinite(retryAfterS) && retryAfterS > 0 ? { retryAfterMs: retryAfterS * 1000, status } : { status };
  if (status === undefined) return new AppError('CHANNEL_SEND_FAILED', `Teams unreachable: ${e.code ?? e.message}`, { retryable: true, cause: err, details });
  const retryable = status === 429 || status >= 500 || status === 408 || status === 401;
  const hint = status === 403 || status === 404 ? ' — is the bot installed in the team of TEAMS_CHANNEL_ID, and is that id right?' : '';
  return new AppError('CHANNEL_SEND_FAILED', `Teams answered ${status}${hint}`, { retryable, cause: err, details });
}

/**
 * Posts staff notifications into the configured Teams channel (a StaffNotifier, target `teams`).
 * A handoff becomes an Adaptive Card, posted proactively through the channel's stored reference;
 * what follows replies in that card's thread (`<channel>;messageid=<card id>`). The returned
 * platform ref is Teams' activity id: the card's id names the thread, and an agent's @mention in
 * it is mapped back to the conversation by it.
 */
export class TeamsStaffNotifier implements StaffNotifier {
  readonly target = 'teams';
  readonly kinds = TEAMS_KINDS;

  constructor(private readonly deps: { adapter: CloudAdapter; appId: string; channelId: string; references: TeamsReferenceStore; encode: EncodeOptions }) {}

  async deliver(row: StaffNotificationRow): Promise<{ platformRef?: string }> {
    const where = placement(row);
    if (where === 'skip') return {};
    if (where === 'wait') {
      throw new AppError('CHANNEL_SEND_FAILED', 'Teams: the handoff card of this conversation is not posted yet', { retryable: true });
    }
    const ref = await this.reference();
    const conversationId = where === 'thread' ? `${this.deps.channelId};messageid=${row.threadRef}` : this.deps.channelId;
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams', serviceUrl: ref.serviceUrl,
      conversation: { id: conversationId, isGroup: true, conversationType: 'channel', tenantId: ref.tenantId ?? undefined, name: '' },
      bot: { id: ref.botId, name: ref.botName ?? 'shopdesk' },
    };
    let id: string | undefined;
    try {
      await this.deps.adapter.continueConversationAsync(this.deps.appId, reference, async (ctx) => {
        // straight to the conversation: ctx.sendActivity would make it a reply to the made-up id
        // of botbuilder's continuation event (POST …/activities/<uuid>)
        const activity = TurnContext.applyConversationReference({ ...encodeRow(row, this.deps.encode) }, reference);
        const client = ctx.turnState.get<ConversationsClient>(ctx.adapter.ConnectorClientKey);
        id = (await client.conversations.sendToConversation(conversationId, activity)).id;
      });
    } catch (err) {
      throw toSendError(err);
    }
    if (id) return { platformRef: id };
    // a card without an id could never be replied under; sending it again would post it twice
    if (where === 'root') throw new AppError('CHANNEL_SEND_FAILED', 'Teams accepted the card but returned no activity id', { retryable: false });
    return { platformRef: `teams:${row.id}` };
  }

  /**
   * The configured channel's reference, or — when nobody has spoken to the bot in that channel
   * yet — any channel's: the service URL and tenant are the team's, and the bot may post in
   * every channel of a team it is installed in.
   */
  private async reference(): Promise<TeamsChannelReference> {
    const ref = (await this.deps.references.get(this.deps.channelId)) ?? (await this.deps.references.latest());
    if (!ref) {
      throw new AppError('CHANNEL_SEND_FAILED', 'Teams: the bot has not been installed in a team yet (no conversation reference); install the app in the team of TEAMS_CHANNEL_ID', {
        retryable: true, details: { retryAfterMs: NOT_INSTALLED_RETRY_MS },
      });
    }
    return ref;
  }
}
