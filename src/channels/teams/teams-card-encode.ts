import type { StaffNotificationPayload, StaffNotificationRow } from '../../shared/staff-notifier.js';
import { teamsTexts, type StaffLocale, type TeamsTexts } from './teams-texts.js';

/**
 * Staff notifications as Teams activities (pure; tested in teams-card-encode.test.ts). A handoff
 * (or a message left out of hours) is an Adaptive Card posted as a new channel post, with
 * Claim / Resolve / Release buttons; everything after it is a plain-text reply in that post's
 * thread. Customer words go out as plain text (`textFormat: 'plain'`) and are escaped inside the
 * card's Markdown, so nothing a customer types can format, link or @mention in Teams.
 */

/** The kinds Teams shows (the rest stay in /desk). */
export const TEAMS_KINDS = ['handoff', 'left_message', 'customer_message', 'staff_message', 'note', 'claim', 'transfer', 'release', 'resolve', 'leave_queue', 'reminder', 'escalation'] as const;

/** Kinds that start a post of their own; the others reply in the thread of the conversation's handoff card. */
export const ROOT_KINDS: readonly string[] = ['handoff', 'left_message'];

/** Kinds that may stand alone when the conversation has no card on Teams (sweeps about older chats). */
const STANDALONE_KINDS: readonly string[] = ['reminder', 'escalation'];

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** Teams refuses bot messages over 40 KB (UTF-16); the full text is in /desk. */
const MAX_THREAD_TEXT = 4000;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** What an Action.Submit on our card sends back as `activity.value`. */
export interface CardActionValue { shopdeskAction: 'claim' | 'resolve' | 'release'; conversationId: number }

export interface TeamsActivityOut {
  type: 'message';
  text?: string;
  textFormat?: 'plain' | 'markdown';
  summary?: string;
  attachments?: { contentType: string; content: unknown }[];
}

export interface EncodeOptions {
  locale: StaffLocale;
  /** PUBLIC_URL: adds "Open in /desk" (without it there is no absolute link to give). */
  publicUrl?: string;
}

/**
 * Where a row goes: a new post in the channel, a reply in its card's thread, nowhere yet (its
 * card is not out), or nowhere at all — what an agent wrote in Teams is already in the thread.
 */
export function placement(row: Pick<StaffNotificationRow, 'kind' | 'threadRef' | 'payload'>): 'root' | 'thread' | 'wait' | 'skip' {
  if ((row.kind === 'staff_message' || row.kind === 'note') && row.payload.actor?.via === 'teams') return 'skip';
  if (ROOT_KINDS.includes(row.kind)) return 'root';
  if (row.threadRef) return 'thread';
  return STANDALONE_KINDS.includes(row.kind) ? 'root' : 'wait';
}

