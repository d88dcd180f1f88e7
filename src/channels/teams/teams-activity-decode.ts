import { TurnContext, type Activity } from 'botbuilder';
import { z } from 'zod';
import type { TeamsChannelReference } from '../../shared/teams-reference-store.js';
import type { CardActionValue } from './teams-card-encode.js';

/**
 * What a Bot Framework activity from Teams means to shopdesk (pure; tested against the payloads
 * in __fixtures__/). Teams delivers a channel message to a bot only when it is @mentioned, so a
 * message in the thread of a handoff card is an agent answering that customer, and any other
 * message (a direct chat, a mention elsewhere) is a staff question for the managers' assistant.
 */

export interface TeamsUser {
  /** The Teams user id (`29:…`), specific to this bot. */
  id: string;
  /** The user's Microsoft Entra object id: the same everywhere, and what `shopdesk staff link NAME teams <id>` takes. */
  aadObjectId?: string;
  name?: string;
}

export type TeamsInbound =
  | { kind: 'installed'; channelId: string | null }
  | { kind: 'card_action'; activityId: string; user: TeamsUser; action: CardActionValue }
  | { kind: 'bad_card_action'; activityId: string; user: TeamsUser }
  | { kind: 'thread_message'; activityId: string; user: TeamsUser; rootId: string; text: string }
  | { kind: 'question'; activityId: string; user: TeamsUser; text: string; where: 'personal' | 'groupChat' | 'channel' }
  | { kind: 'ignored'; reason: string };

export interface DecodedActivity {
  inbound: TeamsInbound;
  /** The tenant the activity came from (checked against TEAMS_APP_TENANT_ID). */
  tenantId: string | null;
  /** Set when it came from a team channel: where the bot can post later. */
  reference: Omit<TeamsChannelReference, 'updatedAt'> | null;
}

const Account = z.object({ id: z.string().min(1), name: z.string().optional(), aadObjectId: z.string().optional() });

const ActivitySchema = z.object({
  type: z.string(),
  id: z.string().optional(),
  text: z.string().optional(),
  value: z.unknown().optional(),
  action: z.string().optional(),
  serviceUrl: z.string().url(),
  channelId: z.string(),
  from: Account.optional(),
  recipient: Account,
  conversation: z.object({ id: z.string().min(1), conversationType: z.string().optional(), tenantId: z.string().optional() }),
  membersAdded: z.array(Account).optional(),
  channelData: z.object({
    team: z.object({ id: z.string() }).partial().optional(),
    channel: z.object({ id: z.string() }).partial().optional(),
    tenant: z.object({ id: z.string() }).partial().optional(),
  }).partial().passthrough().optional(),
});

const CardValue = z.object({
  shopdeskAction: z.enum(['claim', 'resolve', 'release']),
  conversationId: z.coerce.number().int().positive(),
});

/** `note:` / `note：` / `备注：` starts an internal note. */
const NOTE = /^(?:note|備註|备注)\s*[:：]\s*/i;

/** A thread's conversation id is `<channel id>;messageid=<id of the thread's first post>`. */
export function splitThreadId(conversationId: string): { channelId: string; rootId: string | null } {
  const [channelId, ...rest] = conversationId.split(';');
  const root = rest.map((p) => /^messageid=(.+)$/.exec(p)?.[1]).find(Boolean);
  return { channelId, rootId: root ?? null };
}

/** Teams puts `&nbsp;` and a few entities into message text; the rest is plain text. */
function cleanText(text: string): string {
  return text.replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();
}

export function parseStaffText(text: string): { type: 'reply' | 'note'; text: string } {
  const m = NOTE.exec(text);
  return m ? { type: 'note', text: text.slice(m[0].length).trim() } : { type: 'reply', text };
}

export function decodeActivity(raw: Partial<Activity> | Record<string, unknown>): DecodedActivity {
  const parsed = ActivitySchema.safeParse(raw);
  if (!parsed.success) return { inbound: { kind: 'ignored', reason: 'not an activity shopdesk reads' }, tenantId: null, reference: null };
  const a = parsed.data;
  const tenantId = a.channelData?.tenant?.id ?? a.conversation.tenantId ?? null;
  const where = a.conversation.conversationType;
  const { channelId: convChannel, rootId } = splitThreadId(a.conversation.id);
  const channelId = where === 'channel' ? (a.channelData?.channel?.id ?? convChannel) : null;
  const reference = channelId && a.channelId === 'msteams'
    ? { channelId, teamId: a.channelData?.team?.id ?? null, tenantId, serviceUrl: a.serviceUrl, botId: a.recipient.id, botName: a.recipient.name ?? null }
    : null;
  const done = (inbound: TeamsInbound): DecodedActivity => ({ inbound, tenantId, reference });

  if (a.channelId !== 'msteams') return done({ kind: 'ignored', reason: `channel ${a.channelId}` });
  if (a.type === 'installationUpdate') return done(a.action?.startsWith('add') ? { kind: 'installed', channelId } : { kind: 'ignored', reason: 'uninstalled' });
  if (a.type === 'conversationUpdate') {
    const botAdded = a.membersAdded?.some((m) => m.id === a.recipient.id);
    return done(botAdded ? { kind: 'installed', channelId } : { kind: 'ignored', reason: 'members changed' });
  }
  if (a.type !== 'message') return done({ kind: 'ignored', reason: `activity type ${a.type}` });
  if (!a.from || !a.id) return done({ kind: 'ignored', reason: 'message without sender or id' });
  if (a.from.id === a.recipient.id) return done({ kind: 'ignored', reason: 'our own message' });
  const user: TeamsUser = { id: a.from.id, aadObjectId: a.from.aadObjectId, name: a.from.name };

  if (a.value !== undefined && a.value !== null && typeof a.value === 'object' && 'shopdeskAction' in a.value) {
    const v = CardValue.safeParse(a.value);
    return done(v.success ? { kind: 'card_action', activityId: a.id, user, action: v.data } : { kind: 'bad_card_action', activityId: a.id, user });
  }
  // removeRecipientMention edits the activity it is given: give it a copy
  const copy = { ...(raw as Partial<Activity>), text: a.text ?? '' };
  const text = cleanText(TurnContext.removeRecipientMention(copy) ?? '');
  if (where === 'channel' && rootId) return done({ kind: 'thread_message', activityId: a.id, user, rootId, text });
  return done({ kind: 'question', activityId: a.id, user, text, where: where === 'personal' || where === 'groupChat' ? where : where === 'channel' ? 'channel' : 'personal' });
}
