import type { Logger } from 'pino';
import { AppError } from '../../shared/app-error.js';
import type { ChannelHealthState } from '../../shared/channel-lifecycle.js';
import type { MediaStore } from '../../shared/media-types.js';
import type { ChannelAdapter, ChannelCapabilities, InboundSink, OutboundEnvelope, OutboundMessage } from '../../shared/message-types.js';
import type { WechatApiClient } from '../wechat-common/wechat-api-client.js';
import { parseKfThreadId } from './kf-decode.js';
import { encodeKfReply, kfMsgId, KF_TEXT_MAX_BYTES, type KfPart } from './kf-encode.js';
import type { KfStore } from './kf-store.js';

/** mergeReplies: WeChat limits the messages per customer message, so a turn goes out in as few sends as possible. */
export const KF_CAPABILITIES: ChannelCapabilities = {
  choices: true, cards: false, attachments: true, maxTextLength: Math.floor(KF_TEXT_MAX_BYTES / 3), push: true, mergeReplies: true,
};

/** send_msg refused because the session may not receive: the 48-hour window closed, or WeCom agents hold it. */
export const ERR_SESSION_CLOSED = 95018;
/** service_state/trans to a state the session may not move to (it is already there, or further). */
const ERR_TRANS_NOT_ALLOWED = 95016;
/** service_state values: 2 = queued for WeCom's agents, 3 = with a WeCom agent. */
const STATE_QUEUED = 2;
const STATE_AGENT = 3;

export type KfHandoffMode = 'shopdesk' | 'wecom';

export interface KfAdapterDeps {
  api: WechatApiClient;
  store: KfStore;
  media: MediaStore;
  modeOf: (openKfid: string) => KfHandoffMode;
  servicerUserId?: string;
  /** Where staff are told about a held reply (the engine's `noteForStaff`); absent = only logged and counted. */
  noteForStaff?: InboundSink['noteForStaff'];
  counters: Record<string, number>;
  report: (state: ChannelHealthState, detail?: string) => void;
  log: Logger;
  clock: () => Date;
}

const MEDIA_PATH = /\/media\/([a-f0-9]{32})/;

/** What staff read in the conversation when a reply is held (an internal note, never sent). */
export const HELD_NOTE = 'A reply could not be sent: the customer\'s WeCom session window is closed (48 hours since their last message, or WeCom agents hold the session). It goes out when they write again.';

/**
 * Sends replies with `kf/send_msg`, our outbound id as its `msgid` (and `sent:<msgid>` in the
 * state, so a retried delivery skips what already went out). A closed window (95018) holds the
 * reply for the customer's next message and tells staff (an internal note on the conversation,
 * one per reply; health `degraded`, counter `held`, a warning); an outage or rate limit is a retryable error (the queue tries again, nothing lost).
 * In `wecom` handoff mode the handoff notice moves the session to WeCom's agents
 * (`service_state/trans`); after that nothing is sent, only recorded.
 */
export class KfAdapter implements ChannelAdapter {
  readonly name = 'wecom_kf' as const;
  readonly capabilities = KF_CAPABILITIES;

  constructor(private readonly d: KfAdapterDeps) {}

  private count(name: string): void {
    this.d.counters[name] = (this.d.counters[name] ?? 0) + 1;
  }

  async send(env: OutboundEnvelope): Promise<void> {
    const t = parseKfThreadId(env.threadId);
    if (!t) throw new AppError('CHANNEL_GONE', `not a kf thread: ${env.threadId}`, { retryable: false });
    if (await this.d.store.withAgents(env.threadId)) {
      // WeCom's own agents have this customer: shopdesk only records (send_msg would be refused)
      this.count('recordedOnly');
      this.d.log.debug({ messageId: env.messageId }, 'session with WeCom agents: reply recorded, not sent');
      return;
    }
    const mode = this.d.modeOf(t.openKfid);
    const parts = encodeKfReply(env.message, { plainHandoff: mode === 'wecom' });
    for (const [i, part] of parts.entries()) {
      const msgid = kfMsgId(env.messageId, i);
      if (await this.d.store.wasSent(msgid)) continue;
      const r = await this.d.api.post('/cgi-bin/kf/send_msg', { touser: t.externalUserId, open_kfid: t.openKfid, msgid, ...(await this.body(part, env)) });
      if (r.errcode === ERR_SESSION_CLOSED) {
        await this.holdForNextContact(env);
        return;
      }
      if (r.errcode !== 0) {
        this.count('sendFailed');
        throw new AppError('CHANNEL_SEND_FAILED', `kf/send_msg refused (errcode ${r.errcode})`, { retryable: false, details: { errcode: r.errcode } });
      }
      await this.d.store.markSent(msgid, this.d.clock());
      this.count('sent');
    }
    if (env.message.handoff && mode === 'wecom') await this.handToAgents(env.threadId, t);
  }

