import { IMAGE_TYPES, type MediaStore } from '../../shared/media-types.js';
import type { InboundContent, InboundMessage, InboundSink, OutboundMessage } from '../../shared/message-types.js';
import { flushHeld, oaThreadId, type OaDeliveryDeps } from './oa-adapter.js';
import { decodeOaCallback, HANDOFF_PAYLOAD, type MenuAction, type OaCallbackFields, type OaDecoded } from './oa-decode.js';
import { oaText, packItems } from './oa-encode.js';
import type { HeldItem } from './oa-store.js';

const HOUR_MS = 3_600_000;
/** WeChat's grants: a customer message opens 48 hours for N sends; a follow, scan or menu click 1 minute. */
const MESSAGE_WINDOW_MS = 48 * HOUR_MS;
const EVENT_WINDOW_MS = 60_000;
/** An image download must not eat the callback's 5 s. */
const MEDIA_DOWNLOAD_MS = 1_500;

export interface OaIntakeDeps extends OaDeliveryDeps {
  sink: InboundSink;
  media: MediaStore;
  menu: Record<string, MenuAction>;
  welcome: string;
  /** How long an unverified account's callback waits for the engine's reply (under WeChat's 5 s). */
  passiveWaitMs: number;
  messageQuota: number;
  eventQuota: number;
}

/** What the callback answers: a passive text (unverified accounts), or just "success"; then work to do after answering. */
export interface OaCallbackOutcome {
  passive?: string;
  after?: () => Promise<void>;
  /** For health and logs: what happened. */
  result: 'message' | 'duplicate' | 'subscribe' | 'event' | 'late';
}

const count = (c: Record<string, number>, k: string, n = 1) => { c[k] = (c[k] ?? 0) + n; };

async function imageContent(deps: OaIntakeDeps, f: OaCallbackFields, threadId: string, fallback: InboundContent): Promise<InboundContent> {
  if (!f.MediaId) return fallback;
  try {
    const file = await Promise.race([deps.api.media(f.MediaId), new Promise<undefined>((r) => { setTimeout(() => r(undefined), MEDIA_DOWNLOAD_MS).unref(); })]);
    if (!file) return fallback;
    const put = await deps.media.put({ bytes: file.bytes, declaredType: file.contentType, owner: { channel: 'wechat_oa', threadId, uploadedBy: 'customer' }, allow: IMAGE_TYPES });
    if (!put.ok) return { type: 'unsupported', description: `an image that was not kept (${put.reason})` };
    return { type: 'attachment', kind: 'image', url: deps.media.pathOf(put.media.id), mediaId: put.media.id, mimeType: put.media.mimeType, sizeBytes: put.media.sizeBytes };
  } catch (err) {
    // WeChat's own link (valid for days) still lets staff look at it
    deps.log.warn({ err: (err as Error).message }, 'customer image not downloaded; kept WeChat\'s link');
    count(deps.counters, 'mediaFailed');
    return fallback;
  }
}

/**
 * One signature-checked callback (plain or decrypted XML fields) into the engine. Resolves with
 * what to answer WeChat: messages are stored before the answer (so a crash after it loses
 * nothing) and deduplicated (WeChat retries three times), the send window is granted, and
 * - a verified account answers "success" at once; what waits for the customer goes out after;
 * - an unverified account waits up to `passiveWaitMs` for the engine's stored reply and answers
 *   with it (plus anything that waited for this contact); too late, it answers "success", the
 *   conversation goes to a person, and the reply is given at the customer's next message.
 */
