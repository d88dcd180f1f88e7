import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { isAppError } from '../../shared/app-error.js';
import type { WechatCallbackCrypto } from '../wechat-common/wechat-callback-crypto.js';
import { EncryptedEnvelope, MAX_CALLBACK_XML_BYTES, parseWechatXml } from '../wechat-common/wechat-xml.js';

/** The decrypted callback: 微信客服 sends one event, `kf_msg_or_event`, carrying a sync token. */
const KfCallback = z.object({
  ToUserName: z.string().optional(),
  MsgType: z.string(),
  Event: z.string().optional(),
  Token: z.string().optional(),
  OpenKfId: z.string().optional(),
});

const SignedQuery = z.object({ msg_signature: z.string().default(''), timestamp: z.string().default(''), nonce: z.string().default(''), echostr: z.string().optional() });

export interface KfCallbackDeps {
  crypto: WechatCallbackCrypto;
  /** Persists the signal (so a crash after the ack still pulls), then returns. */
  signal: (openKfid: string, token: string) => Promise<void>;
  /** Starts the pull; the route does not wait for it. */
  pull: (openKfid: string) => void;
  counters: Record<string, number>;
  log: Logger;
}

/**
 * `GET <path>`: WeCom's URL check (echostr, encrypted) → the plaintext. `POST <path>`: verify,
 * decrypt, persist the signal, answer `success` at once (well inside WeCom's 5 s; never a reply
 * in the callback) and pull with sync_msg afterwards. Forged and stale callbacks get 401, a
 * corrupted one 400 (counted, logged without content); a replay — usually WeCom's own retry of a
 * callback we were slow on — gets `success` and changes nothing.
 */
export function kfCallbackRouter(path: string, d: KfCallbackDeps): Router {
  const router = express.Router();
  const count = (name: string) => { d.counters[name] = (d.counters[name] ?? 0) + 1; };

  const refuse = (res: Response, err: unknown) => {
    if (isAppError(err) && err.code === 'CALLBACK_REPLAYED') {
      count('replayed');
      res.type('text/plain').send('success');
      return;
    }
    const code = isAppError(err) ? err.code : 'INTERNAL';
    const counter = { CALLBACK_FORGED: 'rejectedForged', CALLBACK_STALE: 'rejectedStale', CALLBACK_CORRUPTED: 'rejectedCorrupted' }[code as string] ?? 'callbackErrors';
    count(counter);
    d.log.warn({ code }, 'kf callback refused');
    res.status(isAppError(err) ? err.httpStatus : 500).type('text/plain').send(code === 'INTERNAL' ? 'error' : code.toLowerCase());
  };

  router.get(path, async (req: Request, res: Response) => {
    try {
      const q = SignedQuery.parse(req.query);
      const plain = await d.crypto.open({ signature: q.msg_signature, timestamp: q.timestamp, nonce: q.nonce }, q.echostr ?? '', { replayCheck: false });
      count('urlChecks');
      res.type('text/plain').send(plain);
    } catch (err) {
      refuse(res, err);
    }
  });

  router.post(path, express.text({ type: () => true, limit: MAX_CALLBACK_XML_BYTES }), async (req: Request, res: Response) => {
    try {
      const q = SignedQuery.parse(req.query);
      const env = parseWechatXml(typeof req.body === 'string' ? req.body : '', EncryptedEnvelope);
      const inner = parseWechatXml(await d.crypto.open({ signature: q.msg_signature, timestamp: q.timestamp, nonce: q.nonce }, env.Encrypt), KfCallback);
      count('callbacks');
      if (inner.Event === 'kf_msg_or_event' && inner.OpenKfId && inner.Token) {
        await d.signal(inner.OpenKfId, inner.Token);
        res.type('text/plain').send('success');
        d.pull(inner.OpenKfId);
        return;
      }
      res.type('text/plain').send('success');
    } catch (err) {
      refuse(res, err);
    }
  });
  return router;
}
