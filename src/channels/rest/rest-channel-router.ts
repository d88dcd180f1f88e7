import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.js';
import { isDirectLoopbackCall } from '../../shared/client-address.js';
import type { InboundSink, OutboundMessage } from '../../shared/message-types.js';
import { senderKey, type RateLimiter } from '../../shared/rate-limiter.js';

export interface RestChannelDeps {
  sink: InboundSink & { waitForReplies(id: number, timeoutMs: number): Promise<{ id: number; message: OutboundMessage }[]> };
  /** When set, callers must send `Authorization: Bearer <apiToken>`; when not, only loopback callers are served. */
  apiToken?: string;
  /** How long to wait for the bot's replies before answering 500 INTERNAL (retryable; default 10 s). */
  replyTimeoutMs?: number;
  /** Limits messages per sender (the shop's backend speaks for many customers from one address, so never per IP). */
  limiter?: RateLimiter;
  messagesPerMinute?: number;
}

/**
 * The idempotency key of a REST message: the (sender, messageId) pair, encoded so that no two
 * pairs give the same key (`victim:x` + `1` and `victim` + `x:1` once collided when joined by ":").
 */
export function restPlatformMessageId(sender: string, messageId: string): string {
  return JSON.stringify([sender, messageId]);
}

function slowDown(locale: string | undefined, retryAfterMs: number): string {
  const s = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return /^zh/i.test(locale ?? '') ? `消息发送得太快了，请 ${s} 秒后再试。` : `Too many messages from this sender; please try again in ${s} seconds.`;
}

const MessageBody = z.object({
  sender: z.string().min(1).max(200),
  text: z.string().min(1).max(20_000),
  messageId: z.string().min(1).max(200).optional(),
  locale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, 'must be a language tag like zh-CN or en').optional(),
});

/** Compares hashes so neither the length nor the content of the token leaks through timing. */
function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * POST /api/channels/rest/messages — send a customer message, get the bot's replies in the response.
 * For integrations and scripts; the sender string is the customer's id on this channel.
 */
export function createRestChannelRouter(deps: RestChannelDeps): express.Router {
  const router = express.Router();

  const authorise = (req: Request, _res: Response, next: NextFunction): void => {
    if (deps.apiToken) {
      const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      if (!m || !tokenMatches(m[1], deps.apiToken)) {
        return next(new AppError('UNAUTHORIZED', 'missing or wrong REST channel token', { userMessage: 'Send Authorization: Bearer <REST API token>' }));
      }
      return next();
    }
    // no token configured: only this machine may call (a local script, the CLI). A reverse proxy
    // on this machine also connects from loopback, so a relayed request (X-Forwarded-For,
    // Forwarded, X-Real-IP alone, …) is refused too.
    if (!isDirectLoopbackCall(req)) {
      return next(new AppError('FORBIDDEN', 'REST channel called from a non-loopback address without a token', { userMessage: 'The REST channel only accepts local callers unless an API token is configured' }));
    }
    next();
  };

  router.post('/api/channels/rest/messages', authorise, express.json({ limit: '256kb' }), async (req: Request, res: Response, next: NextFunction) => {
    try {
      const parsed = MessageBody.safeParse(req.body);
      if (!parsed.success) {
        const msg = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
        return next(new AppError('VALIDATION_FAILED', msg, { userMessage: msg }));
      }
      const b = parsed.data;
      if (deps.limiter) {
        const d = await deps.limiter.consume(senderKey('rest:msg', 'rest', b.sender), { points: deps.messagesPerMinute ?? 60, perMs: 60_000 });
        if (!d.allowed) return next(new AppError('RATE_LIMITED', 'REST sender over its message limit', { userMessage: slowDown(b.locale, d.retryAfterMs), details: { retryAfterMs: d.retryAfterMs } }));
      }
      const accepted = await deps.sink.accept({
        channel: 'rest',
        // a client's message id is unique per sender, never across senders
        platformMessageId: restPlatformMessageId(b.sender, b.messageId ?? randomUUID()),
        threadId: b.sender,
        sender: { id: b.sender },
        receivedAt: new Date(),
        content: { type: 'text', text: b.text },
        ...(b.locale ? { locale: b.locale } : {}),
      });
      const replies = await deps.sink.waitForReplies(accepted.messageId, deps.replyTimeoutMs ?? 10_000);
      res.json({ messageId: accepted.messageId, duplicate: accepted.duplicate, replies: replies.map((r) => r.message) });
    } catch (err) {
      next(err);
    }
  });

  return router;
}

export { RestChannelAdapter, REST_CAPABILITIES } from './rest-channel-adapter.js';