export async function takeOaCallback(fields: OaCallbackFields, deps: OaIntakeDeps, startedAt: number): Promise<OaCallbackOutcome> {
  const d: OaDecoded = decodeOaCallback(fields, { menu: deps.menu });
  const now = deps.clock();
  const threadId = oaThreadId(deps.appId, d.openid);
  const grant = (kind: 'message' | 'event') => deps.store.grant(d.openid, now, kind === 'message' ? { quota: deps.messageQuota, periodMs: MESSAGE_WINDOW_MS } : { quota: deps.eventQuota, periodMs: EVENT_WINDOW_MS });
  const flushLater = deps.verified ? { after: async () => { await flushHeld(deps, d.openid); } } : {};

  if (d.kind === 'none' || d.kind === 'subscribe') {
    if (!(await deps.store.firstSight(d.key, now))) {
      count(deps.counters, 'duplicates');
      return { result: 'duplicate' };
    }
    if (d.opensWindow) await grant('event');
    if (d.kind === 'none') {
      // an interaction's callback may carry a passive answer: an unverified account gives what waited for it
      if (!deps.verified && d.opensWindow) return { result: 'event', passive: await passiveText(deps, d.openid, []) };
      return { result: 'event', ...(d.opensWindow ? flushLater : {}) };
    }
    count(deps.counters, 'subscribed');
    const welcome: HeldItem = { id: `welcome:${d.key}`, text: deps.welcome, at: now.toISOString() };
    if (deps.verified) {
      await deps.store.hold(d.openid, welcome);
      return { result: 'subscribe', ...flushLater };
    }
    return { result: 'subscribe', passive: await passiveText(deps, d.openid, [welcome]) };
  }

  const content = d.content.type === 'attachment' && d.content.kind === 'image'
    ? await imageContent(deps, fields, threadId, d.content)
    : d.content;
  const message: InboundMessage = {
    channel: 'wechat_oa', platformMessageId: d.key, threadId, receivedAt: now, content,
    // an openid from a signed callback: the sender's own identity under this account (`wechat_oa:<appid>`)
    sender: { id: d.openid, scope: deps.appId },
  };
  const accepted = await deps.sink.accept(message);
  if (accepted.duplicate) {
    count(deps.counters, 'duplicates');
    return { result: 'duplicate' };
  }
  count(deps.counters, 'received');
  // a menu click is an event for WeChat's quota even though the engine reads it as a message
  await grant(fields.MsgType === 'event' ? 'event' : 'message');
  if (deps.verified) return { result: 'message', ...flushLater };

  if (accepted.quiet || !deps.sink.waitForReplies) {
    // a person has the conversation: the bot says nothing, but what staff wrote meanwhile goes now
    return { result: 'message', passive: await passiveText(deps, d.openid, []) };
  }
  const budget = deps.passiveWaitMs - (Date.now() - startedAt);
  let replies: { id: number; message: OutboundMessage }[] | undefined;
  if (budget > 0) replies = await deps.sink.waitForReplies(accepted.messageId, budget).catch(() => undefined);
  const waited = Date.now() - startedAt;
  deps.counters.passiveWaitMsLast = waited;
  deps.counters.passiveWaitMsMax = Math.max(deps.counters.passiveWaitMsMax ?? 0, waited);
  if (!replies) {
    count(deps.counters, 'passiveLate');
    deps.log.warn({ waitedMs: waited }, 'reply not ready within the passive window: answered "success", handing off');
    // the engine hands off; its answer and the handoff notice wait for the customer's next message
    await deps.sink.accept({
      ...message, platformMessageId: `late:${d.key}`,
      content: { type: 'postback', payload: HANDOFF_PAYLOAD, text: '[回复超时，转人工 / the answer missed WeChat\'s 5 s: handed to a person]' },
    });
    return { result: 'late', passive: await passiveText(deps, d.openid, []) };
  }
  count(deps.counters, 'passiveInTime');
  const fresh: HeldItem[] = [];
  for (const r of replies) {
    // the queue's delivery may have held it a moment ago: then it is among the held ones
    if (await deps.store.claimDelivery(String(r.id), 'passive')) fresh.push({ id: String(r.id), text: oaText(r.message), at: now.toISOString() });
  }
  return { result: 'message', passive: await passiveText(deps, d.openid, fresh) };
}

/**
 * The one message a passive answer can carry: what waited for this contact, then `fresh`,
 * packed; what does not fit waits for the next contact. Undefined when there is nothing to say.
 */
async function passiveText(deps: OaIntakeDeps, openid: string, fresh: HeldItem[]): Promise<string | undefined> {
  const freshIds = new Set(fresh.map((f) => f.id));
  // a reply we claimed may sit among the held for a moment (the adapter holds before it claims)
  const held = (await deps.store.takeHeld(openid)).filter((h) => !freshIds.has(h.id));
  const packs = packItems([...held, ...fresh]);
  if (!packs.length) return undefined;
  const rest = packs.slice(1).flatMap((p) => p.items);
  if (rest.length) {
    await deps.store.unTake(openid, rest.filter((h) => held.includes(h)));
    // under another id: the adapter, finding our claim, removes its own copy by the reply's id
    for (const h of rest.filter((x) => !held.includes(x))) await deps.store.hold(openid, { ...h, id: `${h.id}:rest` });
  }
  count(deps.counters, 'passiveSent');
  return packs[0].text;
}
