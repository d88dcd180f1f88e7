import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../shared/app-error.js';
import type { AuthorizeStaff } from '../shared/media-types.js';
import type { FileMediaStore } from './file-media-store.js';

/**
 * GET /media/:id — the one way media bytes leave shopdesk. Readable with a live URL token made
 * for this object (the thread's customer, or staff), or by a staff member the desk's
 * `authorizeStaff` recognises. Everyone else gets the same 404 as for an id that does not exist.
 */
export function createMediaRouter(deps: { media: FileMediaStore; authorizeStaff?: AuthorizeStaff }): express.Router {
  const router = express.Router();
  router.get('/media/:id', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const notFound = new AppError('NOT_FOUND', 'no such media', { userMessage: 'No such file' });
      const media = await deps.media.get(String(req.params.id));
      if (!media) return next(notFound);
      const token = typeof req.query.t === 'string' ? req.query.t : undefined;
      const allowed = deps.media.tokenGrants(media, token) || (deps.authorizeStaff ? (await deps.authorizeStaff(req)) !== undefined : false);
      if (!allowed) return next(notFound);
      const opened = await deps.media.open(media.id);
      if (!opened) return next(notFound);
      res.setHeader('Content-Type', media.mimeType);
      res.setHeader('Content-Length', String(opened.bytes.length));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
      res.setHeader('Referrer-Policy', 'no-referrer');
      // never cached by shared caches, and not kept past the life of the token that opened it
      res.setHeader('Cache-Control', 'private, max-age=600');
      res.setHeader('Content-Disposition', media.mimeType.startsWith('image/') ? 'inline' : `attachment; filename="${media.id}.pdf"`);
      res.end(opened.bytes);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