  /** Sends what was held for this thread (the customer just wrote, so the window is open again). */
  async flushHeld(threadId: string): Promise<number> {
    const { raw, items } = await this.d.store.held(threadId);
    if (!raw || !items.length || !(await this.d.store.takeHeld(threadId, raw))) return 0;
    let sent = 0;
    for (const h of items) {
      const env: OutboundEnvelope = { channel: 'wecom_kf', threadId, messageId: h.messageId, message: h.message as OutboundMessage, createdAt: new Date(h.createdAt) };
      try {
        await this.send(env);
        sent++;
      } catch (err) {
        // still not deliverable (an outage): back on the list for the next contact
        await this.d.store.hold(env);
        this.d.log.warn({ messageId: h.messageId, code: (err as AppError).code }, 'held reply not sent yet');
      }
    }
    if (sent) {
      this.d.counters.flushed = (this.d.counters.flushed ?? 0) + sent;
      this.d.log.info({ sent }, 'held replies sent on the customer\'s next contact');
    }
    return sent;
  }

  private async holdForNextContact(env: OutboundEnvelope): Promise<void> {
    const kept = await this.d.store.hold(env);
    this.count('held');
    this.d.report('degraded', 'replies held: a customer\'s session window is closed (sent when they write again)');
    this.d.log.warn({ messageId: env.messageId, kept }, 'kf session window closed: reply held for the customer\'s next contact; staff should follow up');
    if (!kept) throw new AppError('CHANNEL_SEND_FAILED', 'session window closed and the held list is full', { retryable: false });
    // keyed by the reply: a retried delivery or a re-held flush leaves one note
    const noted = await this.d.noteForStaff?.({ channel: 'wecom_kf', threadId: env.threadId, key: `held:${env.messageId}`, kind: 'reply_held', text: HELD_NOTE });
    if (noted && !noted.stored) this.d.log.warn({ messageId: env.messageId }, 'held reply: no conversation on this thread to note it on');
  }

  private async handToAgents(threadId: string, t: { openKfid: string; externalUserId: string }): Promise<void> {
    const to = this.d.servicerUserId ? STATE_AGENT : STATE_QUEUED;
    const r = await this.d.api.post('/cgi-bin/kf/service_state/trans', {
      open_kfid: t.openKfid, external_userid: t.externalUserId, service_state: to, ...(this.d.servicerUserId ? { servicer_userid: this.d.servicerUserId } : {}),
    });
    let state = to;
    if (r.errcode === ERR_TRANS_NOT_ALLOWED) {
      // a retried delivery after the move went through: it is already with the agents
      const now = await this.d.api.post('/cgi-bin/kf/service_state/get', { open_kfid: t.openKfid, external_userid: t.externalUserId });
      state = Number(now.service_state);
      if (state !== STATE_QUEUED && state !== STATE_AGENT) throw new AppError('CHANNEL_SEND_FAILED', `service_state/trans refused in state ${state}`, { retryable: false });
    } else if (r.errcode !== 0) {
      throw new AppError('CHANNEL_SEND_FAILED', `service_state/trans refused (errcode ${r.errcode})`, { retryable: false, details: { errcode: r.errcode } });
    }
    await this.d.store.markWithAgents(threadId, state, this.d.clock());
    this.count('handedToWecom');
    this.d.log.info({ state }, 'session handed to WeCom agents; shopdesk records from now on');
  }

  private async body(part: KfPart, env: OutboundEnvelope): Promise<Record<string, unknown>> {
    if (part.msgtype !== 'image') return part;
    const id = MEDIA_PATH.exec(part.upload.url)?.[1];
    const file = id ? await this.d.media.open(id) : undefined;
    if (!file) throw new AppError('CHANNEL_SEND_FAILED', `image of reply ${env.messageId} is not in the media store`, { retryable: false });
    const up = await this.d.api.upload('/cgi-bin/media/upload', { type: 'image' }, { bytes: file.bytes, filename: file.media.name ?? `image.${file.media.mimeType.split('/')[1]}`, contentType: file.media.mimeType });
    if (up.errcode !== 0 || typeof up.media_id !== 'string') throw new AppError('CHANNEL_SEND_FAILED', `media/upload refused (errcode ${up.errcode})`, { retryable: false });
    return { msgtype: 'image', image: { media_id: up.media_id } };
  }
}
