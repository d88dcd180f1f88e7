import type { Logger } from 'pino';
import { AppError } from '../../shared/app-error.js';
import type { ChannelLease, ChannelHealthState } from '../../shared/channel-lifecycle.js';
import { MEDIA_TYPES, type MediaStore } from '../../shared/media-types.js';
import type { InboundContent, InboundSink } from '../../shared/message-types.js';
import type { WechatApiClient } from '../wechat-common/wechat-api-client.js';
import { decodeKfMessage, KfSyncResult, SESSION_ENDED, type KfDecoded } from './kf-decode.js';
import type { KfStore } from './kf-store.js';

/** A callback token is good for 10 minutes (published); older ones are not sent. */
const TOKEN_TTL_MS = 10 * 60_000;
/** One puller per kf account in the cluster; another process takes over this long after a crash. */
export const PULL_LEASE_TTL_MS = 30_000;
const MAX_PAGES_PER_PULL = 50;

export interface KfPullerDeps {
  api: WechatApiClient;
  store: KfStore;
  sink: InboundSink;
  media: MediaStore;
  tryLease: (name: string, ttlMs: number) => Promise<ChannelLease | null>;
  corpId: string;
  counters: Record<string, number>;
  report: (state: ChannelHealthState, detail?: string) => void;
  /** Sends replies held for a thread whose customer just wrote. */
  flushHeld: (threadId: string) => Promise<unknown>;
  log: Logger;
  clock: () => Date;
}

/**
 * Pulls an account's messages with `kf/sync_msg` and hands each customer message to the engine's
 * InboundSink — which stores it (deduped on msgid) before this moves the persisted cursor by
 * compare-and-set. A crash anywhere re-reads from the last stored cursor: nothing is lost, and
 * what is read twice is a duplicate the sink ignores. One pull per account in the cluster
 * (lease `pull:<open_kfid>`); a callback that arrives during a pull is picked up before the lease
 * is released (the signal changed), and a restart pulls whatever a stored signal announced.
 */
