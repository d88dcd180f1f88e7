import { logger } from '../../shared/logger.js';
import type { StaffNotificationRow, StaffNotifier } from '../../shared/staff-notifier.js';
import { appMessage, audienceOf, WECOM_APP_KINDS, type WecomAudience, type WecomAppMessage } from './wecom-app-cards.js';

const log = logger('wecom-app.notifier');

/** The WeCom user ids bound to the staff a row is for (`shopdesk staff link NAME wecom USERID`), active staff only. */
export type WecomRecipients = (audience: WecomAudience) => Promise<string[]>;

/** The part of the app's API the notifier uses: one message/send. */
export interface WecomAppSender {
  send(touser: string[], message: WecomAppMessage, opts?: { dedupe?: boolean }): Promise<{ msgid?: string; invalidUsers: string[] }>;
}

/** message/send takes at most 1000 recipients at once. */
const MAX_TOUSER = 1000;

/**
 * The WeCom app as a staff notification target (`wecom-app`): each row goes, as one message/send,
 * to the bound WeCom users it is for — new work to the team, escalations to managers, a
 * customer's words to the staff member holding the conversation. Nobody unbound ever gets one.
 * Cards go with WeCom's duplicate check on (their task_id is per row, so only a re-send of the same
 * row matches): a retry after a crash between the send and the row's `sent` does not repeat a card.
 * Text lines do not (a customer may well say "好的" twice); those are at least once, like every
 * staff tool's.
 */
export class WecomAppNotifier implements StaffNotifier {
  readonly target = 'wecom-app';
  readonly kinds = WECOM_APP_KINDS;

  constructor(private readonly deps: { sender: WecomAppSender; recipients: WecomRecipients; publicUrl: string }) {}

  async deliver(row: StaffNotificationRow): Promise<{ platformRef?: string }> {
    const audience = audienceOf(row);
    const message = audience ? appMessage(row, this.deps.publicUrl) : undefined;
    if (!audience || !message) return {};
    const users = [...new Set(await this.deps.recipients(audience))];
    if (!users.length) return {};
    const refs: string[] = [];
    for (let i = 0; i < users.length; i += MAX_TOUSER) {
      const r = await this.deps.sender.send(users.slice(i, i + MAX_TOUSER), message, { dedupe: message.msgtype === 'template_card' });
      // a user who left the company or is outside the app's visible range: the others got it
      if (r.invalidUsers.length) log.warn({ notificationId: row.id, invalid: r.invalidUsers.length }, 'WeCom did not deliver to some bound users (left the company, or outside the app\'s visible range)');
      if (r.msgid) refs.push(r.msgid);
    }
    return refs.length ? { platformRef: refs.join(',').slice(0, 190) } : {};
  }
}
