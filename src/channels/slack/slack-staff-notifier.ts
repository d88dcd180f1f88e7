import type { MediaStore } from '../../shared/media-types.js';
import { MEDIA_ID } from '../../shared/media-types.js';
import { AppError } from '../../shared/app-error.js';
import { logger } from '../../shared/logger.js';
import type { StaffNotificationPayload, StaffNotificationRow, StaffNotifier } from '../../shared/staff-notifier.js';
import { platformError, slackCall, type SlackClient } from './slack-api.js';
import { handoffPost, leftMessagePost, threadLine, UPDATES_PARENT, type RenderOptions } from './slack-blocks.js';
import { clip } from './slack-text.js';

const log = logger('slack.notifier');

type PostArgs = Parameters<SlackClient['chat']['postMessage']>[0];
type UpdateArgs = Parameters<SlackClient['chat']['update']>[0];
type UploadArgs = Parameters<SlackClient['filesUploadV2']>[0];

/** What Slack shows: new work, the conversation as it goes, and the reminders. */
export const SLACK_KINDS = [
  'handoff', 'left_message', 'customer_message', 'staff_message', 'note', 'claim', 'transfer', 'release', 'resolve', 'leave_queue', 'reminder', 'escalation',
] as const;

/** Unmasked contact details for SLACK_SHOW_CONTACT (the composition root reads them from the CRM). */
export type ContactLookup = (customerId: number) => Promise<{ phone: string | null; email: string | null } | undefined>;

export interface SlackNotifierDeps {
  client: SlackClient;
  channelId: string;
  publicUrl?: string;
  showContact: boolean;
  contacts?: ContactLookup;
  /** Where customers' images live, to upload them into the handoff thread. */
  media?: MediaStore;
  /**
   * A row whose conversation has no handoff post (it failed for good, or the handoff came before
   * Slack was configured) is posted on its own after this many tries (default 9: with the outbox's
   * backoff, after about a quarter of an hour — longer than most outages, which delay the handoff post too).
   */
  orphanAfterAttempts?: number;
}

/** Post edits that Slack refuses once a message is gone or too old: the thread line still tells the story. */
const STALE_PARENT = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/**
 * Slack as a staff notification target. A handoff becomes ONE message in SLACK_CHANNEL_ID with the
 * customer summary and Claim / Resolve / Release buttons; its `ts` is the row's platform ref, and
 * every later row of that conversation arrives with it as `threadRef` and is posted in its thread
 * (`thread_ts`). Claims, releases and resolutions also update the handoff message's status line
 * and buttons. Staff replies and notes written in Slack are not echoed back (their row's actor
 * says `via: 'slack'`). Customers' images go into the thread with files.uploadV2.
 */
export class SlackStaffNotifier implements StaffNotifier {
  readonly target = 'slack';
  readonly kinds = SLACK_KINDS;

  constructor(private readonly deps: SlackNotifierDeps) {}

  /** Only the handoff message shows contact details, so only its posts and updates look them up. */
  private async options(kind: string, p: StaffNotificationPayload): Promise<RenderOptions> {
    const shows = kind === 'handoff' || UPDATES_PARENT.includes(kind);
    const contact = shows && this.deps.showContact && this.deps.contacts ? await this.deps.contacts(p.customer.id) : undefined;
    return { publicUrl: this.deps.publicUrl, showContact: this.deps.showContact, contact };
  }