export class KfPuller {
  /** The signal time each account was last drained for, in this process. */
  private readonly done = new Map<string, number>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly d: KfPullerDeps) {}

  private count(name: string, by = 1): void {
    this.d.counters[name] = (this.d.counters[name] ?? 0) + by;
  }

  /** Pulls unless this process is already pulling the account (then that pull sees the new signal). */
  pull(openKfid: string): Promise<void> {
    const current = this.running.get(openKfid);
    if (current) return current;
    const p = this.pullUnderLease(openKfid).finally(() => this.running.delete(openKfid));
    this.running.set(openKfid, p);
    return p;
  }

  /** Pulls every account whose stored signal is newer than what this process drained (start-up, sweep). */
  async catchUp(): Promise<void> {
    for (const kf of await this.d.store.accounts()) {
      const s = await this.d.store.signal(kf);
      if (s && s.at > (this.done.get(kf) ?? 0)) await this.pull(kf).catch((err: unknown) => this.d.log.warn({ code: (err as AppError).code, err: (err as Error).message }, 'catch-up pull failed'));
    }
  }

  private async pullUnderLease(openKfid: string): Promise<void> {
    for (let round = 0; round < 3; round++) {
      const lease = await this.d.tryLease(`pull:${openKfid}`, PULL_LEASE_TTL_MS);
      if (!lease) {
        // another process pulls this account and re-checks the signal before it lets go
        this.count('pullBusy');
        return;
      }
      try {
        for (;;) {
          const sig = await this.d.store.signal(openKfid);
          await this.drain(openKfid, sig && this.d.clock().getTime() - sig.at < TOKEN_TTL_MS ? sig.token : undefined, lease);
          this.done.set(openKfid, sig?.at ?? 0);
          const after = await this.d.store.signal(openKfid);
          if ((after?.at ?? 0) === (sig?.at ?? 0)) break;
        }
      } finally {
        await lease.release().catch(() => undefined);
      }
      // a callback that came between the last check and the release found the lease taken
      const last = await this.d.store.signal(openKfid);
      if ((last?.at ?? 0) <= (this.done.get(openKfid) ?? 0)) return;
    }
  }

  private async drain(openKfid: string, token: string | undefined, lease: ChannelLease): Promise<void> {
    for (let page = 0; page < MAX_PAGES_PER_PULL; page++) {
      if (lease.lost) throw new AppError('LEASE_LOST', `pull lease of ${openKfid} lost`, { retryable: true });
      const from = await this.d.store.cursor(openKfid);
      const raw = await this.d.api.post('/cgi-bin/kf/sync_msg', { ...(from ? { cursor: from } : {}), ...(token ? { token } : {}), limit: 1000, voice_format: 0, open_kfid: openKfid });
      this.count('pulls');
      const r = KfSyncResult.safeParse(raw);
      if (!r.success || r.data.errcode !== 0) {
        this.d.report('degraded', `kf/sync_msg refused (errcode ${raw.errcode})`);
        throw new AppError('CHANNEL_SEND_FAILED', `kf/sync_msg refused (errcode ${raw.errcode})`, { retryable: true, details: { errcode: raw.errcode } });
      }
      const threads = new Set<string>();
      for (const entry of r.data.msg_list ?? []) {
        const thread = await this.take(decodeKfMessage(entry, { corpId: this.d.corpId, now: this.d.clock() }));
        if (thread) threads.add(thread);
      }
      // every message of the page is stored: only now may the cursor pass it
      if (r.data.next_cursor && r.data.next_cursor !== from && !(await this.d.store.moveCursor(openKfid, from, r.data.next_cursor))) {
        this.count('cursorRaced');
        return;
      }
      for (const t of threads) await this.d.flushHeld(t).catch((err: unknown) => this.d.log.warn({ err: (err as Error).message }, 'flushing held replies failed'));
      if (!r.data.has_more || !r.data.next_cursor) return;
    }
  }

  /** Stores one decoded entry; returns the thread of a customer message. */
  private async take(x: KfDecoded): Promise<string | undefined> {
    if (x.kind === 'skip') {
      this.count('skipped');
      return undefined;
    }
    if (x.kind === 'event') {
      this.count('events');
      // a WeCom agent ended the session: the next message may be answered by shopdesk again
      if (x.eventType === 'session_status_change' && x.changeType === SESSION_ENDED && x.threadId) await this.d.store.clearAgents(x.threadId);
      return undefined;
    }
    const content: InboundContent = x.message.content ?? (x.media ? await this.fetchMedia(x.media, x.message.threadId) : { type: 'unsupported', description: 'an empty message' });
    const r = await this.d.sink.accept({ ...x.message, content });
    this.count(r.duplicate ? 'duplicates' : 'received');
    return x.message.threadId;
  }

  /** A customer's file into the one media store; a file the store refuses is described for staff. */
  private async fetchMedia(m: NonNullable<Extract<KfDecoded, { kind: 'customer' }>['media']>, threadId: string): Promise<InboundContent> {
    const got = await this.d.api.get('/cgi-bin/media/get', { media_id: m.mediaId });
    if (got.errcode !== 0 || !Buffer.isBuffer(got.bytes)) return { type: 'unsupported', description: `a ${m.kind} that could not be fetched (errcode ${got.errcode})` };
    const put = await this.d.media.put({ bytes: got.bytes, declaredType: typeof got.contentType === 'string' ? got.contentType.split(';')[0] : undefined, owner: { channel: 'wecom_kf', threadId, uploadedBy: 'customer' }, allow: MEDIA_TYPES });
    if (!put.ok) return { type: 'unsupported', description: `a ${m.kind} (${Math.ceil(got.bytes.length / 1024)} KB) not kept: ${put.reason}` };
    return { type: 'attachment', kind: m.kind, url: this.d.media.pathOf(put.media.id), mediaId: put.media.id, mimeType: put.media.mimeType, sizeBytes: put.media.sizeBytes };
  }
}
