import express, { type Request, type Response } from 'express';
import { isAppError } from '../../shared/app-error.js';
import { logger } from '../../shared/logger.js';
import type { WechatCallbackCrypto } from '../wechat-common/wechat-callback-crypto.js';
import { EncryptedEnvelope, MAX_CALLBACK_XML_BYTES, parseWechatXml } from '../wechat-common/wechat-xml.js';
import { z } from 'zod';
import { decodeAppCallback, type WecomAppInbound } from './wecom-app-decode.js';

const log = logger('wecom-app.callback');

/** The app's "Receive messages" URL is PUBLIC_URL + this path. */
export const WECOM_APP_CALLBACK_PATH = '/wecom/app/callback';

const Query = z.object({ msg_signature: z.string().max(128).default(''), timestamp: z.string().max(20).default(''), nonce: z.string().max(64).default(''), echostr: z.string().max(4096).optional() });
/** The inner XML, one level of string fields; the decoder reads what it knows. */
const Inner = z.record(z.string(), z.unknown());

export interface WecomAppCallbackDeps {
  crypto: WechatCallbackCrypto;
  agentId: number;
  /** Runs what a staff member did; called after the 200 went out. */
  handle: (inbound: Exclude<WecomAppInbound, { kind: 'ignore' }>) => Promise<void>;
  recent?: RecentIds;
}

/** Ids seen lately (MsgId, or user + time + card key for button taps), oldest forgotten first. */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max = 10_000) {}

  /** False when the id was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value!);
    return true;
  }

  forget(id: string): void {
    this.ids.delete(id);
  }
}

function refuse(res: Response, err: unknown): void {
  const code = isAppError(err) ? err.code : 'UNKNOWN';
  // a forged or stale request learns nothing but the status
  const status = code === 'CALLBACK_FORGED' || code === 'CALLBACK_STALE' ? 401 : code === 'CALLBACK_CORRUPTED' ? 400 : 500;
  if (status === 500) log.error({ err: (err as Error).message?.slice(0, 200) }, 'WeCom app callback failed');
  else log.warn({ code }, 'WeCom app callback refused');
  res.status(status).type('text/plain').send('');
}

/**
 * `GET /wecom/app/callback` answers WeCom's URL check (the decrypted `echostr`);
 * `POST` takes a staff member's message or card tap: signature (constant time), timestamp window,
 * decryption and receiver id are checked first (401 / 400), then WeCom gets its empty 200 at once
 * and the message is handled afterwards, so a slow database never makes WeCom retry. A retry that
 * comes anyway — same nonce (a replay: acknowledged, dropped) or same MsgId / card tap (dropped
 * here; a reply or note is also keyed by it in the database, across processes) — acts once.
 */
export function createWecomAppCallbackRouter(deps: WecomAppCallbackDeps): express.Router {
  const router = express.Router();
  const recent = deps.recent ?? new RecentIds();

  router.get(WECOM_APP_CALLBACK_PATH, async (req: Request, res: Response) => {
    const q = Query.safeParse(req.query);
    if (!q.success || !q.data.echostr) return void res.status(400).type('text/plain').send('');
    try {
      const plain = await deps.crypto.open({ signature: q.data.msg_signature, timestamp: q.data.timestamp, nonce: q.data.nonce }, q.data.echostr, { replayCheck: false });
      res.status(200).type('text/plain').send(plain);
    } catch (err) {
      refuse(res, err);
    }
  });

  router.post(WECOM_APP_CALLBACK_PATH, express.text({ type: () => true, limit: MAX_CALLBACK_XML_BYTES }), async (req: Request, res: Response) => {
    const q = Query.safeParse(req.query);
    if (!q.success || typeof req.body !== 'string') return void res.status(400).type('text/plain').send('');
    let xml: string;
    try {
      const envelope = parseWechatXml(req.body, EncryptedEnvelope);
      xml = await deps.crypto.open({ signature: q.data.msg_signature, timestamp: q.data.timestamp, nonce: q.data.nonce }, envelope.Encrypt);
    } catch (err) {
      if (isAppError(err) && err.code === 'CALLBACK_REPLAYED') {
        // the same signed request again: WeCom's own retry, or a replay. Either way: done, once
        res.status(200).type('text/plain').send('');
        return;
      }
      return refuse(res, err);
    }
    res.status(200).type('text/plain').send('');
    setImmediate(() => void process(xml));
  });

  async function process(xml: string): Promise<void> {
    let inbound: WecomAppInbound;
    try {
      inbound = decodeAppCallback(parseWechatXml(xml, Inner), deps.agentId);
    } catch (err) {
      log.warn({ code: isAppError(err) ? err.code : undefined }, 'WeCom app callback did not decode');
      return;
    }
    if (inbound.kind === 'ignore') return void log.debug({ reason: inbound.reason }, 'WeCom app callback ignored');
    if (!recent.add(inbound.id)) return void log.info('WeCom app delivered a message this process already handled; dropped');
    try {
      await deps.handle(inbound);
    } catch (err) {
      // nobody to answer after the ack; let a retry of the same message try again
      recent.forget(inbound.id);
      log.error({ err: (err as Error).message.slice(0, 300), kind: inbound.kind }, 'handling a WeCom app message failed');
    }
  }

  return router;
}
