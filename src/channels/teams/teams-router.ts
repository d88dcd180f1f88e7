import type { CloudAdapter, TurnContext } from 'botbuilder';
import express from 'express';
import { logger } from '../../shared/logger.js';

const log = logger('teams');

/** Bot Framework activities are small; a card submit with inputs stays far below this. */
const BODY_LIMIT = '256kb';

/**
 * POST /api/messages — the bot's messaging endpoint (set it in the Azure Bot's configuration).
 * botbuilder's CloudAdapter checks the Bot Framework JWT (signature against Bot Framework's
 * OpenID keys, issuer, audience = our app id, `serviceurl` claim = the activity's serviceUrl)
 * and answers 401 to anything else, then runs the turn. A request with no bearer token at all is
 * refused here already, without botbuilder printing a stack trace for every scanner on the web.
 */
export function createTeamsRouter(deps: { adapter: CloudAdapter; onTurn: (ctx: TurnContext) => Promise<void> }): express.Router {
  const router = express.Router();
  router.post('/api/messages', express.json({ limit: BODY_LIMIT }), async (req, res) => {
    if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) {
      log.debug('Teams: request without a Bot Framework token refused');
      res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'A Bot Framework bearer token is required' } });
      return;
    }
    await deps.adapter.process(req, res, deps.onTurn);
  });
  return router;
}
