import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../../shared/app-error.js';
import { readLimitedBody } from '../../shared/read-limited-body.js';
import type { WechatCallbackCrypto } from '../wechat-common/wechat-callback-crypto.js';
import { buildWechatXml, EncryptedEnvelope, MAX_CALLBACK_XML_BYTES, parseWechatXml } from '../wechat-common/wechat-xml.js';
import { OaCallbackFields } from './oa-decode.js';
import { passiveTextFields } from './oa-encode.js';
import type { OaCallbackOutcome } from './oa-intake.js';

export interface OaRouterDeps {
  /** Where the platform's "server address (URL)" points, e.g. /wechat/oa/callback. */
  path: string;
  /** `safe`: every POST must be encrypted (a plain one is refused: no downgrade). */
  mode: 'plain' | 'safe';
  crypto: WechatCallbackCrypto;
  take(fields: OaCallbackFields, startedAt: number): Promise<OaCallbackOutcome>;
  counters: Record<string, number>;
  log: Logger;
  clock: () => Date;
}

const REJECTED: Record<string, number> = { CALLBACK_FORGED: 401, CALLBACK_STALE: 401, CALLBACK_CORRUPTED: 400, CALLBACK_REPLAYED: 409 };

function q(req: Request, name: string): string {
  const v = req.query[name];
  return typeof v === 'string' ? v : '';
}

/**
 * The Official Account's callback. GET: the platform's URL check (`signature` over token,
 * timestamp and nonce; `echostr` back). POST: `signature` always checked; in safe mode also
 * `msg_signature` over the ciphertext and the AES payload (receiver = our appid). A callback that
 * fails a check gets 401/400 and a log line naming the check, never the content; a failure of
 * ours (database away) gets 503, so WeChat's retries bring the message again.
 */
export function oaCallbackRouter(deps: OaRouterDeps): Router {
  const router = Router();
  const reject = (res: Response, err: unknown): void => {
    const code = err instanceof AppError ? err.code : 'INTERNAL';
    const status = REJECTED[code];
    if (status) {
      deps.counters[`rejected_${code}`] = (deps.counters[`rejected_${code}`] ?? 0) + 1;
      deps.log.warn({ code, reason: (err as Error).message }, 'WeChat callback rejected');
      res.status(status).type('text/plain').send('rejected');
      return;
    }
    deps.counters.failed = (deps.counters.failed ?? 0) + 1;
    deps.log.error({ code, err: (err as Error).message }, 'WeChat callback not taken; WeChat will retry it');
    res.status(503).type('text/plain').send('retry');
  };

  router.get(deps.path, (req, res) => {
    try {
      deps.crypto.verify({ signature: q(req, 'signature'), timestamp: q(req, 'timestamp'), nonce: q(req, 'nonce') });
      res.type('text/plain').send(q(req, 'echostr'));
    } catch (err) {
      reject(res, err);
    }
  });

  router.post(deps.path, async (req, res) => {
    const startedAt = Date.now();
    try {
      const signed = { timestamp: q(req, 'timestamp'), nonce: q(req, 'nonce') };
      deps.crypto.verify({ signature: q(req, 'signature'), ...signed });
      const body = await readLimitedBody(req, MAX_CALLBACK_XML_BYTES);
      if (!body.ok) throw new AppError('CALLBACK_CORRUPTED', 'callback body too large');
      let xml = body.bytes.toString('utf8');
      if (deps.mode === 'safe') {
        if (q(req, 'encrypt_type') !== 'aes') throw new AppError('CALLBACK_FORGED', 'plain callback while safe mode is configured');
        const envelope = parseWechatXml(xml, EncryptedEnvelope);
        // a replay stores nothing new: messages are deduplicated on MsgId, events on sender + time
        xml = await deps.crypto.open({ signature: q(req, 'msg_signature'), ...signed }, envelope.Encrypt, { replayCheck: false });
      }
      const fields = parseWechatXml(xml, OaCallbackFields);
      const outcome = await deps.take(fields, startedAt);
      res.type('application/xml').send(answer(deps, fields, outcome, signed));
      deps.counters.acked = (deps.counters.acked ?? 0) + 1;
      if (outcome.after) {
        outcome.after().catch((err: unknown) => {
          deps.counters.sendFailed = (deps.counters.sendFailed ?? 0) + 1;
          deps.log.warn({ err: (err as Error).message }, 'sending what waited for the customer failed; it stays waiting');
        });
      }
    } catch (err) {
      reject(res, err);
    }
  });
  return router;
}

/** "success", or the passive reply (sealed in safe mode, with a fresh nonce). */
function answer(deps: OaRouterDeps, fields: OaCallbackFields, outcome: OaCallbackOutcome, signed: { timestamp: string; nonce: string }): string {
  if (!outcome.passive) return 'success';
  const now = deps.clock();
  const reply = buildWechatXml(passiveTextFields(fields.FromUserName, fields.ToUserName, outcome.passive, now));
  if (deps.mode !== 'safe') return reply;
  const sealed = deps.crypto.seal(reply, String(Math.floor(now.getTime() / 1000)), signed.nonce);
  return buildWechatXml({ Encrypt: sealed.Encrypt, MsgSignature: sealed.MsgSignature, TimeStamp: Number(sealed.TimeStamp), Nonce: sealed.Nonce });
}
