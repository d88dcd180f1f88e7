import express from 'express';
import { z } from 'zod';
import type { StaffAuth } from '../desk/auth/staff-auth.js';
import { staffAuthMiddleware, staffOf } from '../desk/auth/staff-auth-middleware.js';
import { AppError } from '../shared/app-error.js';
import type { RateLimiter, RateRule } from '../shared/rate-limiter.js';
import type { AskAnswer } from './ask-query.js';
import type { AskService } from './ask-service.js';

/**
 * `POST /api/staff/ask {question}` for staff: a staff bearer token (`shopdesk staff token NAME`)
 * or a /desk session with its CSRF token — the desk's one staff middleware, so the role and the
 * audit log know who asked. The answer is the `shopdesk ask --json` object; a chart comes inline
 * as base64 PNG (`chart.dataBase64`), so answering never writes a file or a media row.
 */
/** Per staff member: a burst of 20 questions, 60 a minute sustained (a heavy figure costs ~100 ms). */
export const ASK_RATE_RULE: RateRule = { points: 20, perMs: 20_000 };

const AskBody = z.object({ question: z.string().max(20_000) }).strict();

export interface AskHttpAnswer {
  understood: boolean;
  query: AskAnswer['query'];
  text: string;
  result: unknown;
  chart?: { title: string; mimeType: 'image/png'; dataBase64: string };
}

export function toHttpAnswer(a: AskAnswer): AskHttpAnswer {
  return {
    understood: a.understood, query: a.query, text: a.text, result: a.result,
    ...(a.chart ? { chart: { title: a.chart.title, mimeType: 'image/png' as const, dataBase64: a.chart.png.toString('base64') } } : {}),
  };
}

export function createAskRouter(deps: { auth: StaffAuth; assistant: AskService; limiter: RateLimiter; rule?: RateRule; allowedOrigins?: string[]; clock?: () => Date }): express.Router {
  const router = express.Router();
  const authed = staffAuthMiddleware(deps.auth, { allowedOrigins: deps.allowedOrigins ?? [] });
  router.post('/api/staff/ask', authed, express.json({ limit: '64kb' }), async (req, res) => {
    const body = AskBody.safeParse(req.body);
    if (!body.success) throw new AppError('VALIDATION_FAILED', 'body must be {"question": "…"}', { userMessage: 'Send {"question": "…"} as JSON.' });
    const me = staffOf(res);
    const d = await deps.limiter.consume(`ask:staff:${me.staffId}`, deps.rule ?? ASK_RATE_RULE);
    if (!d.allowed) {
      res.setHeader('Retry-After', String(Math.ceil(d.retryAfterMs / 1000)));
      throw new AppError('RATE_LIMITED', 'staff question limit', { userMessage: `Too many questions; try again in ${Math.ceil(d.retryAfterMs / 1000)} s. 提问太频繁，请稍后再试。`, details: { retryAfterMs: d.retryAfterMs } });
    }
    const channel = req.headers.authorization ? 'rest' : 'desk';
    const answer = await deps.assistant.ask(body.data.question, { staff: { id: me.staffId, name: me.name, role: me.role }, channel, now: deps.clock?.() });
    res.setHeader('Cache-Control', 'no-store');
    res.json(toHttpAnswer(answer));
  });
  return router;
}