  async deliver(row: StaffNotificationRow): Promise<{ platformRef?: string }> {
    const p = row.payload;
    const o = await this.options(row.kind, p);
    if (row.kind === 'handoff') {
      const ts = await this.post(handoffPost(p, o));
      // the image that caused the handoff goes under it. Its failure must not fail the row: the
      // handoff would be posted twice and its first thread orphaned, so the thread says where to look
      if (p.message?.imageUrl) {
        await this.upload(p.message.imageUrl, ts, p.customer.name).catch(async (err: unknown) => {
          log.warn({ notificationId: row.id, err: (err as Error).message }, 'could not upload the handoff image to Slack; pointing to /desk instead');
          await this.post({ text: ':frame_with_picture: The customer sent an image; it could not be uploaded here, open the conversation in /desk 图片上传失败，请在 /desk 查看' }, ts).catch(() => undefined);
        });
      }
      return { platformRef: ts };
    }
    if (row.kind === 'left_message') return { platformRef: await this.post(leftMessagePost(p, o)) };
    if ((row.kind === 'staff_message' || row.kind === 'note') && p.actor?.via === 'slack') return {};
    const line = threadLine(row.kind, p, o);
    if (!line) return {};
    const threadTs = row.threadRef ?? undefined;
    if (!threadTs) {
      // the handoff post is not out yet: wait for it, unless it never will be (it failed for good)
      if (row.attempts < (this.deps.orphanAfterAttempts ?? 9)) throw new AppError('CHANNEL_SEND_FAILED', `Slack: the handoff post of conversation ${row.conversationId} is not out yet`, { retryable: true });
      log.warn({ notificationId: row.id, conversationId: row.conversationId }, 'no Slack handoff post for this conversation; posting the notification on its own');
    }
    if (threadTs && UPDATES_PARENT.includes(row.kind)) await this.updateParent(threadTs, p, o);
    if (row.kind === 'customer_message' && p.message?.imageUrl) {
      return { platformRef: await this.upload(p.message.imageUrl, threadTs, p.customer.name, line) };
    }
    // an escalation is also shown in the channel, where managers see it without opening the thread
    return { platformRef: await this.post({ text: clip(line, 3900) }, threadTs, row.kind === 'escalation') };
  }

  private async post(m: { text: string; blocks?: unknown[] }, threadTs?: string, broadcast = false): Promise<string> {
    const args = {
      channel: this.deps.channelId, text: m.text, ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs, ...(broadcast ? { reply_broadcast: true } : {}) } : {}),
      unfurl_links: false, unfurl_media: false,
    } as PostArgs;
    const r = await slackCall('chat.postMessage', () => this.deps.client.chat.postMessage(args));
    if (!r.ts) throw new AppError('CHANNEL_SEND_FAILED', 'Slack chat.postMessage answered without a ts', { retryable: true });
    return r.ts;
  }

  /** Shows the new state on the handoff message itself (status line, buttons). */
  private async updateParent(ts: string, p: StaffNotificationPayload, o: RenderOptions): Promise<void> {
    try {
      await this.deps.client.chat.update({ channel: this.deps.channelId, ts, ...handoffPost(p, o) } as UpdateArgs);
    } catch (err) {
      if (STALE_PARENT.has(platformError(err) ?? '')) return;
      await slackCall('chat.update', () => Promise.reject(err));
    }
  }

  /** Uploads a customer's image (a media-store object) into the thread; its file id is the ref. */
  private async upload(url: string, threadTs: string | undefined, customerName: string, comment?: string): Promise<string> {
    const id = /\/media\/([a-f0-9]{32})(?:[?#].*)?$/.exec(url)?.[1];
    const found = id && MEDIA_ID.test(id) && this.deps.media ? await this.deps.media.open(id) : undefined;
    if (!found) {
      // not in the store (erased, or a link from elsewhere): say so rather than fail forever
      return this.post({ text: `${comment ?? `:frame_with_picture: ${customerName}`} (image not available 图片不可用)` }, threadTs);
    }
    const ext = found.media.mimeType.split('/')[1] ?? 'img';
    const args = {
      channel_id: this.deps.channelId, ...(threadTs ? { thread_ts: threadTs } : {}), file: found.bytes, filename: `customer-image-${found.media.id.slice(0, 8)}.${ext}`,
      title: 'Customer image 客户图片', ...(comment ? { initial_comment: clip(comment, 3900) } : {}),
    } as UploadArgs;
    const r = await slackCall('files.uploadV2', () => this.deps.client.filesUploadV2(args));
    const fileId = (r.files as { files?: { id?: string }[] }[] | undefined)?.[0]?.files?.[0]?.id;
    return fileId ? `file:${fileId}` : `file:${found.media.id}`;
  }
}