/**
 * Backslash-escapes what Adaptive Card Markdown (bold, italic, links) would act on. Only these:
 * escaping more shows stray backslashes on clients with weaker Markdown (older Teams mobile).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_[\]]/g, (c) => `\\${c}`);
}

function fact(title: string, value: string | null | undefined): { title: string; value: string }[] {
  return value ? [{ title, value: escapeMarkdown(value) }] : [];
}

function deskLink(p: StaffNotificationPayload, opts: EncodeOptions): string | undefined {
  return opts.publicUrl ? `${opts.publicUrl.replace(/\/$/, '')}${p.deskPath}` : undefined;
}

/** The handoff card: who, why, how to reach them (masked), and the three buttons. */
export function handoffCard(row: StaffNotificationRow, opts: EncodeOptions): TeamsActivityOut {
  const t = teamsTexts(opts.locale);
  const p = row.payload;
  const c = p.conversation;
  const left = row.kind === 'left_message';
  const title = (left ? t.leftTitle : t.handoffTitle)(p.customer.name);
  const conversationId = c.id;
  const submit = (title: string, shopdeskAction: CardActionValue['shopdeskAction']) => ({ type: 'Action.Submit', title, data: { shopdeskAction, conversationId } satisfies CardActionValue });
  const link = deskLink(p, opts);
  const card = {
    type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.4', msteams: { width: 'Full' },
    body: [
      { type: 'TextBlock', text: escapeMarkdown(title), weight: 'Bolder', size: 'Medium', wrap: true },
      {
        type: 'FactSet',
        facts: [
          ...fact(t.customer, `${p.customer.name} (#${p.customer.id})`),
          ...fact(t.segment, p.customer.segment),
          ...fact(t.phone, p.customer.phoneMasked),
          ...fact(t.email, p.customer.emailMasked),
          ...fact(t.channel, c.channel),
          ...fact(t.reason, c.handoffReason),
          ...fact(t.ticket, c.ticket ? `${c.ticket.number} ${c.ticket.subject}` : null),
          ...fact(t.waitingSince, c.waitingSince),
          ...fact(t.assignee, c.assignee?.name),
        ],
      },
      ...(p.message?.text ? [{ type: 'TextBlock', text: `**${t.lastMessage}:** ${escapeMarkdown(clip(p.message.text, 1000))}`, wrap: true }] : []),
      { type: 'TextBlock', text: escapeMarkdown(t.howTo), wrap: true, isSubtle: true, size: 'Small' },
    ],
    actions: [
      ...(left ? [] : [submit(t.claim, 'claim'), submit(t.resolve, 'resolve'), submit(t.release, 'release')]),
      ...(link ? [{ type: 'Action.OpenUrl', title: t.openDesk, url: link }] : []),
    ],
  };
  return { type: 'message', summary: title, attachments: [{ contentType: ADAPTIVE_CARD, content: card }] };
}

function actorName(p: StaffNotificationPayload, t: TeamsTexts): string {
  if (p.actor?.name) return p.actor.name;
  return p.actor?.kind === 'bot' ? t.theBot : p.actor?.kind === 'system' ? t.system : t.someone;
}

/** One line in the thread for everything that follows the card. */
export function threadText(row: StaffNotificationRow, opts: EncodeOptions): string {
  const t = teamsTexts(opts.locale);
  const p = row.payload;
  const minutes = Number(p.detail?.waitedMinutes ?? 0);
  switch (row.kind) {
    case 'customer_message': return `${t.customerSaid(p.customer.name)} ${p.message?.imageUrl ? `${t.image} ` : ''}${p.message?.text ?? ''}`.trim();
    case 'staff_message': return `${t.staffSaid(p.message?.author ?? actorName(p, t))} ${p.message?.text ?? ''}`.trim();
    case 'note': return `${t.noteBy(p.message?.author ?? actorName(p, t))} ${p.message?.text ?? ''}`.trim();
    case 'claim': return t.claimed(actorName(p, t));
    case 'release': return t.released(actorName(p, t));
    case 'resolve': return t.resolved(actorName(p, t));
    case 'transfer': return t.transferred(actorName(p, t), p.conversation.assignee?.name ?? t.someone);
    case 'leave_queue': return t.leftQueue;
    case 'reminder': return `${t.reminder(minutes)} ${p.customer.name}${p.conversation.handoffReason ? ` — ${p.conversation.handoffReason}` : ''}`;
    case 'escalation': return `${t.escalation(minutes)} ${p.customer.name}${p.conversation.handoffReason ? ` — ${p.conversation.handoffReason}` : ''}`;
    default: return `${row.kind}: ${p.customer.name}`;
  }
}

/** The activity for a row: the card for a root kind, plain text otherwise (with the /desk link when it stands alone). */
export function encodeRow(row: StaffNotificationRow, opts: EncodeOptions): TeamsActivityOut {
  if (ROOT_KINDS.includes(row.kind)) return handoffCard(row, opts);
  const link = !row.threadRef ? deskLink(row.payload, opts) : undefined;
  return { type: 'message', text: `${clip(threadText(row, opts), MAX_THREAD_TEXT)}${link ? `\n${link}` : ''}`, textFormat: 'plain' };
}
