import type { Logger } from 'pino';
import { AppError } from '../../shared/app-error.js';
import type { ChannelAdapter, ChannelCapabilities, OutboundEnvelope } from '../../shared/message-types.js';
import type { OaApi } from './oa-api.js';
import { OA_TEXT_MAX, oaText, packItems } from './oa-encode.js';
import type { HeldItem, OaStore } from './oa-store.js';

/**
 * Text only (choices arrive as numbered text, answered with "1"/"2"); one message per turn
 * (`mergeReplies`: WeChat counts messages per customer message). `push` for both kinds of
 * account: a staff reply always arrives — an unverified account's (or one outside the 48-hour
 * window) at the customer's next message, and staff get a note saying so.
 */
export const OA_CAPABILITIES: ChannelCapabilities = { choices: false, cards: false, attachments: false, maxTextLength: OA_TEXT_MAX, push: true, mergeReplies: true };

/** Threads are `<appid>:<openid>`: an openid means something only under its account. */
export function oaThreadId(appId: string, openid: string): string {
  return `${appId}:${openid}`;
}

export function openidOf(appId: string, threadId: string): string | undefined {
  return threadId.startsWith(`${appId}:`) ? threadId.slice(appId.length + 1) || undefined : undefined;
}

/** Why a reply is waiting for the customer's next contact, for staff. */
export type HoldReason = 'window_closed' | 'quota' | 'unauthorized' | 'late';

export interface OaDeliveryDeps {
  appId: string;
  verified: boolean;
  store: OaStore;
  api: OaApi;
  counters: Record<string, number>;
  log: Logger;
  clock: () => Date;
  /** Tells staff that a reply waits for the customer's next contact (once per reply). */
  noticeHeld(threadId: string, item: HeldItem, reason: HoldReason): Promise<void>;
}

const count = (c: Record<string, number>, k: string, n = 1) => { c[k] = (c[k] ?? 0) + n; };

/**
 * Sends what waits for one customer through `message/custom/send` (verified accounts): packed
 * into as few messages as fit, each taking one send of the window's quota. Stops — leaving the
 * rest waiting — when the window is closed or used up (by our book-keeping, or WeChat's 45015 /
 * 45047). An outage puts everything not sent back and throws (retryable) for the queue.
 */
export async function flushHeld(deps: OaDeliveryDeps, openid: string): Promise<{ sent: number; waiting: HeldItem[]; reason?: HoldReason }> {
  const items = await deps.store.takeHeld(openid);
  if (!items.length) return { sent: 0, waiting: [] };
  const packs = packItems(items);
  let sent = 0;
  for (let i = 0; i < packs.length; i++) {
    const rest = packs.slice(i).flatMap((p) => p.items);
    if (!(await deps.store.takeSend(openid, deps.clock()))) {
      await deps.store.unTake(openid, rest);
      return { sent, waiting: rest, reason: ((await deps.store.window(openid))?.until ?? 0) > deps.clock().getTime() ? 'quota' : 'window_closed' };
    }
    let outcome;
    try {
      outcome = await deps.api.sendText(openid, packs[i].text);
    } catch (err) {
      await deps.store.unTake(openid, rest);
      count(deps.counters, 'sendFailed');
      throw err;
    }
    if (!outcome.ok) {
      await deps.store.unTake(openid, rest);
      count(deps.counters, `refused_${outcome.reason}`);
      if (outcome.reason === 'window_closed' || outcome.reason === 'quota') await deps.store.closeWindow(openid);
      if (outcome.reason === 'gone') {
        deps.log.info({ errcode: outcome.errcode }, 'customer unfollowed or is not ours: replies wait for a new follow');
        return { sent, waiting: rest, reason: 'window_closed' };
      }
      return { sent, waiting: rest, reason: outcome.reason };
    }
    sent++;
    count(deps.counters, 'sent');
    for (const h of packs[i].items) if (!h.id.startsWith('welcome:')) await deps.store.markDelivery(h.id, 'sent');
  }
  return { sent, waiting: [] };
}

/**
 * The Official Account's ChannelAdapter. The engine delivers at least once, in order per thread;
 * a reply already delivered (passively, or sent) is not sent again.
 *
 * - Verified: the reply joins whatever waits for the customer and goes out through the API
 *   within the 48-hour window and its quota; outside it the reply waits for the customer's next
 *   contact, and staff are told.
 * - Unverified: the callback that is waiting for this reply takes it into its passive answer;
 *   when it comes too late (or a person writes later) it waits for the customer's next contact.
 */
export class OaAdapter implements ChannelAdapter {
  readonly name = 'wechat_oa' as const;
  readonly capabilities = OA_CAPABILITIES;

  constructor(private readonly deps: OaDeliveryDeps) {}

  async send(envelope: OutboundEnvelope): Promise<void> {
    const { deps } = this;
    const openid = openidOf(deps.appId, envelope.threadId);
    if (!openid) throw new AppError('CHANNEL_GONE', 'a WeChat thread of another Official Account (WECHAT_OA_APP_ID changed?)', { retryable: false });
    const item: HeldItem = {
      id: envelope.messageId, text: oaText(envelope.message), at: envelope.createdAt.toISOString(),
      // a bot answer that missed its callback is late; a person's later message is not
      ...(!deps.verified && envelope.message.author?.kind !== 'staff' ? { late: true } : {}),
    };
    if (!deps.verified) {
      // held BEFORE the claim, so a callback that loses the claim to us finds it among the held
      await deps.store.hold(openid, item);
      if (!(await deps.store.claimDelivery(item.id, 'held'))) {
        // the passive answer took it: it must not wait for the next contact as well
        await deps.store.takeHeld(openid, (items) => items.filter((h) => h.id === item.id));
        return;
      }
      count(deps.counters, 'held');
      await deps.noticeHeld(envelope.threadId, item, item.late ? 'late' : 'unauthorized');
      return;
    }
    const mark = await deps.store.delivery(item.id);
    // a retry of a reply already held: its staff note again (idempotent), in case a crash lost it
    if (mark === 'held') await deps.noticeHeld(envelope.threadId, item, 'window_closed');
    if (mark) return;
    await deps.store.hold(openid, item);
    const r = await flushHeld(deps, openid);
    if (r.waiting.some((w) => w.id === item.id)) {
      count(deps.counters, 'held');
      deps.log.info({ reason: r.reason }, 'reply waits for the customer\'s next contact');
      if (await deps.store.claimDelivery(item.id, 'held')) await deps.noticeHeld(envelope.threadId, item, r.reason ?? 'window_closed');
    }
  }
}
